"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "../auth/config";
import { parseRefusalCode, refusalMessage } from "../domain/sign-in-backoff";

export async function signInAction(_prev: string | null, form: FormData): Promise<string | null> {
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: "/",
    });
    return null;
  } catch (e) {
    // A successful sign-in "throws" Next's redirect: let it through.
    // A lock-out says how long it lasts (the code carries the wait).
    if (e instanceof CredentialsSignin) return refusalMessage(parseRefusalCode(e.code));
    if (e instanceof AuthError) return "Wrong email or password.";
    throw e;
  }
}

/** Auth.js's sign-out, whose event ends the server-side session (lib/auth/config.ts). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "../auth/config";

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
    if (e instanceof AuthError) return "Wrong email or password.";
    throw e;
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

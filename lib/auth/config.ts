import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db";
import { checkPassword } from "./check-password";

const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(256),
});

class WrongCredentials extends CredentialsSignin {
  code = "wrong_credentials";
}

// Auth.js only establishes identity; roles are loaded from the database on
// every request (lib/auth/load-actor.ts), never trusted from the JWT.
export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) throw new WrongCredentials();
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        // Argon2 runs whether or not the user exists: the timing reveals no accounts.
        const ok = await checkPassword(user?.passwordHash, parsed.data.password);
        if (!user || !ok || user.disabledAt) throw new WrongCredentials();
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 1;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid as string;
      (session as unknown as { sv: number }).sv = token.sv as number;
      return session;
    },
  },
});

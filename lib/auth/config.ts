import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "../env";
import { clientAddress } from "../domain/client-address";
import { refusalCode } from "../domain/sign-in-backoff";
import { endSession } from "../server/auth/end-session";
import { signInWithPassword, SignInRefused } from "../server/auth/sign-in";
import { isSessionLive } from "./load-actor";

// The refusal's code (wrong credentials, or how long the lock lasts) reaches the
// login form through Auth.js: signIn() rethrows this error with its `code`.
class Refused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

// Auth.js only establishes identity; roles are loaded from the database on
// every request (lib/auth/load-actor.ts), never trusted from the JWT. The JWT
// names a server-side session row (AuthSession): sign-out ends it, and it ends
// by itself SESSION_MAX_AGE_HOURS after sign-in however often it is renewed.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  trustHost: true,
  session: { strategy: "jwt", maxAge: Math.ceil(env().SESSION_MAX_AGE_HOURS * 3600) },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const address = clientAddress(
          request.headers.get("x-forwarded-for"),
          env().TRUSTED_PROXY_HOPS,
        );
        try {
          return await signInWithPassword({ credentials: raw, address });
        } catch (e) {
          if (e instanceof SignInRefused) throw new Refused(refusalCode(e.refusal));
          throw e;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; sessionVersion?: number; sessionId?: string };
        token.uid = u.id;
        token.sv = u.sessionVersion ?? 1;
        token.sid = u.sessionId;
        return token;
      }
      // Every read and renewal asks the server: an ended or expired session gets
      // no new cookie, and /api/auth/session answers null and clears it.
      if (typeof token.sid !== "string" || !(await isSessionLive(token.sid))) return null;
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid as string;
      const s = session as unknown as { sv: number; sid: string };
      s.sv = token.sv as number;
      s.sid = token.sid as string;
      return session;
    },
  },
  events: {
    // Both ways out end the row: the portal's sign-out action (signOut()) and
    // Auth.js's own POST /api/auth/signout run this.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endSession(sid);
    },
  },
}));

import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/require-actor";
import { parseRefusalCode, refusalMessage } from "@/lib/domain/sign-in-backoff";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await currentActor()) redirect("/");
  const { changed, error, code } = await searchParams;
  // Auth.js sends a refused POST /api/auth/callback/credentials here, with the refusal's code.
  const refused =
    error === "CredentialsSignin"
      ? refusalMessage(parseRefusalCode(typeof code === "string" ? code : undefined))
      : null;
  return (
    <main id="main" tabIndex={-1} className="auth-shell">
      <div className="auth-card">
        <h1>
          <span className="brand-mark" />
          Patchgate
        </h1>
        <p className="muted">Change approval for critical systems.</p>
        {changed === "1" && (
          <p className="notice ok" role="status">
            Password changed. Sign in with your new password.
          </p>
        )}
        {refused && (
          <p className="notice error" role="status">
            {refused}
          </p>
        )}
        <LoginForm />
        <p className="small muted" style={{ marginTop: "1rem" }}>
          Public: <a href="/roster">approved assessors and teams</a>
        </p>
      </div>
    </main>
  );
}

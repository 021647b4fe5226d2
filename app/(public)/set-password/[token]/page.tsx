import Link from "next/link";
import { ActionForm } from "@/app/_components/action-form";
import { NewPasswordFields } from "@/app/_components/new-password-fields";
import { setPasswordWithLinkAction } from "@/lib/actions/password";
import { findPasswordLink } from "@/lib/server/users/password-link";
import { formatDateTime } from "@/lib/format";

export const metadata = { title: "Choose your password", referrer: "no-referrer" };

// Public: the person has no password yet. The secret in the path decides, once.
export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await findPasswordLink(token);
  return (
    <main id="main" tabIndex={-1} className="auth-shell">
      <div className="auth-card">
        <h1>
          <span className="brand-mark" /> Choose your password
        </h1>
        {!link ? (
          <p className="notice error" role="alert">
            This link is not valid: it was used already, has expired or never existed. Ask an admin
            for a new account link. <Link href="/login">Sign in</Link>
          </p>
        ) : (
          <>
            <p className="muted">
              For {link.user.name} ({link.user.email}). The link works once, until{" "}
              {formatDateTime(link.expiresAt)}.
            </p>
            <ActionForm action={setPasswordWithLinkAction} submit="Set my password">
              <input type="hidden" name="secret" value={token} />
              <NewPasswordFields />
            </ActionForm>
          </>
        )}
      </div>
    </main>
  );
}

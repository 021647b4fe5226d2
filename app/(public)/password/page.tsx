import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/require-actor";
import { ActionForm } from "@/app/_components/action-form";
import { NewPasswordFields } from "@/app/_components/new-password-fields";
import { changePasswordAction } from "@/lib/actions/password";

export const metadata = { title: "Choose your password" };

// Outside the portal layout on purpose: a person with a temporary password is
// sent here by every portal page, and may do nothing else until done.
export default async function PasswordPage() {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return (
    <main id="main" tabIndex={-1} className="auth-shell">
      <div className="auth-card">
        <h1>
          <span className="brand-mark" /> Your password
        </h1>
        {actor.mustChangePassword ? (
          <p className="notice warn">
            An admin chose the password you signed in with. Choose your own now: until you do,
            nothing else in the portal is open to you.
          </p>
        ) : (
          <p className="muted">
            Changing it signs you out everywhere. <Link href="/profile">Back to your profile</Link>
          </p>
        )}
        <ActionForm action={changePasswordAction} submit="Set my password">
          <label>
            Current password
            <input name="current" type="password" autoComplete="current-password" required />
          </label>
          <NewPasswordFields />
        </ActionForm>
      </div>
    </main>
  );
}

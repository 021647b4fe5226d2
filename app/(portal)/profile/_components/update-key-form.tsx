"use client";

import { ActionForm } from "@/app/_components/action-form";
import { updateKeyAction } from "@/lib/actions/profile";

/** Paste an updated certificate (new expiry, user IDs) or a revocation certificate for one key. */
export function UpdateKeyForm({ fingerprint }: { fingerprint: string }) {
  return (
    <details className="small">
      <summary>Update or revoke this key</summary>
      <ActionForm action={updateKeyAction} submit="Send to the portal">
        <input type="hidden" name="fingerprint" value={fingerprint} />
        <label>
          <span>
            Updated public key (<code>gpg --armor --export {fingerprint}</code>) or revocation
            certificate (<code>gpg --gen-revoke {fingerprint}</code>)
          </span>
          <textarea name="armored" required placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----" />
        </label>
      </ActionForm>
    </details>
  );
}

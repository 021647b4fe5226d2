"use client";

import { ActionForm } from "@/app/_components/action-form";
import { registerKeyAction } from "@/lib/actions/profile";

export function PasteKeyForm() {
  return (
    <ActionForm action={registerKeyAction} submit="Register key">
      <label>
        <span>
          Armored public key (<code>gpg --armor --export you@example.org</code>)
        </span>
        <textarea name="armored" required placeholder="-----BEGIN PGP PUBLIC KEY BLOCK-----" />
      </label>
    </ActionForm>
  );
}

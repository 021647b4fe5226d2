"use client";

import { useActionState } from "react";
import { createTokenAction } from "@/lib/actions/profile";

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, null);
  return (
    <form action={action} className="inline">
      <input
        name="name"
        placeholder="What is it for? e.g. laptop CLI"
        required
        aria-label="Token name"
      />
      <button type="submit" disabled={pending}>
        Create token
      </button>
      {state && !state.ok && (
        <div className="notice error" role="alert">
          {state.error}
        </div>
      )}
      {state?.ok && state.data && (
        <div role="status">
          <p className="small">Copy it now; it will not be shown again:</p>
          <div className="secret" data-testid="new-token">
            {state.data.token}
          </div>
        </div>
      )}
    </form>
  );
}

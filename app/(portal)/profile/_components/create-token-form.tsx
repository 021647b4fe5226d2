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
      <label>
        Scope
        <select name="scope" defaultValue="read">
          <option value="read">read: GET and HEAD only</option>
          <option value="sign">sign: everything your roles allow</option>
        </select>
      </label>
      <label>
        Expires
        <select name="expiresInDays" defaultValue="90">
          <option value="30">in 30 days</option>
          <option value="90">in 90 days</option>
          <option value="365">in a year</option>
          <option value="">never</option>
        </select>
      </label>
      <input
        name="password"
        type="password"
        autoComplete="current-password"
        placeholder="Your password"
        required
        aria-label="Your password"
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

"use client";

import { useActionState } from "react";
import type { TActionResult } from "@/lib/actions/action-result";

type Action<T> = (prev: TActionResult<T>, form: FormData) => Promise<TActionResult<T>>;

/** A form bound to a server action that shows the action's message or error. */
export function ActionForm<T>({
  action,
  children,
  className = "stack",
  submit,
  submitClass,
  confirm,
}: {
  action: Action<T>;
  children?: React.ReactNode;
  className?: string;
  submit: string;
  submitClass?: string;
  confirm?: string;
}) {
  const [state, formAction, pending] = useActionState<TActionResult<T>, FormData>(action, null);
  return (
    <form
      action={formAction}
      className={className}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
    >
      {children}
      <span>
        <button type="submit" disabled={pending} className={submitClass}>
          {pending ? "Working…" : submit}
        </button>
      </span>
      {state && !state.ok && (
        <div className="notice error" role="alert">
          {state.error}
        </div>
      )}
      {state?.ok && state.message && (
        <div className="notice ok" role="status">
          {state.message}
        </div>
      )}
    </form>
  );
}

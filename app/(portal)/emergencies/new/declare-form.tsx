"use client";

import { ActionForm } from "@/app/_components/action-form";
import { declareEmergencyAction } from "@/lib/actions/emergencies";

export function DeclareForm({ systems }: { systems: { slug: string; name: string }[] }) {
  return (
    <ActionForm
      action={declareEmergencyAction}
      submit="Declare emergency"
      confirm="Declare an emergency and inform every team now?"
    >
      <label>
        Affected system
        <select name="system" required>
          {systems.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        What is wrong
        <input
          name="title"
          required
          minLength={3}
          maxLength={200}
          placeholder="e.g. Login bypass for some accounts"
        />
      </label>
      <label>
        Details
        <textarea name="description" required className="prose" />
      </label>
      <label>
        Severity
        <select name="severity">
          <option value="critical">critical</option>
          <option value="high">high</option>
        </select>
      </label>
    </ActionForm>
  );
}

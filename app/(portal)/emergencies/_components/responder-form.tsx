"use client";

import { useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { nameResponderAction } from "@/lib/actions/emergencies";

/** E2: a team names its responder and how to reach them. */
export function ResponderForm({
  emergencyId,
  teams,
}: {
  emergencyId: string;
  teams: { team: string; label: string; members: { id: string; name: string }[] }[];
}) {
  const [team, setTeam] = useState(teams[0]?.team ?? "");
  const members = teams.find((t) => t.team === team)?.members ?? [];
  return (
    <ActionForm action={nameResponderAction} submit="Name responder" submitClass="secondary">
      <input type="hidden" name="emergencyId" value={emergencyId} />
      <label>
        Team
        <select name="team" value={team} onChange={(e) => setTeam(e.target.value)}>
          {teams.map((t) => (
            <option key={t.team} value={t.team}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Responder
        <select name="userId" key={team}>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        How to reach them
        <input name="contact" placeholder="phone, mail, IRC nick" required />
      </label>
    </ActionForm>
  );
}

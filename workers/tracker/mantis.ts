import { onceAfter } from "../effects";
import { PermanentError } from "../handlers/context";
import { request } from "./http";

export type TTrackerUpdate = {
  deploymentId: string;
  outboxId: string;
  bugId: string;
  note: string;
  timeoutMs: number;
};

// MantisBT's REST API (CAcert's tracker): the "Solved?" of CAcert's process is
// MantisBT's "resolved" status. Token auth: the raw token in Authorization.
export const MANTIS_SOLVED_STATUS = "resolved";

function issueUrl(base: string, bugId: string, suffix = ""): string {
  const url = new URL(base.endsWith("/") ? base : `${base}/`);
  return new URL(`api/rest/issues/${encodeURIComponent(bugId)}${suffix}`, url).toString();
}

export async function updateMantis(baseUrl: string, token: string, u: TTrackerUpdate) {
  if (!/^\d+$/.test(u.bugId))
    throw new PermanentError(`bug id "${u.bugId}" is not a MantisBT issue number`);
  const headers = {
    authorization: token,
    "content-type": "application/json",
    accept: "application/json",
  };
  const status = await onceAfter(
    `tracker:mantis-status:${u.deploymentId}`,
    u.outboxId,
    async () => {
      const res = await request(issueUrl(baseUrl, u.bugId), {
        method: "PATCH",
        headers,
        body: JSON.stringify({ status: { name: MANTIS_SOLVED_STATUS } }),
        timeoutMs: u.timeoutMs,
      });
      return { http: res.status, status: MANTIS_SOLVED_STATUS };
    },
  );
  const note = await onceAfter(`tracker:mantis-note:${u.deploymentId}`, u.outboxId, async () => {
    const res = await request(issueUrl(baseUrl, u.bugId, "/notes"), {
      method: "POST",
      headers,
      body: JSON.stringify({ text: u.note, view_state: { name: "public" } }),
      timeoutMs: u.timeoutMs,
    });
    let noteId: number | null = null;
    try {
      noteId = (JSON.parse(res.body) as { note?: { id?: number } }).note?.id ?? null;
    } catch {
      // MantisBT answers JSON; an unreadable body still means the note was created (2xx).
    }
    return { http: res.status, noteId };
  });
  return { tracker: "mantis", issue: u.bugId, status, note };
}

export type TMantisNote = {
  /** The effect's receipt key: one note per key, whatever the retries. */
  receiptKey: string;
  outboxId: string;
  bugId: string;
  note: string;
  timeoutMs: number;
};

/** Adds one public note to a MantisBT issue (S3's verification comment), once per receipt key. */
export async function addMantisNote(baseUrl: string, token: string, n: TMantisNote) {
  if (!/^\d+$/.test(n.bugId))
    throw new PermanentError(`bug id "${n.bugId}" is not a MantisBT issue number`);
  const note = await onceAfter(n.receiptKey, n.outboxId, async () => {
    const res = await request(issueUrl(baseUrl, n.bugId, "/notes"), {
      method: "POST",
      headers: {
        authorization: token,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ text: n.note, view_state: { name: "public" } }),
      timeoutMs: n.timeoutMs,
    });
    let noteId: number | null = null;
    try {
      noteId = (JSON.parse(res.body) as { note?: { id?: number } }).note?.id ?? null;
    } catch {
      // MantisBT answers JSON; an unreadable body still means the note was created (2xx).
    }
    return { http: res.status, noteId };
  });
  return { tracker: "mantis", issue: n.bugId, note };
}

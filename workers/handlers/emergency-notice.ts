import { db } from "../../lib/db";
import type { TRole } from "../../lib/domain/roles";
import { TEAM_LABEL, TEAM_ROLE, TEAMS, type TTeam } from "../../lib/domain/emergency-ladder";
import type { TOutboxKind, TOutboxPayload } from "../../lib/jobs/outbox";
import { textPart } from "../../lib/mail/mime";
import { completeOutbox } from "../complete-outbox";
import { keyLine, signedMail } from "../mail/compose";
import { domainOf, sendMailOnce } from "../mail/send-once";
import { PermanentError, type THandler, type THandlerCtx } from "./context";

// E1–E3, E7: emergencies reach people, not lists. Every notice is a signed mail
// to the approved, active holders of the roles concerned.

type TNoticeKind = Extract<TOutboxKind, `emergency.${string}` | `dispute.${string}`>;

async function holders(roles: TRole[]): Promise<string[]> {
  const grants = await db.roleGrant.findMany({
    where: {
      role: { in: roles },
      approvedAt: { not: null },
      revokedAt: null,
      user: { disabledAt: null },
    },
    select: { user: { select: { email: true } } },
  });
  return [...new Set(grants.map((g) => g.user.email))].sort();
}

const ALL_TEAMS = TEAMS.map((t) => TEAM_ROLE[t]);

async function loadEmergency(emergencyId: string) {
  const e = await db.emergency.findUnique({
    where: { id: emergencyId },
    include: { system: true, declaredBy: { select: { name: true } } },
  });
  if (!e) throw new PermanentError(`emergency ${emergencyId} does not exist`);
  return e;
}

async function loadDispute(disputeId: string) {
  const d = await db.dispute.findUnique({
    where: { id: disputeId },
    include: { ruling: { include: { arbitrator: { select: { name: true } } } } },
  });
  if (!d) throw new PermanentError(`dispute ${disputeId} does not exist`);
  return { dispute: d, emergency: await loadEmergency(d.emergencyId) };
}

type TNotice = { to: string[]; subject: string; lines: string[] };

/** A reminder or escalation owed no more: the emergency ended (or, for a reminder, its deadline passed) before the job ran. */
export function noticeMoot(
  kind: TNoticeKind,
  e: { state: string; deadlineAt: Date },
  now = new Date(),
): string | null {
  if (kind !== "emergency.reminder" && kind !== "emergency.escalation") return null;
  if (e.state === "RESOLVED" || e.state === "CLOSED")
    return `the emergency is ${e.state.toLowerCase()}`;
  if (kind === "emergency.reminder" && now >= e.deadlineAt) return "the deadline has passed";
  return null;
}

async function compose<K extends TNoticeKind>(
  ctx: THandlerCtx,
  kind: K,
  payload: TOutboxPayload<K>,
): Promise<TNotice | null> {
  if (kind === "dispute.filed" || kind === "dispute.ruled") {
    const { dispute, emergency: e } = await loadDispute(
      (payload as { disputeId: string }).disputeId,
    );
    const ruled = kind === "dispute.ruled" && dispute.ruling;
    return {
      to: ruled ? await holders([...ALL_TEAMS, "ARBITRATOR"]) : await holders(["ARBITRATOR"]),
      subject: ruled
        ? `[emergency #${e.number}] Dispute #${dispute.number} ruled: ${dispute.ruling!.verdict}`
        : `[emergency #${e.number}] Dispute #${dispute.number} filed for arbitration`,
      lines: ruled
        ? [
            `${dispute.ruling!.arbitrator.name} ruled on dispute #${dispute.number} about emergency #${e.number} "${e.title}":`,
            "",
            `Verdict: ${dispute.ruling!.verdict}`,
            "",
            dispute.ruling!.reasoning,
          ]
        : [
            `Emergency #${e.number} "${e.title}" on ${e.system.name} used a shortcut of the escalation ladder.`,
            `Dispute #${dispute.number}: ${dispute.reason}`,
            "",
            "An arbitrator who took no part in the emergency reviews the full record and signs a ruling.",
          ],
    };
  }
  const e = await loadEmergency((payload as { emergencyId: string }).emergencyId);
  const head = `Emergency #${e.number} on ${e.system.name} (${e.system.slug}): ${e.title} [severity ${e.severity}]`;
  const deadline = `Deadline of the fast path: ${e.deadlineAt.toISOString()}.`;
  const moot = noticeMoot(kind, e);
  if (moot) {
    ctx.log.info({ kind, emergencyId: e.id }, `notice skipped: ${moot}`);
    return null;
  }
  if (kind === "emergency.forwarded") {
    const review = await db.emergencyMove.findFirst({
      where: { emergencyId: e.id, kind: "gate", data: { path: ["gate"], equals: "review-2" } },
      orderBy: { at: "desc" },
      include: { actor: { select: { name: true } } },
    });
    const d = (review?.data ?? {}) as { patchId?: string; sha256?: string };
    const patch = d.patchId ? await db.patch.findUnique({ where: { id: d.patchId } }) : null;
    return {
      to: await holders(["CRITICAL_ADMIN"]),
      subject: `[emergency #${e.number}] Option 1: patch${patch ? ` #${patch.number}` : ""} forwarded for deployment`,
      lines: [
        head,
        "",
        `${review?.actor.name ?? "An assessor"} signed the 2nd assessor review and forwarded option 1's patch to the critical team.`,
        ...(patch
          ? [`Patch #${patch.number} "${patch.title}", revision ${patch.currentRevision}.`]
          : []),
        ...(d.sha256 ? [`Diff SHA-256: ${d.sha256}`] : []),
        "",
        "A critical admin who did not take part opens its deployment record and installs it; the deploy resolves the emergency.",
        ...(patch
          ? [`Deployment: ${new URL(`/patches/${patch.id}/deployment`, ctx.publicUrl)}`]
          : []),
        deadline,
      ],
    };
  }
  if (kind === "emergency.deadline") {
    return {
      to: await holders(ALL_TEAMS),
      subject: `[emergency #${e.number}] The 24-hour deadline has passed`,
      lines: [
        head,
        "",
        `The fast path's deadline (${e.deadlineAt.toISOString()}) passed with the emergency still ${e.state === "DECLARED" ? "declared, option 1 not started" : "on option 1"}.`,
        "Finish option 1, or record it unfit (with a reason) so that option 2 may be used.",
      ],
    };
  }
  if (kind === "emergency.closed") {
    const closes = await db.emergencyMove.findMany({
      where: { emergencyId: e.id, kind: "close" },
      orderBy: { at: "asc" },
      include: { actor: { select: { name: true } } },
    });
    return {
      to: await holders(ALL_TEAMS),
      subject: `[emergency #${e.number}] Closed: not an emergency`,
      lines: [
        head,
        "",
        "The false alarm is over: the emergency was closed as not an emergency. Standby ends.",
        "",
        ...closes.flatMap((c) => [`${c.actor.name}: ${c.reason ?? ""}`]),
      ],
    };
  }
  if (kind === "emergency.reminder") {
    const team = (payload as { team: string }).team as TTeam;
    if (!TEAMS.includes(team)) throw new PermanentError(`unknown team ${team}`);
    return {
      to: await holders([TEAM_ROLE[team]]),
      subject: `[emergency #${e.number}] Reminder: the ${TEAM_LABEL[team].toLowerCase()} have not confirmed standby`,
      lines: [
        head,
        "",
        `Your team has not named a responder, or the responder has not acknowledged standby with a signed statement.`,
        deadline,
      ],
    };
  }
  if (kind === "emergency.escalation") {
    const hours = (payload as { hoursBefore: number }).hoursBefore;
    return {
      to: await holders(ALL_TEAMS),
      subject: `[emergency #${e.number}] ${hours} h left on the 24-hour clock`,
      lines: [
        head,
        "",
        `The fast path (option 1) is at risk: ${hours} hours remain before the deadline.`,
        deadline,
      ],
    };
  }
  return {
    to: await holders(ALL_TEAMS),
    subject: `[emergency #${e.number}] Declared by ${e.declaredBy.name}: ${e.title}`,
    lines: [
      head,
      "",
      e.description,
      "",
      "Each team names the person who responds and how to reach them; that person acknowledges standby.",
      deadline,
    ],
  };
}

/** One signed mail per outbox row, sent once however often the job runs. */
export function emergencyNotice<K extends TNoticeKind>(kind: K): THandler<K> {
  return async (ctx, outboxId, payload) => {
    const notice = await compose(ctx, kind, payload);
    if (notice && notice.to.length > 0) {
      const id =
        (payload as { emergencyId?: string; disputeId?: string }).emergencyId ??
        (payload as { disputeId: string }).disputeId;
      await sendMailOnce(ctx, `mail:${kind}:${outboxId}`, outboxId, async () =>
        signedMail(
          ctx,
          {
            to: notice.to,
            subject: notice.subject,
            messageId: `<patchgate.${kind}.${id}.${outboxId}@${domainOf(ctx.mailFrom)}>`,
          },
          textPart(
            [
              ...notice.lines,
              "",
              `Record: ${new URL(kind.startsWith("dispute") ? "/disputes" : "/emergencies", ctx.publicUrl)}`,
              "",
              await keyLine(ctx),
              "",
            ].join("\n"),
          ),
        ),
      );
    }
    await completeOutbox(outboxId);
  };
}

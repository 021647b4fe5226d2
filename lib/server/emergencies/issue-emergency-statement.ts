import "server-only";
import { z } from "zod";
import { cleanId, cleanText } from "../../domain/input-hygiene";
import { ZKeyFingerprint } from "../keys/signing-key";
import { db } from "../../db";
import { authorize, requirePerson, type TActor, type TPersonActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { sha256Hex } from "../../crypto/hash";
import { checkMove, GATES, mayRule, TEAMS, type TMove } from "../../domain/emergency-ladder";
import {
  buildEmergencyStatement,
  EMERGENCY_STATEMENT_KINDS,
  nonceKind,
  RULING_VERDICTS,
} from "../../domain/emergency-statements";
import { acceptDiff, ZPatchFields } from "../patches/submit-patch";
import { writeStatement } from "../statements/write-statement";
import { loadFastPathPatch, loadLadder, participantsOf } from "./emergency-facts";

/** A tester's result on option 1's test gate. */
export const TEST_VERDICTS = ["pass", "fail"] as const;

export const ZIssueEmergencyStatement = z.object({
  emergencyId: cleanId(),
  kind: z.enum(EMERGENCY_STATEMENT_KINDS),
  comment: cleanText().max(4000).default(""),
  gate: z.enum(GATES).optional(),
  team: z.enum(TEAMS).optional(),
  as: z.enum(["CRITICAL_ADMIN", "ASSESSOR"]).optional(),
  granteeId: cleanId().optional(),
  /** option2-patch: the assessor's locally tested diff; session-disabled: the change made in the session (its SHA-256 is signed). */
  diff: z
    .string()
    .max(20 * 1024 * 1024)
    .optional(),
  /** session-disabled: the session log (its SHA-256 is signed). */
  log: z
    .string()
    .max(2 * 1024 * 1024)
    .optional(),
  disputeId: cleanId().optional(),
  /** A ruling's verdict, or a tester's result on option 1's test gate (pass or fail): checked per kind. */
  verdict: z.enum([...RULING_VERDICTS, ...TEST_VERDICTS]).optional(),
  /** option1-patch: the patch's bug (default emergency-<number>) and its short description (default the title). */
  bugId: ZPatchFields.shape.bugId.optional(),
  bugSummary: ZPatchFields.shape.bugSummary.optional(),
  /** Option 1's 1st review: the commit in the development repository and the test server it went to. */
  develCommit: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{7,64}$/, "The development commit: its id, 7 to 64 hex digits.")
    .transform((s) => s.toLowerCase())
    .optional(),
  testServer: z
    .string()
    .trim()
    .max(253, "The test server's host name: up to 253 characters.")
    .regex(
      /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
      "The test server: a host name (letters, digits, hyphens, dots).",
    )
    .transform((s) => s.toLowerCase())
    .optional(),
  keyFingerprint: ZKeyFingerprint.optional(),
});
export type TIssueEmergencyStatement = z.input<typeof ZIssueEmergencyStatement>;

async function granteeAllowed(userId: string) {
  const g = await db.roleGrant.findFirst({
    where: {
      userId,
      role: { in: ["ASSESSOR", "DEVELOPER"] },
      approvedAt: { not: null },
      revokedAt: null,
      user: { disabledAt: null },
    },
  });
  if (!g)
    throw new AppError(
      "VALIDATION",
      "Remote access goes to an approved assessor or developer (software engineer).",
    );
}

/**
 * Writes the statement this person would sign now for an emergency step, with
 * a fresh single-use nonce. Refuses early, by the same rules the recording
 * will check again under the emergency's lock, what could never be accepted.
 */
export async function issueEmergencyStatement({
  actor,
  now = new Date(),
  ...input
}: { actor: TActor; now?: Date } & TIssueEmergencyStatement) {
  const person = requirePerson(actor);
  const f = ZIssueEmergencyStatement.parse(input);
  const { emergency: e, ladder } = await db.$transaction((tx) => loadLadder(tx, f.emergencyId));
  const extra: {
    verdict?: string;
    role?: string;
    team?: string;
    gate?: string;
    patchNumber?: number;
    patchSha256?: string;
    develCommit?: string;
    testServer?: string;
    grantee?: string;
    disputeId?: string;
    disputeNumber?: number;
    logSha256?: string;
  } = {};

  if (f.kind === "acknowledge") {
    authorize(person, "emergency:respond");
    if (e.state === "RESOLVED" || e.state === "CLOSED")
      throw new AppError("CONFLICT", "This emergency is over.");
    const r = e.responders.find(
      (x) => x.userId === person.id && !x.acknowledgedAt && (!f.team || x.team === f.team),
    );
    if (!r)
      throw new AppError("FORBIDDEN", "Only a team's named responder acknowledges standby, once.");
    extra.team = r.team;
  } else if (f.kind === "ruling") {
    authorize(person, "dispute:rule");
    const d = e.disputes.find((x) => x.id === f.disputeId);
    if (!d) throw new AppError("NOT_FOUND", "No such dispute for this emergency.");
    if (d.state !== "OPEN")
      throw new AppError("CONFLICT", "This dispute has already been ruled on.");
    if (!mayRule(person.id, participantsOf(e)))
      throw new AppError(
        "FORBIDDEN",
        "You took part in this emergency: another arbitrator must rule.",
        { rule: "E7" },
      );
    if (!f.verdict || !(RULING_VERDICTS as readonly string[]).includes(f.verdict))
      throw new AppError("VALIDATION", `A ruling needs a verdict: ${RULING_VERDICTS.join(", ")}.`);
    if (!f.comment.trim()) throw new AppError("VALIDATION", "A ruling needs its reasoning.");
    Object.assign(extra, { verdict: f.verdict, disputeId: d.id, disputeNumber: d.number });
  } else {
    authorize(person, "emergency:respond");
    const move: TMove = {
      kind: f.kind,
      actorId: person.id,
      reason: f.comment,
      gate: f.gate,
      team: f.team,
      as: f.as,
      granteeId: f.granteeId,
    };
    // Option 1 (E3): every statement binds the diff it is for.
    const fastPath =
      f.kind === "option1-patch" || f.kind === "gate" ? await loadFastPathPatch(db, e.moves) : null;
    if (f.kind === "option1-patch") {
      if (!f.diff) throw new AppError("VALIDATION", "Attach the patch (a unified diff).");
      move.sha256 = acceptDiff(new TextEncoder().encode(f.diff)).sha256;
      Object.assign(extra, { patchSha256: move.sha256, patchNumber: fastPath?.number });
    }
    if (f.kind === "gate") {
      move.sha256 = fastPath?.revision.diffSha256;
      if (f.gate === "test" && (f.verdict === "pass" || f.verdict === "fail"))
        move.verdict = f.verdict;
    }
    await assertMayMove(person, ladder, move);
    if (f.kind === "gate" && f.gate === "test" && !move.verdict)
      throw new AppError("VALIDATION", "The test result: pass or fail.");
    if (f.kind === "gate" && fastPath) {
      Object.assign(extra, {
        patchNumber: fastPath.number,
        patchSha256: fastPath.revision.diffSha256,
        verdict: move.verdict,
      });
      if (f.gate === "review-1") {
        if (!f.develCommit || !f.testServer)
          throw new AppError(
            "VALIDATION",
            "The 1st review records the transfer: the development commit and the test server.",
          );
        Object.assign(extra, { develCommit: f.develCommit, testServer: f.testServer });
      }
    }
    Object.assign(extra, {
      gate: f.gate,
      team: f.kind === "team-unreachable" ? f.team : undefined,
      role: f.kind === "option3-declaration" ? f.as : undefined,
    });
    if (f.kind === "option2-patch") {
      if (!f.diff)
        throw new AppError("VALIDATION", "Attach the locally tested patch (a unified diff).");
      extra.patchSha256 = acceptDiff(new TextEncoder().encode(f.diff)).sha256;
    }
    if (f.kind === "option2-deploy") {
      const p = e.moves.find((m) => m.kind === "option2-patch");
      extra.patchSha256 = (p?.data as { sha256?: string } | null)?.sha256;
    }
    if (f.kind === "session-opened") {
      await granteeAllowed(f.granteeId ?? "");
      extra.grantee = f.granteeId;
    }
    if (f.kind === "session-disabled") {
      if (!f.log?.trim()) throw new AppError("VALIDATION", "Attach the session log.");
      extra.logSha256 = sha256Hex(f.log);
      // E5: what was changed on the live system re-enters the normal cycle as a patch.
      if (!f.diff)
        throw new AppError(
          "VALIDATION",
          "Attach the change made in the session (a unified diff); it re-enters the normal cycle.",
        );
      extra.patchSha256 = acceptDiff(new TextEncoder().encode(f.diff)).sha256;
    }
  }

  return writeStatement(
    person,
    { kind: nonceKind(f.kind), subjectType: "emergency", subjectId: e.id },
    (signer) =>
      buildEmergencyStatement({
        kind: f.kind,
        ...extra,
        emergencyId: e.id,
        emergencyNumber: e.number,
        system: e.system.slug,
        severity: f.kind === "acknowledge" ? e.severity : undefined,
        ...signer,
        comment: f.comment,
      }),
    f.keyFingerprint,
    now,
  );
}

async function assertMayMove(
  person: TPersonActor,
  ladder: Parameters<typeof checkMove>[0],
  move: TMove,
) {
  const c = checkMove(ladder, move, person.roles);
  if (!c.ok)
    throw new AppError(c.rule === "ROLE" ? "FORBIDDEN" : "CONFLICT", c.message, { rule: c.rule });
}

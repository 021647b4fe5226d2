import "server-only";
import { z } from "zod";
import { db, type Tx } from "../../db";
import { authorize, requirePerson, type TActor } from "../../auth/actor";
import { AppError } from "../../errors";
import { applyMove, MOVE_KINDS, type TMove, type TMoveKind } from "../../domain/emergency-ladder";
import { fromNonceKind } from "../../domain/emergency-statements";
import { sha256Hex } from "../../crypto/hash";
import { appendAuditEvent } from "../audit/append-event";
import { storeSignedStatement, verifySubmission } from "../statements/accept-statement";
import { asAppError, loadFastPathPatch, loadLadder, lockEmergency } from "./emergency-facts";
import { writeOutbox } from "../../jobs/outbox";
import { syncPatchState } from "../patches/patch-facts";
import { prepareFastPathPatch } from "./prepare-fast-path-patch";
import { fileDispute } from "./file-dispute";
import { reenterPatch } from "./reenter-patch";
import { ZSignedStatement } from "../patches/record-signoff";
import { ZIssueEmergencyStatement } from "./issue-emergency-statement";

/** The signed statement, and the attachments whose SHA-256 it names, as they were issued. */
export const ZRecordMove = ZSignedStatement.extend(
  ZIssueEmergencyStatement.pick({ diff: true, log: true, bugId: true, bugSummary: true }).shape,
);

/**
 * Records one signed move on the escalation ladder (E3–E6). The move is read
 * from the statement the server issued and the person signed — never from
 * loose form fields — and checked again, under the emergency's lock, against
 * the ladder's table. A refused move changes nothing. Option 2's deploy and
 * option 3's second declaration file their dispute in the same transaction;
 * option 2's patch re-enters the normal cycle as a new patch record.
 */
export async function recordMove({
  actor,
  ...input
}: { actor: TActor } & z.input<typeof ZRecordMove>) {
  const person = requirePerson(actor);
  authorize(person, "emergency:respond");
  const f = ZRecordMove.parse(input);
  const v = await verifySubmission(person, f.statement, f.signature);
  const kind = fromNonceKind(v.nonce.kind);
  if (
    !kind ||
    !(MOVE_KINDS as readonly string[]).includes(kind) ||
    v.nonce.subjectType !== "emergency"
  ) {
    throw new AppError("VALIDATION", "This statement is not a step of the emergency ladder.");
  }
  const p = v.parsed;
  const move: TMove = {
    kind: kind as TMoveKind,
    actorId: person.id,
    reason: p.comment || undefined,
    gate: p.gate as TMove["gate"],
    team: p.team as TMove["team"],
    as: p.role as TMove["as"],
    granteeId: p["grantee-account"],
    // Option 1 (E3): the diff the statement binds, and the tester's result.
    sha256: kind === "option1-patch" || kind === "gate" ? p["patch-sha256"] : undefined,
    verdict: kind === "gate" && p.gate === "test" ? (p.verdict as TMove["verdict"]) : undefined,
  };
  const emergencyId = v.nonce.subjectId;

  try {
    return await db.$transaction(async (tx: Tx) => {
      await lockEmergency(tx, emergencyId);
      const { emergency: e, ladder } = await loadLadder(tx, emergencyId);
      const next = applyMove(ladder, move, person.roles);
      const data: Record<string, string> = {};
      for (const k of ["gate", "team", "as", "granteeId"] as const) if (move[k]) data[k] = move[k]!;
      const emergencyRef = {
        id: e.id,
        number: e.number,
        title: e.title,
        systemId: e.systemId,
        systemSlug: e.system.slug,
      };
      const fastPath = await loadFastPathPatch(tx, e.moves);

      // Option 1's patch (E3): the signed diff becomes the patch, or its next revision.
      let fastPathId: string | undefined;
      if (kind === "option1-patch") {
        if (!f.diff || sha256Hex(f.diff) !== p["patch-sha256"])
          throw new AppError(
            "CONFLICT",
            "The attached patch is not the one named in the signed statement.",
          );
        if (String(fastPath?.number ?? "") !== (p["patch-number"] ?? ""))
          throw new AppError(
            "CONFLICT",
            "The patch was prepared again meanwhile: fetch a new statement and sign it.",
          );
        const prepared = await prepareFastPathPatch(tx, person, emergencyRef, fastPath, {
          diff: new TextEncoder().encode(f.diff),
          bugId: f.bugId,
          bugSummary: f.bugSummary,
        });
        fastPathId = prepared.id;
        data.patchId = prepared.id;
        data.sha256 = p["patch-sha256"];
      }
      if (kind === "gate") {
        // The ladder checked the diff against the prepared one; the number must be its patch's.
        if (!fastPath || String(fastPath.number) !== p["patch-number"])
          throw new AppError("CONFLICT", "The statement does not name option 1's patch.");
        fastPathId = fastPath.id;
        data.patchId = fastPath.id;
        data.sha256 = p["patch-sha256"];
        if (move.verdict) data.verdict = move.verdict;
        if (move.gate === "review-1") {
          if (!p["devel-commit"] || !p["test-server"])
            throw new AppError(
              "VALIDATION",
              "The 1st review records the transfer: the development commit and the test server.",
            );
          data.develCommit = p["devel-commit"];
          data.testServer = p["test-server"];
        }
      }

      // What the signature binds must be what is stored ("what you see is what you sign").
      if (kind === "option2-patch") {
        if (!f.diff || sha256Hex(f.diff) !== p["patch-sha256"])
          throw new AppError(
            "CONFLICT",
            "The attached patch is not the one named in the signed statement.",
          );
        data.sha256 = p["patch-sha256"];
        data.diff = Buffer.from(f.diff).toString("base64");
      }
      const patchMove = e.moves.find((m) => m.kind === "option2-patch");
      if (kind === "option2-deploy") {
        const recorded = (patchMove?.data as { sha256?: string } | null)?.sha256;
        if (!recorded || p["patch-sha256"] !== recorded)
          throw new AppError(
            "CONFLICT",
            "The statement does not name the assessor's recorded patch.",
          );
        data.sha256 = recorded;
      }
      if (kind === "session-disabled") {
        if (!f.log || sha256Hex(f.log) !== p["session-log-sha256"])
          throw new AppError(
            "CONFLICT",
            "The attached session log is not the one named in the signed statement.",
          );
        if (!f.diff || sha256Hex(f.diff) !== p["patch-sha256"])
          throw new AppError(
            "CONFLICT",
            "The attached change is not the one named in the signed statement.",
          );
        data.sha256 = p["patch-sha256"];
      }

      const signed = await storeSignedStatement(tx, person, v, f.signature);
      const row = await tx.emergencyMove.create({
        data: {
          emergencyId,
          kind,
          reason: move.reason ?? null,
          actorId: person.id,
          statementId: signed.id,
          data,
        },
      });
      if (next.state !== ladder.state) {
        const { count } = await tx.emergency.updateMany({
          where: { id: emergencyId, state: ladder.state },
          data: {
            state: next.state,
            resolvedAt: next.state === "RESOLVED" ? signed.receivedAt : undefined,
            closedAt: next.state === "CLOSED" ? signed.receivedAt : undefined,
          },
        });
        if (count === 0)
          throw new AppError("CONFLICT", "The emergency changed meanwhile; reload and try again.");
      }
      await appendAuditEvent(tx, {
        actor: person,
        action: "emergency.move",
        subjectType: "emergency",
        subjectId: emergencyId,
        payload: {
          kind,
          from: ladder.state,
          to: next.state,
          reason: move.reason,
          detail: data.diff ? { ...data, diff: "(attached)" } : data,
          fingerprint: signed.fingerprint,
          statementId: signed.id,
        },
      });

      // The patch reads option 1's gates as its sign-offs: its state follows each one.
      if (fastPathId) await syncPatchState(tx, person, fastPathId);
      if (kind === "gate" && move.gate === "test")
        await writeOutbox(
          tx,
          "emergency.test-result",
          { moveId: row.id },
          `emergency.test-result:${row.id}`,
        );
      if (kind === "gate" && move.gate === "review-2")
        await writeOutbox(
          tx,
          "emergency.forwarded",
          { emergencyId },
          `emergency.forwarded:${row.id}`,
        );
      if (next.state === "CLOSED" && ladder.state !== "CLOSED")
        await writeOutbox(
          tx,
          "emergency.closed",
          { emergencyId },
          `emergency:${emergencyId}:closed`,
        );

      const newDispute =
        next.disputes.length > ladder.disputes.length
          ? next.disputes[next.disputes.length - 1]
          : null;
      let patchId: string | undefined;
      let disputeId: string | undefined;
      if (kind === "option2-deploy") {
        const diff = Buffer.from((patchMove!.data as { diff: string }).diff, "base64");
        const patch = await reenterPatch(
          tx,
          person,
          emergencyRef,
          patchMove!.actorId,
          diff,
          move.reason ?? "",
          2,
        );
        patchId = patch.id;
      }
      if (kind === "session-disabled") {
        // The one who worked in the session authors the change that re-enters the cycle.
        const session = await tx.remoteSession.findFirstOrThrow({ where: { emergencyId } });
        const patch = await reenterPatch(
          tx,
          person,
          emergencyRef,
          session.granteeId,
          new TextEncoder().encode(f.diff!),
          move.reason ?? "",
          3,
        );
        patchId = patch.id;
      }
      if (newDispute)
        disputeId = (await fileDispute(tx, person, emergencyId, newDispute, move.reason ?? "")).id;
      if (kind === "session-opened") {
        await tx.remoteSession.create({
          data: {
            emergencyId,
            granteeId: move.granteeId!,
            watcherId: person.id,
            openedAt: signed.receivedAt,
          },
        });
      }
      if (kind === "session-terminated" || kind === "session-disabled") {
        const s = await tx.remoteSession.findFirstOrThrow({ where: { emergencyId } });
        await tx.remoteSession.update({
          where: { id: s.id },
          data:
            kind === "session-terminated"
              ? { terminatedAt: signed.receivedAt }
              : { disabledAt: signed.receivedAt, log: f.log },
        });
      }
      return {
        id: row.id,
        kind,
        from: ladder.state,
        to: next.state,
        disputeId,
        patchId: patchId ?? fastPathId,
        fingerprint: signed.fingerprint,
      };
    });
  } catch (e) {
    throw asAppError(e);
  }
}

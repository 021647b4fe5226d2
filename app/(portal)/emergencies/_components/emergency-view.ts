import {
  currentGates,
  GATE_LABEL,
  GATES,
  nextGate,
  preparedPatch,
  testResults,
  type TGate,
} from "@/lib/domain/emergency-ladder";
import { formatDateTime as iso } from "@/lib/format";
import type { TEmergencyView } from "@/lib/server/emergencies/get-emergency";
import type { TFastPathView } from "@/lib/server/emergencies/fast-path-facts";

// What the emergency page draws, read off the emergency as getEmergency returns
// it: option 1's patch and its gates (for the diff prepared last), the closing
// signatures of a false alarm, and the outcome of an emergency that ended.
// No rules of its own: the ladder (lib/domain/emergency-ladder.ts) decides.

type TMoveView = TEmergencyView["moves"][number];
const str = (m: TMoveView | undefined, k: string) => {
  const v = m?.data?.[k];
  return typeof v === "string" ? v : undefined;
};

export type TSigner = { name: string; at: Date; verdict?: "pass" | "fail" };
export type TGateView = {
  gate: TGate;
  label: string;
  status: "done" | "open" | "waiting" | "failed";
  signers: TSigner[];
  /** The test gate: "1 of 2 testers". */
  count?: string;
  /** review-1: the development-repository commit and the test server, as signed. */
  develCommit?: string;
  testServer?: string;
};

export type TOption1View = {
  patch: {
    id: string | null;
    number: number | null;
    title: string | null;
    state: string | null;
    sha256: string;
    revision: number;
    preparedBy: string;
    preparedAt: Date;
    /** The deployment record of the current revision, once a critical admin opened it. */
    deployment: { id: string; state: string } | null;
  };
  gates: TGateView[];
  /** review-2 signed: the patch is with the critical team. */
  forwarded: boolean;
  /** A tester reported a failure: the patch needs a new revision. */
  failed: boolean;
};

/** Option 1's patch (as getFastPath reads it) and its gates, or null when no patch was prepared. */
export function option1View(e: TEmergencyView, fp: TFastPathView | null): TOption1View | null {
  const prepared = preparedPatch(e.ladder);
  if (!prepared?.sha256) return null;
  const sha = prepared.sha256;
  const patchMoves = e.moves.filter((m) => m.kind === "option1-patch");
  const last = patchMoves.findLast((m) => str(m, "sha256") === sha) ?? patchMoves.at(-1)!;
  const patchId = fp?.patch?.id ?? str(last, "patchId") ?? null;
  const record = fp?.patch ?? e.patches.find((p) => p.id === patchId) ?? null;
  const revision =
    fp?.patch?.revision ??
    patchMoves.filter((m) => !patchId || str(m, "patchId") === patchId).length;

  const gateMoves = e.moves.filter((m) => m.kind === "gate" && str(m, "sha256") === sha);
  const done = currentGates(e.ladder);
  const t = testResults(e.ladder);
  const next = nextGate(e.ladder);
  const failed = t.failed.length > 0;
  const gates = GATES.map((gate): TGateView => {
    const moves = gateMoves.filter((m) => str(m, "gate") === gate);
    const signers = moves.map((m) => ({
      name: m.actor.name,
      at: m.at,
      verdict: gate === "test" ? (str(m, "verdict") === "fail" ? "fail" : "pass") : undefined,
    })) as TSigner[];
    const isDone = gate === "test" ? t.passed.length >= t.need : done.some((m) => m.gate === gate);
    const status =
      gate === "test" && failed ? "failed" : isDone ? "done" : gate === next ? "open" : "waiting";
    const view: TGateView = { gate, label: GATE_LABEL[gate], status, signers };
    if (gate === "test")
      view.count = `${Math.min(t.passed.length, t.need)} of ${t.need} tester${t.need === 1 ? "" : "s"}`;
    if (gate === "review-1" && moves[0]) {
      view.develCommit = str(moves[0], "develCommit");
      view.testServer = str(moves[0], "testServer");
    }
    return view;
  });
  return {
    patch: {
      id: patchId,
      number: record?.number ?? null,
      title: record?.title ?? null,
      state: record?.state ?? null,
      sha256: sha,
      revision,
      preparedBy: last.actor.name,
      preparedAt: last.at,
      deployment: fp?.deployment ?? null,
    },
    gates,
    forwarded: gates[2].status === "done",
    failed,
  };
}

export type TCloseView = {
  signed: { name: string; at: Date; reason: string; declarer: boolean }[];
  /** Who must still sign: the declarer, a second person, or nobody. */
  missing: ("declarer" | "second")[];
  closedAt: Date | null;
};

/** The signatures closing a false alarm: the declarer's and a second critical admin's or assessor's. */
export function closeView(e: TEmergencyView): TCloseView | null {
  const closes = e.moves.filter((m) => m.kind === "close");
  if (closes.length === 0) return null;
  const signed = closes.map((m) => ({
    name: m.actor.name,
    at: m.at,
    reason: m.reason ?? "",
    declarer: m.actor.id === e.declaredBy.id,
  }));
  const missing: TCloseView["missing"] = [];
  if (!signed.some((s) => s.declarer)) missing.push("declarer");
  if (!signed.some((s) => !s.declarer)) missing.push("second");
  return {
    signed,
    missing,
    closedAt: e.state === "CLOSED" ? (closes.at(-1)?.at ?? null) : null,
  };
}

export type TOutcome = {
  option: 1 | 2 | 3 | null;
  /** What was done, in a line: "patch #12 deployed by Carla Critical at …". */
  parts: { text: string; href?: string }[];
  resolvedBy?: { name: string; at: Date; reason: string };
};

/** How a resolved emergency was resolved: the option actually used and its outcome. */
export function outcomeView(e: TEmergencyView, fp: TFastPathView | null): TOutcome {
  const find = (k: string) => e.moves.find((m) => m.kind === k);
  const resolve = e.moves.findLast((m) => m.kind === "resolve");
  const resolvedBy = resolve
    ? { name: resolve.actor.name, at: resolve.at, reason: resolve.reason ?? "" }
    : undefined;
  const deployGate = e.moves.find((m) => m.kind === "gate" && str(m, "gate") === "deploy");
  const disputes = e.disputes.map((d) => ({
    text: `dispute #${d.number} ${d.ruling ? `ruled ${d.ruling.verdict}` : "waiting for arbitration"}`,
    href: `/disputes/${d.number}`,
  }));
  if (deployGate) {
    const o1 = option1View(e, fp);
    const p = o1?.patch;
    return {
      option: 1,
      parts: [
        {
          text: `patch ${p?.number ? `#${p.number}` : ""} deployed by ${deployGate.actor.name} at ${iso(deployGate.at)}`.replace(
            "  ",
            " ",
          ),
          href: p?.id ? `/patches/${p.id}/deployment` : undefined,
        },
      ],
      resolvedBy,
    };
  }
  if (e.ladder.disputes.includes("option3")) {
    const s = e.sessions[0];
    return {
      option: 3,
      parts: [
        {
          text: s
            ? `remote session for ${s.granteeName}, watched by ${s.watcherName}${s.disabledAt ? `, access disabled at ${iso(s.disabledAt)}` : ""}`
            : "options 1 and 2 declared insufficient",
        },
        ...disputes,
      ],
      resolvedBy,
    };
  }
  const deployed = find("option2-deploy");
  if (deployed)
    return {
      option: 2,
      parts: [
        { text: `patch deployed by ${deployed.actor.name} at ${iso(deployed.at)}` },
        ...disputes,
      ],
      resolvedBy,
    };
  return { option: null, parts: disputes, resolvedBy };
}

import { Command } from "commander";
import { openClient, output, runClient, type TJsonOption } from "../client/run-client";
import type { TQueueItem, TQueueReason } from "../../lib/server/patches/list-queue";

// `patchgate queue`: what waits for me, as the dashboard shows it (GET /api/v1/queue).

type TQueue = Record<TQueueReason, TQueueItem[]>;

const HEADING: Record<TQueueReason, string> = {
  submit: "to submit (sign your draft)",
  rework: "to rework",
  review: "to review",
  test: "to test",
  request: "to request",
  deploy: "to deploy",
};

const ACTION: Record<TQueueReason, (n: number) => string> = {
  submit: (n) => `patchgate sign ${n} --submit`,
  rework: (n) => `patchgate patch show ${n}`,
  review: (n) => `patchgate sign ${n} --review approve|reject`,
  test: (n) => `patchgate sign ${n} --test pass|fail`,
  request: (n) => `patchgate sign ${n} --request`,
  deploy: (n) => `patchgate patch show ${n}`,
};

async function queueCommand(opts: TJsonOption): Promise<void> {
  const q = await (await openClient()).json<TQueue>("GET", "/queue");
  output(opts, q, () => {
    const reasons = (Object.keys(HEADING) as TQueueReason[]).filter((r) => q[r]?.length);
    if (!reasons.length) return ["nothing waits for you"];
    return reasons.flatMap((r) => [
      `${HEADING[r]} (${q[r].length}):`,
      ...q[r].map(
        (p) =>
          `  #${p.number}\t${p.system}\t${p.state}\treviews ${p.reviews.have}/${p.reviews.need}, tests ${p.tests.have}/${p.tests.need}\t${p.title} (${p.author})\t${ACTION[r](p.number)}`,
      ),
    ]);
  });
}

export function queueCommandOf(): Command {
  return new Command("queue")
    .description(
      "What waits for you: drafts to submit, patches to rework, review, test, request or deploy",
    )
    .option("--json", "print JSON")
    .action(runClient(queueCommand));
}

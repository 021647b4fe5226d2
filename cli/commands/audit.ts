import { Command } from "commander";
import { runCommand } from "../run-command";

// What an empty chain's head is: the genesis hash the first event links to.
const EMPTY_HEAD = `0 ${"0".repeat(64)}`;

async function verify(): Promise<void> {
  // Loaded here, not at the top, so --help and argument errors stay fast and never load Prisma.
  const { verifyStoredChain } = await import("../../lib/server/audit/verify-chain");
  const verdict = await verifyStoredChain();
  if (!verdict.ok) {
    console.error(`audit chain BROKEN at seq ${verdict.firstBadSeq}: ${verdict.reason}`);
    process.exitCode = 1;
    return;
  }
  const head = verdict.head ? `${verdict.head.seq} ${verdict.head.hash}` : EMPTY_HEAD;
  console.log(`audit chain ok: ${verdict.count} events, head ${head}`);
  // Issue #16: the Merkle tree, recomputed from the events, against the latest signed checkpoint.
  const { verifyStoredTree } = await import("../../lib/server/log/verify-tree");
  const tree = await verifyStoredTree();
  if (!tree.ok) {
    console.error(`log tree BROKEN: ${tree.reason}`);
    process.exitCode = 1;
  } else if (!tree.rootHash) console.log("log tree: no checkpoint yet");
  else
    console.log(
      `log tree ok: checkpoint ${tree.treeSize}, root ${Buffer.from(tree.rootHash).toString("base64")}`,
    );
}

async function head(): Promise<void> {
  const { chainHead } = await import("../../lib/server/audit/verify-chain");
  const last = await chainHead();
  console.log(last ? `${last.seq} ${last.hash}` : EMPTY_HEAD);
}

export function auditCommand(): Command {
  const audit = new Command("audit").description("check the tamper-evident audit log");

  audit
    .command("verify")
    .description(
      "recompute the whole hash chain and the log's tree up to the latest checkpoint; exit 1 and name the first bad row, or the checkpoint the events no longer match",
    )
    .action(runCommand(verify));

  audit
    .command("head")
    .description("print the last event's sequence number and hash, to record elsewhere")
    .action(runCommand(head));

  return audit;
}

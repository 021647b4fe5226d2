import { pathToFileURL } from "node:url";

// Everything a benchmark starts (databases, servers, temp folders) registers how to undo it
// here, so a normal end, a failure and Ctrl-C all leave the machine as they found it.

type TCleanup = () => Promise<void> | void;
const pending: { label: string; fn: TCleanup }[] = [];

export function onCleanup(label: string, fn: TCleanup): () => Promise<void> {
  const entry = { label, fn };
  pending.push(entry);
  // Undo now, once, and forget it (for things a benchmark ends itself, e.g. a server).
  return async () => {
    const i = pending.indexOf(entry);
    if (i < 0) return;
    pending.splice(i, 1);
    await entry.fn();
  };
}

/** Runs every registered undo, newest first; a failing one is reported, the rest still run. */
export async function cleanupAll(): Promise<void> {
  while (pending.length) {
    const { label, fn } = pending.pop()!;
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup of ${label} failed: ${(e as Error).message}`);
    }
  }
}

let installed = false;
function installSignalHandlers() {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      void cleanupAll().finally(() => process.exit(130));
    });
}

/** Runs a benchmark's main function with cleanup on every way out; sets the exit code. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  installSignalHandlers();
  try {
    await main();
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
  // Open handles (pools, timers of imported modules) must not keep a finished benchmark alive.
  process.exit(process.exitCode ?? 0);
}

/** Whether the module at `moduleUrl` is the script node was asked to run. */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]).href;
}

#!/usr/bin/env node
// Launches cli/index.ts under tsx with the "react-server" condition: the use-cases
// import "server-only", which throws without it. Paths are resolved from this file,
// not the cwd, so the CLI works from anywhere (and through `npx patchgate`).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const entry = fileURLToPath(new URL("../cli/index.ts", import.meta.url));
// `--import tsx` would be resolved from the cwd; resolve it from here instead.
const tsx = import.meta.resolve("tsx");

const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", tsx, entry, ...process.argv.slice(2)],
  {
    stdio: "inherit",
    // tsx reads tsconfig.json (path aliases) from the cwd unless told where it is.
    env: { TSX_TSCONFIG_PATH: `${repo}tsconfig.json`, ...process.env },
  },
);

// A supervisor's SIGTERM reaches only this process; pass it on and let the child decide.
// (Ctrl-C already reaches both: they share the terminal's process group.)
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
for (const signal of forwarded) {
  process.on(signal, () => child.kill(signal));
}

child.on("error", (err) => {
  console.error(`patchgate: cannot start the CLI: ${err.message}`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal, so callers see what really happened.
    for (const s of forwarded) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});

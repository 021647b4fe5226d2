import type { Logger } from "pino";
import { hasUncoveredEvents, integrateLog } from "../lib/server/log/integrate";

const EVERY_MS = 1_000;

/**
 * Issue #16: every event is covered by a signed checkpoint within 2 seconds of its
 * commit. Once a second, a cheap look (the last seq against the latest checkpoint's
 * size); only when events came in, the integration and a new checkpoint. One run at a
 * time; a failed one (Postgres away) is logged and the next tick tries again.
 */
export function startLogIntegrator(log: Pick<Logger, "warn">, everyMs = EVERY_MS) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      if (await hasUncoveredEvents()) await integrateLog();
    })()
      .catch((err: Error) => log.warn({ err: err.message }, "log integration failed"))
      .finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

import { Redis } from "ioredis";
import { env } from "./env";

/** A short-lived connection for a one-off check: fails fast instead of queueing. */
export async function pingRedis(timeoutMs = 1500): Promise<boolean> {
  const redis = new Redis(env().REDIS_URL, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

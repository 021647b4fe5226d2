import { Redis } from "ioredis";

// BullMQ's production guide: producers fail fast when Redis is away (the
// outbox row stays PENDING and the sweep tries again); workers wait forever.

export function producerConnection(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on("error", () => {}); // reported by the failing command instead
  return redis;
}

export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

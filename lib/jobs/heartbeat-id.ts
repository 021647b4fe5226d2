// The one heartbeat row the worker writes and /api/health and the admin page read.
export const HEARTBEAT_ID = "worker";

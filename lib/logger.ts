import pino from "pino";

// JSON logs; secrets are redacted by path wherever they might appear.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: [
    "password",
    "token",
    "*.password",
    "*.token",
    "privateKey",
    "*.privateKey",
    "authorization",
    "*.authorization",
  ],
});

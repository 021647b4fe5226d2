import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";

// One pooled SMTP transport per URL for the life of the process.
const transports = new Map<string, Transporter>();

export function smtpTransport(url: string, timeoutMs: number): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 4,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 3,
    });
    transports.set(url, t);
  }
  return t;
}

export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

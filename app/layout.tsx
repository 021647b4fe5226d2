import type { Metadata } from "next";
import { connection } from "next/server";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import { SkipLink } from "./_components/skip-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Patchgate", template: "%s · Patchgate" },
  description:
    "Change approval for critical systems: the right people decided, in the right order, verifiably.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: proxy.ts gives each response its own CSP
  // nonce, which Next puts on its scripts; a page built ahead would carry none.
  await connection();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body>
        <SkipLink />
        {children}
      </body>
    </html>
  );
}

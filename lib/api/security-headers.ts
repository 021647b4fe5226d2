// The headers every response carries (issue 11, finding 5). Pages get theirs
// from proxy.ts, with a fresh CSP nonce per request; the routes the proxy never
// sees (/api/*, the two upload routes, Next's static files) get the fixed ones
// from next.config.ts headers(). No Next or server imports: next.config.ts loads
// this file too.

/** Browser features the portal never uses, denied to it and to anything it embeds. */
export const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "serial",
  "usb",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

// A year; sub-domains of the portal's own host only.
export const HSTS = "max-age=31536000; includeSubDomains";

/** Headers for every response, page or not. */
export const BASE_HEADERS: readonly (readonly [string, string])[] = [
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "same-origin"],
  ["Permissions-Policy", PERMISSIONS_POLICY],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/**
 * For JSON, diffs, archives and feeds: nothing may run or load, nothing may
 * frame it. form-action is left out: Auth.js's own sign-out confirmation at
 * /api/auth/signout is a form.
 */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The API's answers to a token's holder: no cache keeps them, no one re-encodes them (lib/api/handler.ts). */
export const API_CACHE_CONTROL = "no-store, no-transform";

/**
 * The pages' policy. Scripts run only with this response's nonce (Next puts it
 * on its own scripts) or when loaded by one ('strict-dynamic': the lazily loaded
 * openpgp.js chunk). 'wasm-unsafe-eval' lets openpgp.js compile its Argon2
 * WebAssembly, needed to unlock a key protected with Argon2 (S2K type 4); it
 * does not allow eval of JavaScript. React's style={...} props become style
 * attributes, hence style-src-attr; <style> elements still need the nonce.
 */
export function pageCsp(nonce: string, { dev, https }: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its stack traces.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    // The development server injects styles without a nonce; a nonce would disable 'unsafe-inline'.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A fresh, unguessable nonce (128 bits, base64). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Whether the browser reached the portal over https: the reverse proxy says so
 * with X-Forwarded-Proto, or the configured public URL is https.
 */
export function servedOverHttps(headers: Headers, requestUrl: string): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded === "https") return true;
  if (requestUrl.startsWith("https:")) return true;
  return [process.env.PUBLIC_URL, process.env.AUTH_URL].some((u) => u?.startsWith("https:"));
}

/**
 * A cross-origin POST to a page: a server action (Next-Action header, or a
 * form posted without JavaScript) from another site. Next compares the Origin
 * with X-Forwarded-Host, else Host, and throws (a 500); the proxy answers 403
 * first. No Origin (curl, an old browser) is left to Next, which lets it through
 * as Next does: such a request carries no one's cookies unwillingly.
 */
export function isCrossOriginPost(method: string, headers: Headers): boolean {
  if (method !== "POST") return false;
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  // Compared exactly, as Next compares: never more lenient than the check behind it.
  return !host || originHost !== host;
}

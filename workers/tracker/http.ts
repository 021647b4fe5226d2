import { PermanentError } from "../handlers/context";

export type THttpResult = { status: number; body: string };

const MAX_BODY = 64 * 1024;

/**
 * One outbound request to a tracker: a timeout, redirects never followed (a
 * redirect to another host would carry our token there), a capped body. A 4xx
 * other than 408/429 will not improve on retry and fails the job at once.
 */
export async function request(
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<THttpResult> {
  const res = await fetch(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    redirect: "manual",
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  const body = (await res.text()).slice(0, MAX_BODY);
  if (res.status >= 200 && res.status < 300) return { status: res.status, body };
  const what = `${init.method} ${new URL(url).origin}${new URL(url).pathname} answered ${res.status}`;
  if (res.status >= 300 && res.status < 400)
    throw new PermanentError(`${what}: redirects are not followed`);
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
    throw new PermanentError(`${what}: ${body.slice(0, 300)}`);
  throw new Error(`${what}`);
}

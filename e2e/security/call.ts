import type { TActionArgs, TBody, TRouteCall } from "./access-table";
import type { TActionRef } from "./discover";
import type { TPersona } from "./personas";

// Requests as a script or an attacker sends them: plain fetch, no cookie jar,
// redirects not followed, so every answer is the server's own.

/**
 * fetch, tried again once when a kept-alive connection was closed by the server
 * just as it was reused (Node's fetch pools connections; `next start` drops idle
 * ones after 5 s). Every call the suites make is harmless to repeat.
 */
export async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return fetch(url, init);
  }
}

export type TAnswer = { status: number; location: string | null; code?: string; text: string };

function bodyOf(body: TBody | undefined): { body?: BodyInit; contentType?: string } {
  if (!body) return {};
  if ("json" in body) return { body: JSON.stringify(body.json), contentType: "application/json" };
  if ("text" in body) return { body: body.text, contentType: body.contentType };
  const form = new FormData();
  for (const [k, v] of Object.entries(body.form)) form.append(k, v);
  for (const [k, v] of Object.entries(body.files ?? {}))
    form.append(k, new Blob([v], { type: "text/x-diff" }), `${k}.diff`);
  return { body: form };
}

export async function callRoute(
  baseURL: string,
  method: string,
  route: TRouteCall,
  who: TPersona,
): Promise<TAnswer> {
  const headers: Record<string, string> = { ...who.headers, ...route.headers };
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  if (who.cookie) headers.cookie = who.cookie;
  const { body, contentType } = bodyOf(route.body);
  if (contentType) headers["content-type"] = contentType;
  const res = await send(baseURL + route.url, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    // not JSON: the status alone speaks
  }
  return { status: res.status, location: res.headers.get("location"), code, text };
}

/**
 * The action's arguments as React's encodeReply writes them: plain arguments as
 * a JSON array; a form as multipart, its fields prefixed "_1_" and then the
 * argument list `[null, "$K1"]` (previous state, then the FormData) in part "0".
 */
function encodeArgs(call: TActionArgs): { body: BodyInit; contentType?: string } {
  if ("args" in call)
    return { body: JSON.stringify(call.args), contentType: "text/plain;charset=UTF-8" };
  const form = new FormData();
  for (const [k, v] of Object.entries(call.form)) form.append(`_1_${k}`, v);
  for (const [k, v] of Object.entries(call.files ?? {}))
    form.append(`_1_${k}`, new Blob([v], { type: "text/x-diff" }), `${k}.diff`);
  form.append("0", JSON.stringify([null, "$K1"]));
  return { body: form };
}

/** The first object with an `ok` field in the RSC payload: the action's TActionResult. */
function actionResult(payload: string): { ok?: boolean; code?: string } | null {
  for (const line of payload.split("\n")) {
    const json = line.slice(line.indexOf(":") + 1);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      continue;
    }
    const stack = [value];
    while (stack.length) {
      const v = stack.pop();
      if (v && typeof v === "object") {
        if ("ok" in v && typeof (v as { ok: unknown }).ok === "boolean")
          return v as { ok: boolean; code?: string };
        stack.push(...Object.values(v));
      }
    }
  }
  return null;
}

/** POSTs a server action by its id with the `Next-Action` header, as the browser does. */
export async function callAction(
  baseURL: string,
  ref: TActionRef,
  call: TActionArgs,
  who: TPersona,
): Promise<TAnswer> {
  const headers: Record<string, string> = {
    ...who.headers,
    "next-action": ref.id,
    accept: "text/x-component",
    origin: baseURL,
  };
  if (who.cookie) headers.cookie = who.cookie;
  const { body, contentType } = encodeArgs(call);
  if (contentType) headers["content-type"] = contentType;
  const res = await send(baseURL + ref.page, {
    method: "POST",
    headers,
    body,
    redirect: "manual",
  });
  const text = await res.text();
  const result = actionResult(text);
  return {
    status: res.status,
    location: res.headers.get("location") ?? res.headers.get("x-action-redirect"),
    code: result ? (result.ok ? "OK" : (result.code ?? "UNKNOWN")) : undefined,
    text,
  };
}

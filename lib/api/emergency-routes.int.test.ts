import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetDatabase } from "../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../test/signers";
import { makePerson, makeToken } from "../../test/factories";
import { sampleDiff } from "../../test/diffs";
import { startApiServer } from "../../test/api-server";
import { expectShape } from "../../test/api-shape";
import { CLI_BOOTSTRAP } from "../auth/actor";
import { sha256Hex } from "../crypto/hash";
import { addSystem } from "../server/systems/add-system";
import {
  ZDispute,
  ZDisputeSummary,
  ZEmergency,
  ZEmergencyResponder,
  ZEmergencySignoff,
  ZEmergencySummary,
  ZRuling,
} from "./emergency-answers";

// The emergency ladder and a ruling through the JSON API alone (issue 18): every
// step is an HTTP request against the real route modules (test/api-server.ts),
// every statement fetched from the API, signed with the person's openpgp.js key
// and posted back. Then each route's refusals: 401, 403, 404, 400, 409, 422.

type People = Record<
  "ada" | "bert" | "bea" | "carl" | "cora" | "tara" | "tom" | "ari" | "nobody",
  TSigner
>;
let t: People;
const token = {} as Record<keyof People, string>;
let api: Awaited<ReturnType<typeof startApiServer>>;
const diffText = new TextDecoder().decode(sampleDiff("api-o2"));

/** One request; `body` goes as JSON (a string as it is, for malformed JSON). */
function call(method: string, path: string, who?: keyof People | string, body?: unknown) {
  const bearer = who === undefined ? undefined : who in token ? token[who as keyof People] : who;
  return fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function ok<T = unknown>(r: Response, status: number): Promise<T> {
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function refusal(r: Response, status: number) {
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return (JSON.parse(text) as { error: { code: string; message: string } }).error;
}

/** The statement the API issues to `who`, checked like the patches' one: text/plain with its headers. */
async function statementFor(who: keyof People, path: string, body: Record<string, unknown>) {
  const r = await call("POST", path, who, body);
  const statement = await r.text();
  expect(r.status, statement).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  expect(r.headers.get("x-key-fingerprint")).toBe(t[who].fingerprint);
  const expires = new Date(r.headers.get("x-statement-expires-at") ?? "");
  expect(expires.getTime()).toBeGreaterThan(Date.now());
  return statement;
}

/** One emergency step over HTTP: fetch the statement, sign it, post it with its attachments and bug. */
async function step(who: keyof People, number: number, body: Record<string, unknown>) {
  const statement = await statementFor(who, `/emergencies/${number}/statement`, body);
  const signature = await detachSign(t[who].privateKey, statement);
  const answer = await ok<z.infer<typeof ZEmergencySignoff>>(
    await call("POST", `/emergencies/${number}/signoffs`, who, {
      statement,
      signature,
      diff: body.diff,
      log: body.log,
      bugId: body.bugId,
      bugSummary: body.bugSummary,
    }),
    201,
  );
  expectShape(ZEmergencySignoff, answer);
  return answer;
}

const declaration = (title: string) => ({
  system: "webdb",
  title,
  description: "Password check skipped for some accounts.",
  severity: "critical",
});

async function declare(title: string) {
  const e = await ok<z.infer<typeof ZEmergency>>(
    await call("POST", "/emergencies", "carl", declaration(title)),
    201,
  );
  return e.number;
}

beforeAll(async () => {
  await resetDatabase();
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
  const [ada, bert, bea, carl, cora, tara, tom, ari] = await Promise.all(
    (
      [
        "ASSESSOR",
        "ASSESSOR",
        "ASSESSOR",
        "CRITICAL_ADMIN",
        "CRITICAL_ADMIN",
        "TESTER",
        "TESTER",
        "ARBITRATOR",
      ] as const
    ).map((r) => makeSigner([r])),
  );
  const nobody = { ...(await makePerson([])), privateKey: "", fingerprint: "" };
  t = { ada, bert, bea, carl, cora, tara, tom, ari, nobody };
  for (const k of Object.keys(t) as (keyof People)[]) token[k] = await makeToken(t[k]);
  api = await startApiServer();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

let walked: { number: number; dispute: number };

describe("the emergency ladder and a ruling through the API alone", () => {
  it("declare, name a responder, acknowledge, team unreachable, option 2, its dispute, resolve, the ruling", async () => {
    // E1: declared by a critical admin; the answer is the whole emergency.
    const declared = await ok<z.infer<typeof ZEmergency>>(
      await call("POST", "/emergencies", "carl", declaration("Login bypass on webdb")),
      201,
    );
    expectShape(ZEmergency, declared);
    expect(declared).toMatchObject({
      state: "DECLARED",
      severity: "critical",
      system: { slug: "webdb" },
      declaredBy: { id: t.carl.id },
      responders: [],
      moves: [],
      disputes: [],
      standby: [],
    });
    expect(new Date(declared.deadlineAt).getTime() - new Date(declared.declaredAt).getTime()).toBe(
      24 * 3_600_000,
    );
    const number = declared.number;
    // The declarer may take the ladder's first decisions; a false alarm's closing among them.
    expect(declared.nextSteps.find((s) => s.kind === "team-unreachable")).toMatchObject({
      allowed: true,
      mine: true,
    });

    const list = await ok<unknown[]>(await call("GET", "/emergencies", "tara"), 200);
    expectShape(z.array(ZEmergencySummary), list);
    expect(list).toContainEqual(
      expect.objectContaining({ number, state: "DECLARED", system: "webdb", disputes: 0 }),
    );

    // E2: the declarer names the testers' responder, who acknowledges standby, signed.
    const named = await ok(
      await call("POST", `/emergencies/${number}/responders`, "carl", {
        team: "TESTERS",
        userId: t.tara.id,
        contact: "IRC #ops, +41 44 000 00 00",
      }),
      201,
    );
    expectShape(ZEmergencyResponder, named);
    expect(named).toMatchObject({ team: "TESTERS", userId: t.tara.id, acknowledgedAt: null });
    const seen = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "tara"),
      200,
    );
    expect(seen.standby).toEqual(["TESTERS"]);
    expect(await step("tara", number, { kind: "acknowledge", comment: "On standby." })).toEqual({
      kind: "acknowledge",
      team: "TESTERS",
      acknowledgedAt: expect.any(String),
    });

    // E4: a required team unreachable opens option 2: the assessor's tested patch, another's deploy.
    expect(
      await step("carl", number, {
        kind: "team-unreachable",
        team: "DEVELOPERS",
        comment: "No developer answered for two hours.",
      }),
    ).toMatchObject({ kind: "team-unreachable", from: "DECLARED", to: "DECLARED" });
    expect(
      await step("ada", number, {
        kind: "option2-patch",
        comment: "Tested locally against a copy of the database.",
        diff: diffText,
      }),
    ).toMatchObject({ kind: "option2-patch", to: "DECLARED" });
    const deployed = await step("cora", number, {
      kind: "option2-deploy",
      comment: "Applied the patch at 03:10 UTC, apache reloaded.",
    });
    expect(deployed).toMatchObject({
      kind: "option2-deploy",
      from: "DECLARED",
      to: "OPTION2",
      disputeId: expect.any(String),
      patchId: expect.any(String),
    });
    expect(
      await step("carl", number, {
        kind: "resolve",
        comment: "Logins checked: the bypass is gone.",
      }),
    ).toMatchObject({ kind: "resolve", from: "OPTION2", to: "RESOLVED" });

    const e = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "ada"),
      200,
    );
    expectShape(ZEmergency, e);
    expect(e.state).toBe("RESOLVED");
    expect(e.resolvedAt).not.toBeNull();
    expect(e.moves.map((m) => [m.kind, m.actor.id])).toEqual([
      ["team-unreachable", t.carl.id],
      ["option2-patch", t.ada.id],
      ["option2-deploy", t.cora.id],
      ["resolve", t.carl.id],
    ]);
    // The signed diff's hash is recorded with the move; the diff itself stays out of the answer.
    expect(e.moves[1].data).toEqual({ sha256: sha256Hex(diffText) });
    expect(e.moves.every((m) => m.statement !== null)).toBe(true);
    expect(e.responders).toEqual([
      expect.objectContaining({ team: "TESTERS", acknowledgedAt: expect.any(String) }),
    ]);
    expect(e.patches).toHaveLength(1);
    expect(e.disputes).toEqual([
      expect.objectContaining({ id: (deployed as { disputeId?: string }).disputeId }),
    ]);
    const dispute = e.disputes[0];
    expect(dispute).toMatchObject({ state: "OPEN", ruling: null });
    expect(e.nextSteps).toEqual([]);

    // E7: an arbitrator who took no part rules on the dispute the ladder filed.
    const disputes = await ok<unknown[]>(await call("GET", "/disputes", "ari"), 200);
    expectShape(z.array(ZDisputeSummary), disputes);
    expect(disputes).toContainEqual(
      expect.objectContaining({
        number: dispute.number,
        state: "OPEN",
        emergency: expect.objectContaining({ number, state: "RESOLVED", system: "webdb" }),
        ruling: null,
      }),
    );
    const open = await ok<z.infer<typeof ZDispute>>(
      await call("GET", `/disputes/${dispute.number}`, "ari"),
      200,
    );
    expectShape(ZDispute, open);
    expect(open).toMatchObject({ state: "OPEN", mayRule: true, tookPart: false, ruling: null });
    expect(open.reason).toContain("option 2");

    const statement = await statementFor("ari", `/disputes/${dispute.number}/statement`, {
      verdict: "justified",
      comment: "The developers could not be reached; option 2 was the right call.",
    });
    expect(statement).toContain("kind: ruling");
    expect(statement).toContain(`dispute-number: ${dispute.number}`);
    const ruling = await ok<z.infer<typeof ZRuling>>(
      await call("POST", `/disputes/${dispute.number}/signoffs`, "ari", {
        statement,
        signature: await detachSign(t.ari.privateKey, statement),
      }),
      201,
    );
    expectShape(ZRuling, ruling);
    expect(ruling).toMatchObject({
      verdict: "justified",
      reasoning: "The developers could not be reached; option 2 was the right call.",
      arbitrator: { id: t.ari.id },
    });

    const ruled = await ok<z.infer<typeof ZDispute>>(
      await call("GET", `/disputes/${dispute.number}`, "ari"),
      200,
    );
    expectShape(ZDispute, ruled);
    expect(ruled).toMatchObject({ state: "RULED", mayRule: false, ruling });
    const after = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "ari"),
      200,
    );
    expect(after.disputes[0]).toMatchObject({ state: "RULED", ruling });
    walked = { number, dispute: dispute.number };
  });
});

describe("option 1, option 3 and a false alarm through the API", () => {
  it("live analysis, both declarations (a dispute), the watched session with its log and change, resolved", async () => {
    const number = await declare("Replication stalls on webdb");
    await step("carl", number, { kind: "live-analysis", comment: "Needs the live system." });
    await step("carl", number, {
      kind: "option3-declaration",
      as: "CRITICAL_ADMIN",
      comment: "Options 1 and 2 cannot reach the cause.",
    });
    const second = await step("ada", number, {
      kind: "option3-declaration",
      as: "ASSESSOR",
      comment: "Needs analysis on the live system.",
    });
    expect(second).toMatchObject({ to: "OPTION3", disputeId: expect.any(String) });
    const before = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "carl"),
      200,
    );
    expect(before.nextSteps.find((s) => s.kind === "session-opened")).toMatchObject({
      mine: true,
      grantees: expect.arrayContaining([t.ada.id]),
    });
    await step("carl", number, {
      kind: "session-opened",
      granteeId: t.ada.id,
      comment: "Console on screen, watched.",
    });
    await step("carl", number, { kind: "session-terminated", comment: "Fix applied." });
    const log = "03:40 ada: grep replication.conf\n03:52 fixed\n";
    const change = new TextDecoder().decode(sampleDiff("api-o3"));
    expect(
      await step("carl", number, {
        kind: "session-disabled",
        comment: "Account removed, firewall rule dropped.",
        log,
        diff: change,
      }),
    ).toMatchObject({ kind: "session-disabled", patchId: expect.any(String) });
    await step("cora", number, { kind: "resolve", comment: "Replication runs." });
    const e = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "tara"),
      200,
    );
    expectShape(ZEmergency, e);
    expect(e.state).toBe("RESOLVED");
    expect(e.sessions).toEqual([
      expect.objectContaining({
        grantee: { id: t.ada.id, name: t.ada.name },
        watcher: { id: t.carl.id, name: t.carl.name },
        terminatedAt: expect.any(String),
        disabledAt: expect.any(String),
        logAttached: true,
      }),
    ]);
    expect(e.moves.find((m) => m.kind === "session-disabled")?.data).toEqual({
      sha256: sha256Hex(change),
    });
    expect(e.disputes).toEqual([expect.objectContaining({ state: "OPEN" })]);
  });

  it("option 1: the patch with its bug, the 1st review with the transfer, the testers' passes, the 2nd review", async () => {
    const number = await declare("Session fixation on webdb");
    const fix = new TextDecoder().decode(sampleDiff("api-o1"));
    const prepared = await step("ada", number, {
      kind: "option1-patch",
      comment: "Regenerate the session id at login.",
      diff: fix,
      bugId: "4321",
      bugSummary: "Session id kept across login",
    });
    expect(prepared).toMatchObject({
      from: "DECLARED",
      to: "OPTION1",
      patchId: expect.any(String),
    });
    // The bug travels with the sign-off as with the statement: the patch record has it.
    const patchId = (prepared as { patchId?: string }).patchId;
    expect(await ok(await call("GET", `/patches/${patchId}`, "bert"), 200)).toMatchObject({
      bugId: "4321",
      bugSummary: "Session id kept across login",
    });
    const statement = await statementFor("bert", `/emergencies/${number}/statement`, {
      kind: "gate",
      gate: "review-1",
      comment: "Reviewed, moved to the development repository and test1.",
      develCommit: "A1B2C3D4E5F6",
      testServer: "test1.example.org",
    });
    expect(statement).toContain("devel-commit: a1b2c3d4e5f6\ntest-server: test1.example.org\n");
    await ok(
      await call("POST", `/emergencies/${number}/signoffs`, "bert", {
        statement,
        signature: await detachSign(t.bert.privateKey, statement),
      }),
      201,
    );
    // The system's policy: two testers pass it.
    await step("tara", number, { kind: "gate", gate: "test", verdict: "pass", comment: "OK." });
    await step("tom", number, { kind: "gate", gate: "test", verdict: "pass", comment: "OK too." });
    const e = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "bea"),
      200,
    );
    expectShape(ZEmergency, e);
    expect(e.nextSteps.find((s) => s.kind === "gate")).toMatchObject({
      gate: "review-2",
      mine: true,
    });
    expect(e.moves.map((m) => [m.kind, m.data.gate ?? null])).toEqual([
      ["option1-patch", null],
      ["gate", "review-1"],
      ["gate", "test"],
      ["gate", "test"],
    ]);
    expect(e.moves[1].data).toMatchObject({
      develCommit: "a1b2c3d4e5f6",
      testServer: "test1.example.org",
      sha256: sha256Hex(fix),
    });
    await step("bea", number, { kind: "gate", gate: "review-2", comment: "Forwarded." });
    const after = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "bea"),
      200,
    );
    expect(after.patches).toEqual([
      expect.objectContaining({
        id: (prepared as { patchId?: string }).patchId,
        state: "REQUESTED",
      }),
    ]);
    expect(after.state).toBe("OPTION1");
  });

  it("a false alarm: the declarer and a second person close it", async () => {
    const number = await declare("Alarm on webdb");
    expect(
      await step("ada", number, { kind: "close", comment: "The monitoring misfired." }),
    ).toMatchObject({ from: "DECLARED", to: "DECLARED" });
    expect(
      await step("carl", number, { kind: "close", comment: "Confirmed: no bypass." }),
    ).toMatchObject({ from: "DECLARED", to: "CLOSED" });
    const e = await ok<z.infer<typeof ZEmergency>>(
      await call("GET", `/emergencies/${number}`, "carl"),
      200,
    );
    expectShape(ZEmergency, e);
    expect(e.state).toBe("CLOSED");
  });
});

describe("the emergency and dispute routes' refusals", () => {
  it("401 without a valid token, for every route", async () => {
    const routes: [string, string, unknown?][] = [
      ["GET", "/emergencies"],
      ["POST", "/emergencies", declaration("No token")],
      ["GET", `/emergencies/${walked.number}`],
      ["POST", `/emergencies/${walked.number}/responders`, {}],
      ["POST", `/emergencies/${walked.number}/statement`, { kind: "acknowledge" }],
      ["POST", `/emergencies/${walked.number}/signoffs`, {}],
      ["GET", "/disputes"],
      ["GET", `/disputes/${walked.dispute}`],
      ["POST", `/disputes/${walked.dispute}/statement`, {}],
      ["POST", `/disputes/${walked.dispute}/signoffs`, {}],
    ];
    for (const [method, path, body] of routes) {
      for (const who of [undefined, "pg_not-a-token"]) {
        const error = await refusal(await call(method, path, who, body), 401);
        expect(error.code, `${method} ${path}`).toBe("UNAUTHENTICATED");
      }
    }
  });

  it("403 for the wrong role, a read-scoped token, and a step that is another's", async () => {
    const n = await declare("Disk fills up on webdb");
    // Testers do not declare; nobody without a role reads emergencies; only arbitrators and admins see disputes.
    expect(
      await refusal(await call("POST", "/emergencies", "tara", declaration("x y z")), 403),
    ).toEqual({ code: "FORBIDDEN", message: "Your roles do not allow emergency:declare." });
    const read = await makeToken(t.carl, { scope: "READ" });
    expect(
      (await refusal(await call("POST", "/emergencies", read, declaration("Read")), 403)).code,
    ).toBe("FORBIDDEN");
    expect((await refusal(await call("GET", "/emergencies", "nobody"), 403)).message).toBe(
      "Your roles do not allow patch:read.",
    );
    expect((await refusal(await call("GET", `/emergencies/${n}`, "nobody"), 403)).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(await call("GET", "/disputes", "tara"), 403)).message).toBe(
      "Your roles do not allow dispute:read.",
    );
    expect(
      (await refusal(await call("GET", `/disputes/${walked.dispute}`, "carl"), 403)).message,
    ).toBe("Your roles do not allow dispute:read.");
    // A tester names no developers' responder (neither of the team nor the declarer).
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/responders`, "tara", {
            team: "DEVELOPERS",
            userId: t.ada.id,
            contact: "phone",
          }),
          403,
        )
      ).message,
    ).toMatch(/named by a member of that team or by whoever declared/);
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/responders`, "ari", {
            team: "TESTERS",
            userId: t.tara.id,
            contact: "phone",
          }),
          403,
        )
      ).message,
    ).toBe("Your roles do not allow emergency:respond.");
    // The ladder's ROLE rule: option 2's patch is an assessor's.
    expect(
      await refusal(
        await call("POST", `/emergencies/${n}/statement`, "tara", {
          kind: "option2-patch",
          comment: "mine",
          diff: diffText,
        }),
        403,
      ),
    ).toEqual({
      code: "FORBIDDEN",
      message: '"Option 2: assessor\'s locally tested patch" is made by assessor.',
    });
    // Only a named responder acknowledges.
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/statement`, "ada", { kind: "acknowledge" }),
          403,
        )
      ).message,
    ).toBe("Only a team's named responder acknowledges standby, once.");
    // Rulings are the arbitrators'.
    expect(
      (
        await refusal(
          await call("POST", `/disputes/${walked.dispute}/statement`, "carl", {
            verdict: "justified",
            comment: "mine",
          }),
          403,
        )
      ).message,
    ).toBe("Your roles do not allow dispute:rule.");
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${walked.number}/statement`, "carl", {
            kind: "ruling",
            verdict: "justified",
            comment: "mine",
          }),
          403,
        )
      ).message,
    ).toBe("Your roles do not allow dispute:rule.");
    // An arbitrator records no ladder move.
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/signoffs`, "ari", {
            statement: "not a statement",
            signature: "no",
          }),
          403,
        )
      ).message,
    ).toBe("Your roles do not allow emergency:respond.");
  });

  it("404 for an unknown number, after the caller's permission", async () => {
    const missing: [string, string, keyof People, unknown?][] = [
      ["GET", "/emergencies/999999", "tara"],
      [
        "POST",
        "/emergencies/999999/responders",
        "carl",
        { team: "TESTERS", userId: "x", contact: "irc" },
      ],
      ["POST", "/emergencies/999999/statement", "tara", { kind: "acknowledge" }],
      ["POST", "/emergencies/999999/signoffs", "tara", { statement: "x", signature: "y" }],
    ];
    for (const [method, path, who, body] of missing)
      expect(await refusal(await call(method, path, who, body), 404), `${method} ${path}`).toEqual({
        code: "NOT_FOUND",
        message: "No emergency #999999.",
      });
    const disputes: [string, string, unknown?][] = [
      ["GET", "/disputes/999999"],
      ["POST", "/disputes/999999/statement", { verdict: "justified", comment: "x" }],
      ["POST", "/disputes/999999/signoffs", { statement: "x", signature: "y" }],
    ];
    for (const [method, path, body] of disputes)
      expect(
        await refusal(await call(method, path, "ari", body), 404),
        `${method} ${path}`,
      ).toEqual({
        code: "NOT_FOUND",
        message: "No dispute #999999.",
      });
    // A dispute of another emergency is no dispute of this one.
    const other = await declare("Another emergency");
    const { id: disputeId } = await ok<z.infer<typeof ZDispute>>(
      await call("GET", `/disputes/${walked.dispute}`, "ari"),
      200,
    );
    expect(
      await refusal(
        await call("POST", `/emergencies/${other}/statement`, "ari", {
          kind: "ruling",
          disputeId,
          verdict: "justified",
          comment: "x",
        }),
        404,
      ),
    ).toEqual({ code: "NOT_FOUND", message: "No such dispute for this emergency." });
  });

  it("400 for bad input: the number, the JSON, the fields, what a step needs", async () => {
    const n = await declare("Certificate expired on webdb");
    for (const path of ["/emergencies/abc", "/emergencies/0", "/disputes/abc"])
      expect((await refusal(await call("GET", path, "ari"), 400)).code).toBe("VALIDATION");
    expect(
      (await refusal(await call("POST", "/emergencies", "carl", "{not json"), 400)).message,
    ).toMatch(/not valid JSON/);
    expect(
      (
        await refusal(
          await call("POST", "/emergencies", "carl", { ...declaration("x"), severity: "low" }),
          400,
        )
      ).message,
    ).toMatch(/title: What is wrong: at least 3 characters; severity/);
    expect(
      (
        await refusal(
          await call("POST", "/emergencies", "carl", {
            ...declaration("No system"),
            system: "nope",
          }),
          400,
        )
      ).message,
    ).toBe('There is no target system "nope".');
    // The responder must hold the team's role.
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/responders`, "carl", {
            team: "TESTERS",
            userId: t.ari.id,
            contact: "phone",
          }),
          400,
        )
      ).message,
    ).toBe("The responder for this team must be an approved tester.");
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/responders`, "carl", { team: "COOKS" }),
          400,
        )
      ).code,
    ).toBe("VALIDATION");
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/statement`, "carl", { kind: "nonsense" }),
          400,
        )
      ).code,
    ).toBe("VALIDATION");
    // Option 2's patch needs its diff; a ruling its verdict and reasoning.
    await step("carl", n, { kind: "option1-unfit", comment: "The 24 hours will not do." });
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/statement`, "ada", {
            kind: "option2-patch",
            comment: "x",
          }),
          400,
        )
      ).message,
    ).toBe("Attach the locally tested patch (a unified diff).");
    expect(
      (
        await refusal(
          await call("POST", `/disputes/${walked.dispute}/statement`, "ari", { verdict: "maybe" }),
          400,
        )
      ).code,
    ).toBe("VALIDATION");
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/signoffs`, "carl", { statement: "" }),
          400,
        )
      ).code,
    ).toBe("VALIDATION");
  });

  it("413 for a diff above MAX_DIFF_BYTES", async () => {
    const n = await declare("Huge patch on webdb");
    await step("carl", n, { kind: "option1-unfit", comment: "No time." });
    const huge = `${diffText}${"+".repeat(6 * 1024 * 1024)}\n`;
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${n}/statement`, "ada", {
            kind: "option2-patch",
            comment: "Too big.",
            diff: huge,
          }),
          413,
        )
      ).code,
    ).toBe("PAYLOAD_TOO_LARGE");
  });

  it("409 where the state refuses: the ladder's order, an emergency over, a dispute ruled", async () => {
    const n = await declare("Mail relay open on webdb");
    // E4: option 2's deploy needs option 1 unfit (or a team unreachable) and the assessor's patch first.
    expect(
      await refusal(
        await call("POST", `/emergencies/${n}/statement`, "carl", {
          kind: "option2-deploy",
          comment: "Deploy now.",
        }),
        409,
      ),
    ).toEqual({
      code: "CONFLICT",
      message:
        "Option 2 needs option 1 recorded as unfit (with a reason) or a required team recorded as unreachable first.",
    });
    // The walked emergency is resolved: no more steps, no more responders.
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${walked.number}/statement`, "carl", {
            kind: "option1-unfit",
            comment: "Too late.",
          }),
          409,
        )
      ).message,
    ).toMatch(/not possible while the emergency is resolved/);
    expect(
      await refusal(
        await call("POST", `/emergencies/${walked.number}/responders`, "carl", {
          team: "CRITICAL_ADMINS",
          userId: t.cora.id,
          contact: "phone",
        }),
        409,
      ),
    ).toEqual({ code: "CONFLICT", message: "This emergency is over." });
    // A dispute is ruled once.
    expect(
      await refusal(
        await call("POST", `/disputes/${walked.dispute}/statement`, "ari", {
          verdict: "not-justified",
          comment: "Again.",
        }),
        409,
      ),
    ).toEqual({ code: "CONFLICT", message: "This dispute has already been ruled on." });
    // A statement issued while the step was allowed is refused when it is no longer.
    const first = await statementFor("carl", `/emergencies/${n}/statement`, {
      kind: "option1-unfit",
      comment: "Option 1 cannot make it.",
    });
    const second = await statementFor("cora", `/emergencies/${n}/statement`, {
      kind: "option1-unfit",
      comment: "Option 1 cannot make it either.",
    });
    await ok(
      await call("POST", `/emergencies/${n}/signoffs`, "carl", {
        statement: first,
        signature: await detachSign(t.carl.privateKey, first),
      }),
      201,
    );
    expect(
      await refusal(
        await call("POST", `/emergencies/${n}/signoffs`, "cora", {
          statement: second,
          signature: await detachSign(t.cora.privateKey, second),
        }),
        409,
      ),
    ).toEqual({ code: "CONFLICT", message: "Option 1 is already recorded as unfit." });
  });

  it("422 for a statement posted to another emergency's or dispute's URL, and a bad signature", async () => {
    const a = await declare("Emergency A");
    const b = await declare("Emergency B");
    const statement = await statementFor("carl", `/emergencies/${a}/statement`, {
      kind: "live-analysis",
      comment: "Needs the live system.",
    });
    const signature = await detachSign(t.carl.privateKey, statement);
    expect(
      await refusal(
        await call("POST", `/emergencies/${b}/signoffs`, "carl", { statement, signature }),
        422,
      ),
    ).toEqual({
      code: "SIGNATURE_REFUSED",
      message: "The statement is for another emergency than the one in the URL.",
    });
    expect(
      (
        await refusal(
          await call("POST", `/emergencies/${a}/signoffs`, "carl", {
            statement,
            signature: await detachSign(t.cora.privateKey, statement),
          }),
          422,
        )
      ).code,
    ).toBe("SIGNATURE_REFUSED");
    // Still unused: the right URL and signature record it.
    expect(
      await ok(
        await call("POST", `/emergencies/${a}/signoffs`, "carl", { statement, signature }),
        201,
      ),
    ).toMatchObject({ kind: "live-analysis" });
    // A ladder statement is no ruling on a dispute.
    const move = await statementFor("carl", `/emergencies/${a}/statement`, {
      kind: "option1-unfit",
      comment: "x",
    });
    expect(
      await refusal(
        await call("POST", `/disputes/${walked.dispute}/signoffs`, "ari", {
          statement: move,
          signature: await detachSign(t.carl.privateKey, move),
        }),
        422,
      ),
    ).toEqual({
      code: "SIGNATURE_REFUSED",
      message: "The statement is no ruling on the dispute in the URL.",
    });
  });
});

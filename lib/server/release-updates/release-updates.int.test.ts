import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ZApiError } from "../../api/openapi-parts";
import {
  ZReleaseUpdate,
  ZReleaseUpdateSummary,
  ZUpdateTemplate,
} from "../../api/release-update-responses";
import { db } from "../../db";
import { expectShape } from "../../../test/api-shape";
import { resetDatabase } from "../../../test/reset";
import { detachSign, makeSigner, type TSigner } from "../../../test/signers";
import { makePerson, makeToken } from "../../../test/factories";
import { CLI_BOOTSTRAP, type TPersonActor } from "../../auth/actor";
import { CERTBOT_SRU_TEMPLATE } from "../../domain/sru-template";
import { findTodos } from "../../domain/update-template";
import { addSystem } from "../systems/add-system";
import { getTemplate, listTemplates, saveTemplate } from "./templates";
import { createUpdate } from "./create-update";
import { editUpdate } from "./edit-update";
import { getUpdate, listUpdates, loadUpdate } from "./update-facts";
import { issueUpdateStatement, recordUpdateSignoff, submitUpdate } from "./update-statements";
import { GET as updatesGet, POST as updatesPost } from "@/app/api/v1/updates/route";
import { GET as updateGet, PATCH as updatePatch } from "@/app/api/v1/updates/[id]/route";
import { POST as submitPost } from "@/app/api/v1/updates/[id]/submit/route";
import { GET as statementGet } from "@/app/api/v1/updates/[id]/statement/route";
import { POST as signoffsPost } from "@/app/api/v1/updates/[id]/signoffs/route";
import { GET as templatesGet, POST as templatesPost } from "@/app/api/v1/update-templates/route";
import { GET as templateGet, PUT as templatePut } from "@/app/api/v1/update-templates/[slug]/route";

let admin: TPersonActor;
let dev: TSigner;
let a1: TSigner;
let a2: TSigner;
let a3: TSigner;
let tester: TSigner;

const PACKAGES = ["python-acme", "python-certbot", "python-certbot-apache", "python-certbot-nginx"];
const SERIES = ["focal", "jammy", "noble"];
const VERSIONS = Object.fromEntries(PACKAGES.map((p) => [p, "2.11.0-0ubuntu1~22.04.1"]));

/** Every TODO of the certbot template filled; Major Changes as given. */
const filled = (majorChanges: string) => ({
  Introduction:
    "This bug tracks an update for the Certbot family of packages, version 2.11.0.\n\n" +
    "This update includes bugfixes only following the SRU policy exception.",
  Impact: "Not directly applicable; see the exception policy document.\n\nRenewals fail on jammy.",
  "Major Changes": majorChanges,
  "Regression Potential": "Low: upstream tests it well; `grep TODO` stays literal.",
});
const COMPATIBLE = "- Renewal retries on a timeout.\n- A clearer error for a bad webroot.";
const INCOMPATIBLE =
  "- Renewal retries on a timeout.\n- The --manual-public-ip-logging-ok flag is gone: not backwards compatible for scripts.";

async function newUpdate(by: TSigner = dev) {
  return createUpdate({
    actor: by,
    template: CERTBOT_SRU_TEMPLATE.slug,
    system: "ubuntu",
    title: "certbot 2.11.0 for focal, jammy and noble",
    packages: PACKAGES,
    version: "2.11.0",
    series: SERIES,
    bugId: "2071234",
  });
}

type TIssue = Omit<Parameters<typeof issueUpdateStatement>[0], "actor" | "id">;

async function signed(signer: TSigner, id: string, q: TIssue) {
  const { statement } = await issueUpdateStatement({ actor: signer, id, ...q });
  return { statement, signature: await detachSign(signer.privateKey, statement) };
}
async function sign(signer: TSigner, id: string, q: TIssue) {
  return recordUpdateSignoff({ actor: signer, id, ...(await signed(signer, id, q)) });
}
const submit = async (by: TSigner, id: string) =>
  submitUpdate({ actor: by, id, ...(await signed(by, id, { kind: "update-submit" })) });
const review = (by: TSigner, id: string, verdict = "approve", comment = "") =>
  sign(by, id, { kind: "update-review", verdict, comment });

/** A filled, submitted record (by dev unless said). */
async function submitted(majorChanges = COMPATIBLE, by: TSigner = dev) {
  const u = await newUpdate(by);
  await editUpdate({ actor: by, id: u.id, sections: filled(majorChanges) });
  return submit(by, u.id);
}

async function approved() {
  const u = await submitted();
  await review(a1, u.id);
  return review(a2, u.id);
}

/** Every check of a series recorded ok (the verify helper's use-cases record these for real). */
async function checksOk(id: string, series: string, skip: string[] = []) {
  const u = await loadUpdate(id);
  const base = { updateId: id, revision: u.revision, series };
  for (const kind of ["ACME", "SMOKE"] as const)
    if (!skip.includes(kind))
      await db.seriesEvidence.create({
        data: {
          ...base,
          kind,
          ok: true,
          facts:
            kind === "ACME"
              ? { domain: `${series}.test` }
              : { url: "https://ci/1", result: "pass" },
          recordedById: tester.id,
        },
      });
  for (const server of ["apache", "nginx"])
    if (!skip.includes(server))
      await db.httpsCheck.create({
        data: {
          ...base,
          server,
          url: `https://${server}.${series}.test/`,
          host: `${server}.${series}.test`,
          port: 443,
          state: "CHECKED",
          ok: true,
          hostValid: true,
          chainValid: true,
          sha256: "ab".repeat(32),
          checkedAt: new Date(),
          requestedById: tester.id,
        },
      });
}

const actions = async (subjectId: string) =>
  (await db.auditEvent.findMany({ where: { subjectId }, orderBy: { seq: "asc" } })).map(
    (e) => e.action,
  );

beforeEach(async () => {
  await resetDatabase();
  admin = await makePerson(["ADMIN"]);
  [dev, a1, a2, a3, tester] = await Promise.all([
    makeSigner(["DEVELOPER"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["ASSESSOR"]),
    makeSigner(["TESTER"]),
  ]);
  await addSystem({ actor: CLI_BOOTSTRAP, slug: "ubuntu", name: "Ubuntu archive" });
  await saveTemplate({ actor: admin, ...CERTBOT_SRU_TEMPLATE });
});

describe("templates", () => {
  it("are kept by admins only, audited, and listed with their TODOs", async () => {
    await expect(
      saveTemplate({ actor: dev, slug: "x-sru", name: "X SRU", body: "[Impact]\nTODO" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const again = await saveTemplate({
      actor: admin,
      ...CERTBOT_SRU_TEMPLATE,
      name: "Certbot SRU (v2)",
    });
    expect(again).toMatchObject({ created: false, name: "Certbot SRU (v2)" });
    expectShape(ZUpdateTemplate, again);
    const t = await getTemplate({ actor: dev, slug: CERTBOT_SRU_TEMPLATE.slug });
    expectShape(ZUpdateTemplate, t);
    expect(t.todos.map((x) => x.section)).toEqual([
      "Introduction",
      "Introduction",
      "Impact",
      "Major Changes",
      "Regression Potential",
    ]);
    expect((await listTemplates({ actor: tester })).map((x) => x.slug)).toEqual(["certbot-sru"]);
    const events = await db.auditEvent.findMany({ where: { action: "update-template.saved" } });
    expect(events.map((e) => (e.payload as { created: boolean }).created)).toEqual([true, false]);
  });
});

describe("records (S1)", () => {
  it("is created from a template with its facts, and validates them", async () => {
    const u = await newUpdate();
    expect(u).toMatchObject({
      number: 1,
      state: "DRAFT",
      revision: 0,
      system: { slug: "ubuntu" },
      template: { slug: "certbot-sru" },
      packages: PACKAGES,
      series: SERIES,
      body: CERTBOT_SRU_TEMPLATE.body,
      outcome: null,
      tags: [],
    });
    expect(u.todos).toHaveLength(5);
    expect(u.sections.find((s) => s.title === "Major Changes")!.todos).toHaveLength(1);
    await expect(
      createUpdate({
        actor: dev,
        template: "certbot-sru",
        system: "ubuntu",
        title: "dup",
        packages: ["python-acme", "python-acme"],
        version: "2.11.0",
        series: ["jammy"],
        bugId: "1",
      }),
    ).rejects.toThrow(/packages must be unique/);
    await expect(
      createUpdate({
        actor: tester,
        template: "certbot-sru",
        system: "ubuntu",
        title: "certbot",
        packages: ["python-acme"],
        version: "2.11.0",
        series: ["jammy"],
        bugId: "1",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      editUpdate({ actor: dev, id: u.id, sections: { "No Such Section": "x" } }),
    ).rejects.toThrow(/No section "No Such Section"/);
    expect(await actions(u.id)).toEqual(["update.created"]);
    expect((await listUpdates({ actor: tester })).map((x) => x.number)).toEqual([1]);
  });
});

describe("submitting (S1)", () => {
  it("is refused while any TODO remains, listing each section and line, when issued and when recorded", async () => {
    const u = await newUpdate();
    const refusal = await issueUpdateStatement({
      actor: dev,
      id: u.id,
      kind: "update-submit",
    }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: "VALIDATION" });
    const { message, details } = refusal as { message: string; details: { todos: unknown[] } };
    expect(details.todos).toEqual(findTodos(CERTBOT_SRU_TEMPLATE.body));
    expect(message).toContain("5 TODO placeholders");
    expect(message).toContain("Introduction, line 1: This bug tracks an update");
    expect(message).toContain("Introduction, line 3: This update includes [TODO: remove one]");
    expect(message).toMatch(/Impact, line \d+: TODO: explain why we need/);
    expect(message).toMatch(/Major Changes, line \d+: TODO: explain what changes/);
    expect(message).toMatch(/Regression Potential, line \d+: TODO: consider/);

    // Filled except one section: only that one is listed.
    const partly = filled(COMPATIBLE);
    await editUpdate({
      actor: dev,
      id: u.id,
      sections: { ...partly, "Regression Potential": "TODO: later" },
    });
    await expect(
      issueUpdateStatement({ actor: dev, id: u.id, kind: "update-submit" }),
    ).rejects.toMatchObject({
      details: { todos: [expect.objectContaining({ section: "Regression Potential" })] },
    });

    // Issued while clean, a TODO added before recording: refused first, the nonce unused.
    await editUpdate({ actor: dev, id: u.id, sections: partly });
    const s = await signed(dev, u.id, { kind: "update-submit" });
    await editUpdate({ actor: dev, id: u.id, sections: { Impact: "TODO again" } });
    await expect(submitUpdate({ actor: dev, id: u.id, ...s })).rejects.toMatchObject({
      code: "VALIDATION",
      details: { todos: [expect.objectContaining({ section: "Impact", text: "TODO again" })] },
    });
    expect(await db.statementNonce.count({ where: { usedAt: { not: null } } })).toBe(0);
    expect((await loadUpdate(u.id)).state).toBe("DRAFT");
  });

  it("signs the text as revision 1, then two reviews approve it (the happy path)", async () => {
    const u = await newUpdate();
    await editUpdate({ actor: dev, id: u.id, sections: filled(COMPATIBLE) });
    const { statement, signature } = await signed(dev, u.id, { kind: "update-submit" });
    expect(statement).toContain("kind: update-submit\nverdict: submit\n");
    expect(statement).toContain("revision: 1\n");
    expect(statement).toContain("series: focal, jammy, noble\n");
    expect(statement).toContain(`packages: ${PACKAGES.join(", ")}\n`);
    const body = (await loadUpdate(u.id)).body;
    expect(statement.endsWith(`\n\n${body}\n`)).toBe(true);
    const s = await submitUpdate({ actor: dev, id: u.id, statement, signature });
    expect(s).toMatchObject({ state: "SUBMITTED", revision: 1 });
    expect(s.revisions).toEqual([
      expect.objectContaining({ number: 1, submittedBy: { id: dev.id, name: dev.name } }),
    ]);
    expect(s.outcome).toMatchObject({ approvals: 0, required: 2 });
    // Submitting the same text again: already submitted.
    await expect(
      issueUpdateStatement({ actor: dev, id: u.id, kind: "update-submit" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const r1 = await review(a1, u.id, "approve", "Looks right.");
    expect(r1).toMatchObject({ state: "SUBMITTED", outcome: { approvals: 1 } });
    await expect(review(a1, u.id)).rejects.toMatchObject({ code: "CONFLICT" });
    const r2 = await review(a2, u.id);
    expect(r2).toMatchObject({ state: "APPROVED", outcome: { state: "APPROVED", approvals: 2 } });
    expect(r2.reviews.map((r) => [r.signer.id, r.verdict, r.revision, r.fingerprint])).toEqual([
      [a1.id, "approve", 1, a1.fingerprint],
      [a2.id, "approve", 1, a2.fingerprint],
    ]);
    expect(r2.tags).toEqual([
      "verification-needed-focal",
      "verification-needed-jammy",
      "verification-needed-noble",
    ]);
    expect(r2.verification[0]).toMatchObject({
      series: "focal",
      verdict: "needed",
      tag: "verification-needed-focal",
      checks: { acme: { state: "missing", evidence: null }, apache: { state: "missing" } },
      verifiedBy: null,
    });
    expect(await actions(u.id)).toEqual([
      "update.created",
      "update.edited",
      "update.submitted",
      "update.reviewed",
      "update.reviewed",
      "update.state-changed",
    ]);
    // A third review after approval: the record is no longer open for reviews.
    await expect(review(a3, u.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a rejection rejects the revision; it needs a reason", async () => {
    const u = await submitted();
    await expect(review(a1, u.id, "reject")).rejects.toThrow(/a rejection says why/);
    const r = await review(a1, u.id, "reject", "The changelog is missing.");
    expect(r).toMatchObject({ state: "REJECTED", tags: [] });
    expectShape(ZReleaseUpdate, r);
  });
});

describe("separation of duties (S2)", () => {
  it("refuses the submitter's own review and the creator's", async () => {
    const u = await newUpdate(a1);
    await editUpdate({ actor: a1, id: u.id, sections: filled(COMPATIBLE) });
    await submit(a2, u.id);
    await expect(review(a2, u.id)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("You submitted revision 1"),
    });
    await expect(review(a1, u.id)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("You created this update record"),
    });
    await expect(
      sign(tester, u.id, { kind: "update-review", verdict: "approve" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await review(a3, u.id)).outcome).toMatchObject({ approvals: 1 });
  });
});

describe("major changes (S2)", () => {
  it("an incompatible change without its acknowledgement blocks approval; the ack approves", async () => {
    const u = await submitted(INCOMPATIBLE);
    expect(u.majorChanges).toEqual([
      expect.objectContaining({ number: 1, incompatible: false, acknowledged: null }),
      expect.objectContaining({ number: 2, incompatible: true, acknowledged: null }),
    ]);
    await review(a1, u.id);
    const blocked = await review(a2, u.id);
    expect(blocked.state).toBe("SUBMITTED");
    expect(blocked.outcome).toMatchObject({
      approvals: 2,
      unacknowledged: [{ number: 2 }],
      waitingFor: ["an acknowledgement of major change 2 (not backwards compatible)"],
    });

    await expect(sign(a3, u.id, { kind: "update-major-ack", change: 1 })).rejects.toThrow(
      /needs no acknowledgement/,
    );
    await expect(sign(a3, u.id, { kind: "update-major-ack", change: 3 })).rejects.toThrow(
      /lists 2 major changes, not 3/,
    );
    const { statement, signature } = await signed(a3, u.id, {
      kind: "update-major-ack",
      change: 2,
      comment: "Scripts get a clear error; still fit for automatic updates.",
    });
    expect(statement).toContain("kind: update-major-ack\nverdict: acknowledge\n");
    expect(statement).toMatch(/\nchange: 2\nchange-text: The --manual-public-ip-logging-ok flag/);
    const done = await recordUpdateSignoff({ actor: a3, id: u.id, statement, signature });
    expect(done.state).toBe("APPROVED");
    expect(done.majorChanges[1].acknowledged).toMatchObject({ by: { id: a3.id } });
    expectShape(ZReleaseUpdate, done);
    expect((await actions(u.id)).slice(-2)).toEqual([
      "update.change-acknowledged",
      "update.state-changed",
    ]);

    // An edit voids the acknowledgement with the revision: the draft's changes are unacknowledged.
    const edited = await editUpdate({ actor: dev, id: u.id, sections: { Impact: "Also noble." } });
    expect(edited.majorChanges[1]).toMatchObject({ incompatible: true, acknowledged: null });
    expect(edited).toMatchObject({ state: "DRAFT", outcome: null, tags: [] });
  });

  it("one acknowledgement per change per revision; never by the submitter", async () => {
    const u = await submitted(INCOMPATIBLE, a1);
    await expect(sign(a1, u.id, { kind: "update-major-ack", change: 2 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Two statements issued before either is recorded: the second is refused when recorded.
    const first = await signed(a2, u.id, { kind: "update-major-ack", change: 2 });
    const second = await signed(a3, u.id, { kind: "update-major-ack", change: 2 });
    await recordUpdateSignoff({ actor: a2, id: u.id, ...first });
    await expect(recordUpdateSignoff({ actor: a3, id: u.id, ...second })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("revisions", () => {
  it("an edit after submission starts a new revision and voids the earlier reviews", async () => {
    const u = await submitted();
    await review(a1, u.id);
    const late = await signed(a2, u.id, { kind: "update-review", verdict: "approve" });

    const edited = await editUpdate({
      actor: a3,
      id: u.id,
      sections: { Impact: "Renewals fail on jammy and noble." },
    });
    expect(edited).toMatchObject({ state: "DRAFT", revision: 1, outcome: null });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { subjectId: u.id, action: "update.edited" },
      orderBy: { seq: "desc" },
    });
    expect(audit.payload).toMatchObject({ fields: ["body"], voidedRevision: 1 });

    // A statement for the voided revision is refused when recorded.
    await expect(recordUpdateSignoff({ actor: a2, id: u.id, ...late })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("Revision 1 was voided by an edit"),
    });
    await expect(review(a2, u.id)).rejects.toMatchObject({ code: "CONFLICT" });

    const again = await submit(dev, u.id);
    expect(again).toMatchObject({ state: "SUBMITTED", revision: 2, outcome: { approvals: 0 } });
    expect(again.revisions.map((r) => r.number)).toEqual([1, 2]);
    // a1 reviewed revision 1: that review no longer counts, and a1 may review revision 2.
    await review(a1, u.id);
    const r = await review(a2, u.id);
    expect(r.state).toBe("APPROVED");
    expect(r.reviews.map((x) => [x.signer.id, x.revision])).toEqual([
      [a1.id, 1],
      [a1.id, 2],
      [a2.id, 2],
    ]);
    // An approved record edited goes back to DRAFT too.
    const back = await editUpdate({ actor: dev, id: u.id, title: "certbot 2.11.1" });
    expect(back).toMatchObject({ state: "DRAFT", revision: 2, tags: [] });
  });
});

describe("per-series verification (S3)", () => {
  it("a pass is refused while checks are missing; fail needs a reason; versions name every package", async () => {
    const u = await approved();
    await checksOk(u.id, "jammy", ["nginx", "SMOKE"]);
    await expect(
      sign(tester, u.id, {
        kind: "update-verify",
        verdict: "pass",
        series: "jammy",
        versions: VERSIONS,
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      details: {
        missingChecks: ["nginx checked over HTTPS (missing)", "dep8 smoke test passed (missing)"],
      },
    });
    const { "python-certbot-nginx": _n, ...short } = VERSIONS;
    await expect(
      sign(tester, u.id, {
        kind: "update-verify",
        verdict: "fail",
        series: "jammy",
        versions: short,
      }),
    ).rejects.toThrow(/missing: python-certbot-nginx/);
    await expect(
      sign(tester, u.id, {
        kind: "update-verify",
        verdict: "fail",
        series: "jammy",
        versions: VERSIONS,
      }),
    ).rejects.toThrow(/a failed verification says why/);
    await expect(
      sign(tester, u.id, {
        kind: "update-verify",
        verdict: "fail",
        series: "bionic",
        versions: VERSIONS,
        comment: "x",
      }),
    ).rejects.toThrow(/not a target series/);
    await expect(
      sign(a1, u.id, {
        kind: "update-verify",
        verdict: "fail",
        series: "jammy",
        versions: VERSIONS,
        comment: "x",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.updateSignoff.count({ where: { kind: "VERIFY" } })).toBe(0);
  });

  it("a verify records its evidence, moves the tag and writes the outbox row once", async () => {
    const u = await approved();
    await checksOk(u.id, "jammy");
    const { statement, signature } = await signed(tester, u.id, {
      kind: "update-verify",
      verdict: "pass",
      series: "jammy",
      versions: VERSIONS,
      comment: "Verified on jammy with the versions above.",
    });
    expect(statement).toContain("kind: update-verify\nverdict: pass\n");
    expect(statement).toContain("series: jammy\n");
    expect(statement).toContain(
      `versions: python-acme=${VERSIONS["python-acme"]}, python-certbot=`,
    );
    const r = await recordUpdateSignoff({ actor: tester, id: u.id, statement, signature });
    expect(r.tags).toEqual([
      "verification-needed-focal",
      "verification-done-jammy",
      "verification-needed-noble",
    ]);
    expect(r.verification[1]).toMatchObject({
      series: "jammy",
      verdict: "done",
      checks: {
        acme: { state: "ok" },
        apache: { state: "ok" },
        nginx: { state: "ok" },
        smoke: { state: "ok" },
      },
      verifiedBy: { signer: { id: tester.id }, verdict: "pass" },
    });
    const row = await db.updateSignoff.findFirstOrThrow({ where: { kind: "VERIFY" } });
    expect(row).toMatchObject({ series: "jammy", verdict: "pass", revision: 1 });
    expect((row.evidence as { versions: unknown }).versions).toEqual(VERSIONS);
    expect(row.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statement).toContain(`evidence-sha256: ${row.evidenceSha256}\n`);

    // The same statement again: refused (its nonce is used); still one outbox row.
    await expect(
      recordUpdateSignoff({ actor: tester, id: u.id, statement, signature }),
    ).rejects.toMatchObject({ code: "SIGNATURE_REFUSED" });
    const rows = await db.outbox.findMany({ where: { kind: "update.verification-comment" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      payload: { signoffId: row.id },
      dedupeKey: `update.verification-comment:${row.id}`,
    });
    expect((await actions(u.id)).slice(-1)).toEqual(["update.verified"]);

    // The record as the API answers it (every check and the verification filled in)
    // matches the OpenAPI document's schema, with no field it leaves out.
    expectShape(ZReleaseUpdate, r);
    expectShape(ZReleaseUpdate, await getUpdate({ actor: tester, id: u.id }));
    expectShape(z.array(ZReleaseUpdateSummary), await listUpdates({ actor: tester }));
  });

  it("refuses a verify whose evidence changed after the statement was issued", async () => {
    const u = await approved();
    await checksOk(u.id, "noble");
    const s = await signed(tester, u.id, {
      kind: "update-verify",
      verdict: "pass",
      series: "noble",
      versions: VERSIONS,
    });
    await checksOk(u.id, "noble", ["ACME", "SMOKE", "nginx"]); // a newer apache check
    await expect(recordUpdateSignoff({ actor: tester, id: u.id, ...s })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("evidence"),
    });
  });
});

describe("the API", () => {
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
  const json = (token: string, method: string, body: unknown) => ({
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  it("creates, fills, refuses a submit with TODOs (400 with details.todos), submits and reads", async () => {
    const token = await makeToken(dev);
    const created = await updatesPost(
      new Request(
        "http://localhost/api/v1/updates",
        json(token, "POST", {
          template: "certbot-sru",
          system: "ubuntu",
          title: "certbot 2.11.0",
          packages: PACKAGES,
          version: "2.11.0",
          series: ["jammy"],
          bugId: "2071234",
          // A body naming an actor is ignored: the token says who acts.
          actor: { kind: "person", id: a1.id, email: a1.email, name: "x", label: "x", roles: [] },
        }),
      ),
      {},
    );
    expect(created.status).toBe(201);
    const draft = (await created.json()) as { id: string; createdBy: { id: string } };
    expectShape(ZReleaseUpdate, draft);
    const { id, createdBy } = draft;
    expect(createdBy.id).toBe(dev.id);

    // A submit with TODOs left: 400 listing them (the statement is refused before signing).
    const refused = await statementGet(
      new Request(`http://localhost/api/v1/updates/${id}/statement?kind=update-submit`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      ctx(id),
    );
    expect(refused.status).toBe(400);
    const err = (await refused.json()) as {
      error: { code: string; details: { todos: unknown[] } };
    };
    expectShape(ZApiError, err);
    expect(err.error.code).toBe("VALIDATION");
    // The query string is parsed before anything is looked up: each bad field is named.
    const badQuery = await statementGet(
      new Request(
        `http://localhost/api/v1/updates/${id}/statement?kind=update-verify&versions=x&change=0`,
        { headers: { authorization: `Bearer ${token}` } },
      ),
      ctx(id),
    );
    expect(badQuery.status).toBe(400);
    const badQueryError = (await badQuery.json()) as { error: { message: string } };
    expectShape(ZApiError, badQueryError);
    expect(badQueryError.error.message).toMatch(/versions.*JSON object/s);
    expect(badQueryError.error.message).toMatch(/change/);
    expect(err.error.details.todos).toHaveLength(5);
    const bogus = await submitPost(
      new Request(
        `http://localhost/api/v1/updates/${id}/submit`,
        json(token, "POST", { statement: "not a statement", signature: "x" }),
      ),
      ctx(id),
    );
    expect(bogus.status).toBe(400);
    expectShape(ZApiError, await bogus.json());

    const patched = await updatePatch(
      new Request(
        `http://localhost/api/v1/updates/${id}`,
        json(token, "PATCH", { sections: filled(COMPATIBLE) }),
      ),
      ctx(id),
    );
    expect(patched.status).toBe(200);
    const edited = (await patched.json()) as { todos: unknown[] };
    expectShape(ZReleaseUpdate, edited);
    expect(edited.todos).toEqual([]);

    const st = await statementGet(
      new Request(`http://localhost/api/v1/updates/${id}/statement?kind=update-submit`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      ctx(id),
    );
    expect(st.status).toBe(200);
    expect(st.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(st.headers.get("x-statement-expires-at")).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(st.headers.get("x-key-fingerprint")).toBe(dev.fingerprint);
    const statement = await st.text();
    const sub = await submitPost(
      new Request(
        `http://localhost/api/v1/updates/${id}/submit`,
        json(token, "POST", { statement, signature: await detachSign(dev.privateKey, statement) }),
      ),
      ctx(id),
    );
    expect(sub.status).toBe(201);
    const submittedAnswer = await sub.json();
    expectShape(ZReleaseUpdate, submittedAnswer);
    expect(submittedAnswer).toMatchObject({ state: "SUBMITTED", revision: 1 });

    const reviewerToken = await makeToken(a1);
    const rs = await statementGet(
      new Request(
        `http://localhost/api/v1/updates/${id}/statement?kind=update-review&verdict=approve`,
        {
          headers: { authorization: `Bearer ${reviewerToken}` },
        },
      ),
      ctx(id),
    );
    const rText = await rs.text();
    const rec = await signoffsPost(
      new Request(
        `http://localhost/api/v1/updates/${id}/signoffs`,
        json(reviewerToken, "POST", {
          statement: rText,
          signature: await detachSign(a1.privateKey, rText),
        }),
      ),
      ctx(id),
    );
    expect(rec.status).toBe(201);
    expectShape(ZReleaseUpdate, await rec.json());

    const got = await updateGet(
      new Request(`http://localhost/api/v1/updates/${id}`, {
        headers: { authorization: `Bearer ${reviewerToken}` },
      }),
      ctx(id),
    );
    const record = await got.json();
    expectShape(ZReleaseUpdate, record);
    expect(record).toMatchObject({ id, reviews: [{ signer: { id: a1.id } }] });
    const list = await updatesGet(
      new Request("http://localhost/api/v1/updates?state=SUBMITTED", {
        headers: { authorization: `Bearer ${reviewerToken}` },
      }),
      {},
    );
    const listed = (await list.json()) as unknown[];
    expectShape(z.array(ZReleaseUpdateSummary), listed);
    expect(listed.length).toBe(1);
    expect(await getUpdate({ actor: tester, id })).toMatchObject({ state: "SUBMITTED" });

    // Templates: only admins create them.
    const t = await templatesPost(
      new Request(
        "http://localhost/api/v1/update-templates",
        json(token, "POST", { slug: "x-sru", name: "X SRU", body: "[Impact]\n\nTODO" }),
      ),
      {},
    );
    expect(t.status).toBe(403);
    expectShape(ZApiError, await t.json());

    // Admins create (POST) and replace or create (PUT) them; everyone reading updates lists them.
    const adminToken = await makeToken(admin);
    const made = await templatesPost(
      new Request(
        "http://localhost/api/v1/update-templates",
        json(adminToken, "POST", { slug: "x-sru", name: "X SRU", body: "[Impact]\n\nTODO" }),
      ),
      {},
    );
    expect(made.status).toBe(201);
    expectShape(ZUpdateTemplate, await made.json());
    const slugCtx = (slug: string) => ({ params: Promise.resolve({ slug }) });
    for (const [slug, status] of [
      ["x-sru", 200],
      ["y-sru", 201],
    ] as const) {
      const put = await templatePut(
        new Request(
          `http://localhost/api/v1/update-templates/${slug}`,
          json(adminToken, "PUT", { name: "Y SRU", body: "[Impact]\n\nTODO: why" }),
        ),
        slugCtx(slug),
      );
      expect(put.status).toBe(status);
      expectShape(ZUpdateTemplate, await put.json());
    }
    const one = await templateGet(
      new Request("http://localhost/api/v1/update-templates/y-sru", {
        headers: { authorization: `Bearer ${token}` },
      }),
      slugCtx("y-sru"),
    );
    expect(one.status).toBe(200);
    expectShape(ZUpdateTemplate, await one.json());
    const all = await templatesGet(
      new Request("http://localhost/api/v1/update-templates", {
        headers: { authorization: `Bearer ${token}` },
      }),
      {},
    );
    const templates = (await all.json()) as { slug: string }[];
    expectShape(z.array(ZUpdateTemplate), templates);
    expect(templates.map((x) => x.slug)).toEqual(["certbot-sru", "x-sru", "y-sru"]);
  });
});

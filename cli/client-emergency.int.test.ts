import { runCli } from "../test/run-cli";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer } from "../test/api-server";
import { makeToken } from "../test/factories";
import { makeSigner } from "../test/signers";
import { resetDatabase } from "../test/reset";
import { addProcessSystems } from "../test/process";
import { portalPublicKey } from "../lib/server/portal-key/portal-key";
import { sampleDiff } from "../test/diffs";

// Issue 18: `patchgate emergency` and `patchgate dispute` against the
// emergency routes (/api/v1/emergencies, /api/v1/disputes). A false alarm from
// a terminal: declared, listed, shown, closed by two signed moves (key files
// through openpgp.js), its evidence bundle verified. Option 2 from a terminal:
// its shortcut files a dispute, which an arbitrator rules on with `dispute rule`.
let work: string;
let api: Awaited<ReturnType<typeof startApiServer>>;

const cli = (args: string[], env: Record<string, string>, stdin = "") =>
  runCli(args, {
    cwd: work,
    stdin,
    env: { XDG_CONFIG_HOME: path.join(work, "no-config"), ...env },
  });

describe("patchgate emergency and dispute", () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "patchgate-client-emergency-"));
    api = await startApiServer();
    await resetDatabase();
    await addProcessSystems();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** `patchgate emergency declare` on webdb; its number, as it prints it. */
  async function declare(env: Record<string, string>, title: string): Promise<string> {
    const declared = await cli(
      [
        "emergency",
        "declare",
        "--system",
        "webdb",
        "--title",
        title,
        "--description",
        "Password check skipped for some accounts.",
        "--severity",
        "critical",
      ],
      env,
    );
    expect(declared.code, declared.stderr).toBe(0);
    const n = declared.stdout.trim();
    expect(n).toMatch(/^\d+$/);
    return n;
  }

  async function person(role: "ASSESSOR" | "CRITICAL_ADMIN" | "ARBITRATOR" | "TESTER") {
    const s = await makeSigner([role]);
    const key = path.join(work, `${s.id}.asc`);
    writeFileSync(key, s.privateKey, { mode: 0o600 });
    return { id: s.id, key, env: { PATCHGATE_URL: api.url, PATCHGATE_TOKEN: await makeToken(s) } };
  }

  it("a false alarm from a terminal: declare, list, show, two signed closes, the evidence bundle", async () => {
    const [carl, ada, ari, tara] = await Promise.all([
      person("CRITICAL_ADMIN"),
      person("ASSESSOR"),
      person("ARBITRATOR"),
      person("TESTER"),
    ]);
    const n = await declare(carl.env, "Alarm on webdb");

    const list = await cli(["emergency", "list"], ada.env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^#${n}\\tDECLARED\\tcritical\\twebdb\\tAlarm on webdb$`, "m"),
    );
    const shown = await cli(["emergency", "show", n], carl.env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^emergency #${n} Alarm on webdb$`, "m"));

    // E2: the declarer names the testers' responder, who acknowledges standby, signed.
    const named = await cli(
      ["emergency", "respond", n, "--team", "testers", "--user", tara.id, "--contact", "IRC #ops"],
      carl.env,
    );
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(
      new RegExp(`^TESTERS responder for emergency #${n}: .+ \\(IRC #ops\\)$`, "m"),
    );
    expect((await cli(["emergency", "show", n], tara.env)).stdout).toContain(
      `you are on standby for TESTERS: patchgate emergency ack ${n}`,
    );
    const ack = await cli(
      ["emergency", "ack", n, "--comment", "On standby.", "--key", tara.key, "--yes", "--json"],
      tara.env,
    );
    expect(ack.code, ack.stderr).toBe(0);
    expect(JSON.parse(ack.stdout).signoff).toMatchObject({ kind: "acknowledge", team: "TESTERS" });

    // "n" at Sign? [y/N]: nothing moves.
    const no = await cli(
      ["emergency", "move", n, "--kind", "close", "--comment", "Misfired.", "--key", ada.key],
      ada.env,
      "n\n",
    );
    expect(no.code).toBe(6);
    const first = await cli(
      [
        "emergency",
        "move",
        n,
        "--kind",
        "close",
        "--comment",
        "The monitoring misfired.",
        "--key",
        ada.key,
        "--yes",
      ],
      ada.env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^emergency #${n} is DECLARED$`, "m"));
    const second = await cli(
      [
        "emergency",
        "sign",
        n,
        "--kind",
        "close",
        "--comment",
        "Confirmed.",
        "--key",
        carl.key,
        "--json",
      ],
      carl.env,
      "yes\n",
    );
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      signoff: { kind: "close", from: "DECLARED", to: "CLOSED" },
      emergency: { number: Number(n), state: "CLOSED" },
    });

    // A closed emergency takes no more moves: the portal's words, exit 1.
    const late = await cli(
      ["emergency", "move", n, "--kind", "close", "--key", ada.key, "--yes"],
      ada.env,
    );
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^error: .+/);

    const disputes = await cli(["dispute", "list", "--json"], ari.env);
    expect(disputes.code, disputes.stderr).toBe(0);
    expect(JSON.parse(disputes.stdout)).toEqual([]);
    const none = await cli(["dispute", "show", "999999"], ari.env);
    expect(none.code).toBe(4);

    const bundle = path.join(work, "emergency.tar.gz");
    const ev = await cli(["emergency", "evidence", n, "-o", bundle], ari.env);
    expect(ev.code, ev.stderr).toBe(0);
    const portalKey = path.join(work, "portal-key.asc");
    writeFileSync(portalKey, (await portalPublicKey()).publicArmored);
    const verified = await cli(["verify", bundle, "--portal-key", portalKey], {});
    expect(verified.stderr).toBe("");
    expect(verified.code).toBe(0);
  }, 120_000);
  it("option 2 from a terminal files a dispute; an arbitrator lists it, reads it and rules with `dispute rule`", async () => {
    const [carl, ada, ari] = await Promise.all([
      person("CRITICAL_ADMIN"),
      person("ASSESSOR"),
      person("ARBITRATOR"),
    ]);
    const n = await declare(carl.env, "Login bypass on webdb");
    const move = (who: { key: string; env: Record<string, string> }, args: string[]) =>
      cli(["emergency", "move", n, ...args, "--key", who.key, "--yes", "--json"], who.env);

    const unfit = await move(carl, [
      "--kind",
      "option1-unfit",
      "--comment",
      "Testers unreachable.",
    ]);
    expect(unfit.code, unfit.stderr).toBe(0);
    const diffFile = path.join(work, "option2.diff");
    writeFileSync(diffFile, sampleDiff("option2-cli"));
    const patch = await move(ada, [
      "--kind",
      "option2-patch",
      "--comment",
      "Tested locally against a copy of the database.",
      "--diff",
      diffFile,
    ]);
    expect(patch.code, patch.stderr).toBe(0);
    const deploy = await move(carl, ["--kind", "option2-deploy", "--comment", "Applied at 03:10."]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(JSON.parse(deploy.stdout)).toMatchObject({ emergency: { state: "OPTION2" } });

    const listed = await cli(["dispute", "list", "--json"], ari.env);
    expect(listed.code, listed.stderr).toBe(0);
    const [open] = JSON.parse(listed.stdout);
    expect(open).toMatchObject({ state: "OPEN", emergency: { number: Number(n) }, ruling: null });
    const d = String(open.number);
    const shown = await cli(["dispute", "show", d], ari.env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Applied at 03:10/);

    // "n" at Sign? [y/N] sends nothing; then the arbitrator rules.
    const declined = await cli(
      ["dispute", "rule", d, "--verdict", "justified", "--reasoning", "Needed.", "--key", ari.key],
      ari.env,
      "n\n",
    );
    expect(declined.code).toBe(6);
    const ruled = await cli(
      [
        "dispute",
        "rule",
        d,
        "--verdict",
        "justified-with-remarks",
        "--reasoning",
        "The shortcut was needed; document the deploy sooner next time.",
        "--key",
        ari.key,
      ],
      ari.env,
      "y\n",
    );
    expect(ruled.code, ruled.stderr).toBe(0);
    expect(ruled.stdout).toContain(`ruled on dispute #${d}: justified-with-remarks`);
    const after = await cli(["dispute", "show", d, "--json"], ari.env);
    expect(JSON.parse(after.stdout)).toMatchObject({
      state: "RULED",
      ruling: { verdict: "justified-with-remarks" },
    });
    // One ruling per dispute: a second is the portal's refusal, exit 1.
    const again = await cli(
      [
        "dispute",
        "rule",
        d,
        "--verdict",
        "justified",
        "--reasoning",
        "Again.",
        "--key",
        ari.key,
        "--yes",
      ],
      ari.env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .+/m);
  }, 120_000);
});

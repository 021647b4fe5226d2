import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../../../test/reset";
import { makeSigner, type TSigner } from "../../../test/signers";
import { sampleDiff } from "../../../test/diffs";
import { sign } from "../../../test/emergencies";
import { CLI_BOOTSTRAP } from "../../auth/actor";
import { addSystem } from "../systems/add-system";
import { declareEmergency } from "./declare-emergency";
import { publicEmergencyLog } from "./public-log";
import { GET as atomFeed } from "@/app/(public)/emergencies/atom.xml/route";
import { GET as jsonFeed } from "@/app/(public)/emergencies/feed.json/route";

// E7, no disclosure before the fix: the public JSON and Atom feeds name an
// emergency in progress only by its system and declaration time; its title,
// severity, decisions and disputes appear once it is resolved or closed.

let carl: TSigner, cora: TSigner, ada: TSigner;
const TITLE = "Login bypass on webdb";
const SECRET_REASON = "Applied the patch at 03:10 UTC, apache reloaded, login checked.";

async function feeds() {
  const json = await (await jsonFeed()).text();
  const atom = await (await atomFeed()).text();
  return { json, atom, both: json + atom };
}

const entries = (atom: string) =>
  [...atom.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => ({
    id: /<id>(.*?)<\/id>/.exec(m[1])![1],
    title: /<title>(.*?)<\/title>/.exec(m[1])![1],
    updated: /<updated>(.*?)<\/updated>/.exec(m[1])![1],
    link: /<link [^>]*href="([^"]+)"/.exec(m[1])![1],
  }));

describe("the public emergency log (E7: no disclosure before the fix)", () => {
  beforeEach(async () => {
    await resetDatabase();
    await addSystem({ actor: CLI_BOOTSTRAP, slug: "webdb", name: "webdb" });
    [carl, cora, ada] = await Promise.all([
      makeSigner(["CRITICAL_ADMIN"]),
      makeSigner(["CRITICAL_ADMIN"]),
      makeSigner(["ASSESSOR"]),
    ]);
  });

  it("an emergency in progress shows only system and time, even with decisions and a dispute; once resolved, everything", async () => {
    const e = await declareEmergency({
      actor: carl,
      system: "webdb",
      title: TITLE,
      description: "Password check skipped for some accounts.",
      severity: "critical",
      now: new Date("2026-12-03T01:02:03Z"),
    });
    await sign(carl, e.id, "option1-unfit", "The 24 hours ran out: no testers reachable.");
    await sign(ada, e.id, "option2-patch", "Tested locally.", {
      diff: new TextDecoder().decode(sampleDiff("e")),
    });
    await sign(carl, e.id, "option2-deploy", SECRET_REASON); // files a dispute

    let f = await feeds();
    for (const hidden of [TITLE, "critical", SECRET_REASON, "Option 2", "Dispute", "option 2"])
      expect(f.both).not.toContain(hidden);
    expect(JSON.parse(f.json).emergencies).toEqual([
      {
        number: e.number,
        system: "webdb",
        declaredAt: "2026-12-03T01:02:03.000Z",
        inProgress: true,
        summary: "An emergency on webdb since 2026-12-03 01:02 UTC",
        updated: "2026-12-03T01:02:03.000Z",
      },
    ]);
    let [entry] = entries(f.atom);
    expect(entry.title).toBe(
      `Emergency #${e.number}: An emergency on webdb since 2026-12-03 01:02 UTC`,
    );
    expect(entry.updated).toBe("2026-12-03T01:02:03.000Z");
    expect(entry.link).toBe(`http://localhost:3000/emergencies#emergency-${e.number}`);
    const id = entry.id;

    const resolved = await sign(carl, e.id, "resolve", "Patched; logins checked for a day.");
    expect(resolved).toBeTruthy();
    f = await feeds();
    const [shown] = JSON.parse(f.json).emergencies;
    expect(shown).toMatchObject({
      number: e.number,
      inProgress: false,
      title: TITLE,
      severity: "critical",
      state: "RESOLVED",
      option: 2,
      closingReasons: [],
      disputes: [{ state: "OPEN", ruling: null }],
    });
    expect(shown.outcome).toMatch(/^resolved \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(shown.decisions.map((d: { reason: string }) => d.reason)).toContain(SECRET_REASON);
    // The end is the entry's last change: the resolve decision (or the resolution time, if later).
    expect(shown.updated).toBe(
      [shown.resolvedAt, ...shown.decisions.map((d: { at: string }) => d.at)].sort().pop(),
    );
    expect(shown.updated > "2026-12-03T01:02:03.000Z").toBe(true);
    [entry] = entries(f.atom);
    expect(entry.id).toBe(id); // the same entry, updated
    expect(entry.title).toBe(`Emergency #${e.number}: ${TITLE} (option 2)`);
    expect(entry.updated).toBe(shown.updated);
    expect(f.atom).toContain(SECRET_REASON);
    expect(f.atom).toContain("severity critical");
    expect(f.atom).toMatch(/Dispute #\d+: waiting for arbitration/);
  });

  it("a false alarm stays hidden until both closers signed, then reads 'closed: not an emergency' with their reasons; ids are unique", async () => {
    const a = await declareEmergency({
      actor: carl,
      system: "webdb",
      title: "Strange cron mail on webdb",
      description: "Looks like a compromise.",
      severity: "high",
    });
    const b = await declareEmergency({
      actor: cora,
      system: "webdb",
      title: "Another one in progress",
      description: "d",
      severity: "high",
    });
    await sign(carl, a.id, "close", "The mail came from a test job we forgot.");
    let f = await feeds();
    expect(f.both).not.toContain("Strange cron mail");
    expect(f.both).not.toContain("test job we forgot");
    await sign(ada, a.id, "close", "Checked the cron table: the job is ours.");
    f = await feeds();
    const log = await publicEmergencyLog();
    const closed = log.find((x) => x.number === a.number)!;
    expect(closed).toMatchObject({
      inProgress: false,
      state: "CLOSED",
      title: "Strange cron mail on webdb",
      option: null,
      closingReasons: [
        { by: carl.name, reason: "The mail came from a test job we forgot." },
        { by: ada.name, reason: "Checked the cron table: the job is ours." },
      ],
    });
    expect(!closed.inProgress && closed.outcome).toMatch(/^closed: not an emergency/);
    expect(f.both).not.toContain("Another one in progress");
    const all = entries(f.atom);
    expect(all).toHaveLength(2);
    expect(new Set(all.map((x) => x.id)).size).toBe(2);
    expect(all.map((x) => x.link).sort()).toEqual(
      [a.number, b.number].map((n) => `http://localhost:3000/emergencies#emergency-${n}`).sort(),
    );
    const entryA = all.find((x) => x.link.endsWith(`#emergency-${a.number}`))!;
    expect(entryA.title).toBe(
      `Emergency #${a.number}: Strange cron mail on webdb (closed: not an emergency)`,
    );
    expect(f.atom).toContain("Closing signed by");
    expect(f.atom).toContain("Checked the cron table: the job is ours.");
  });
});

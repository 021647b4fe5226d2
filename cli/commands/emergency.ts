import { Command } from "commander";
import { ClientError, EXIT } from "../client/exit-codes";
import { numberArg, openClient, output, runClient, type TJsonOption } from "../client/run-client";
import { signAndSend, type TSignOptions } from "../client/sign-flow";
import { signingOptions } from "./sign";
import { saveBundle } from "./evidence";

// `patchgate emergency ...` and `patchgate dispute ...`: the emergency
// procedure (E1–E7) from a terminal, over /api/v1/emergencies and
// /api/v1/disputes. Every signed step (acknowledge, each ladder move, a
// ruling) is the same statement → Sign? → signoffs round as a patch sign-off;
// the portal applies the ladder's rules and answers with its own words.

type TRecord = Record<string, unknown>;

/** A field for people, from answers whose shapes vary a little (a slug or a { slug, name }). */
function text(v: unknown): string {
  if (v === null || v === undefined) return "-";
  if (typeof v === "object") {
    const o = v as TRecord;
    return String(o.slug ?? o.name ?? o.number ?? JSON.stringify(v));
  }
  return String(v);
}

const emergencyPath = (n: number) => `/emergencies/${n}`;

async function listCommand(opts: TJsonOption): Promise<void> {
  const list = await (await openClient()).json<TRecord[]>("GET", "/emergencies");
  output(opts, list, () =>
    list.length
      ? list.map((e) =>
          [
            `#${text(e.number)}`,
            text(e.state),
            text(e.severity),
            text(e.system),
            text(e.title),
          ].join("\t"),
        )
      : ["no emergencies"],
  );
}

async function showCommand(n: string, opts: TJsonOption): Promise<void> {
  const number = numberArg(n, "emergency");
  const e = await (await openClient()).json<TRecord>("GET", emergencyPath(number));
  output(opts, e, () => {
    const out = [
      `emergency #${text(e.number)} ${text(e.title)}`,
      `state: ${text(e.state)}; severity: ${text(e.severity)}; system: ${text(e.system)}`,
      `declared by ${text(e.declaredBy)} at ${text(e.declaredAt)}`,
    ];
    const clock = e.clock as TRecord | undefined;
    out.push(
      `deadline: ${text(e.deadlineAt)}${clock?.overdue ? " (overdue)" : ""}${clock?.level !== undefined ? `; escalation level ${text(clock.level)}` : ""}`,
    );
    for (const r of (e.responders as TRecord[] | undefined) ?? [])
      out.push(
        `  responder ${text(r.team)}: ${text(r.name ?? r.userId)} (${text(r.contact)})${r.acknowledgedAt ? ", acknowledged" : ""}`,
      );
    for (const m of (e.moves as TRecord[] | undefined) ?? [])
      out.push(
        `  move ${text(m.kind)} by ${text(m.actor)} at ${text(m.at)}${m.reason ? `: ${text(m.reason)}` : ""}`,
      );
    for (const d of (e.disputes as TRecord[] | undefined) ?? [])
      out.push(`  dispute #${text(d.number)} ${text(d.state)}`);
    const standby = (e.standby as string[] | undefined) ?? [];
    if (standby.length)
      out.push(
        `you are on standby for ${standby.join(", ")}: patchgate emergency ack ${text(e.number)}`,
      );
    const next = ((e.nextSteps as TRecord[] | undefined) ?? []).filter((s) => s.allowed);
    if (next.length) out.push(`you may: ${next.map((s) => text(s.kind)).join(", ")}`);
    return out;
  });
}

type TDeclareOptions = {
  system: string;
  title: string;
  description: string;
  severity: string;
} & TJsonOption;

async function declareCommand(opts: TDeclareOptions): Promise<void> {
  const e = await (
    await openClient()
  ).json<TRecord>("POST", "/emergencies", {
    system: opts.system,
    title: opts.title,
    description: opts.description,
    severity: opts.severity,
  });
  output(opts, e, () => [String(e.number)]);
  if (!opts.json) console.error(`emergency #${text(e.number)} declared: the 24-hour clock runs`);
}

type TRespondOptions = { team: string; user: string; contact: string } & TJsonOption;

async function respondCommand(n: string, opts: TRespondOptions): Promise<void> {
  const number = numberArg(n, "emergency");
  const r = await (
    await openClient()
  ).json<TRecord>("POST", `${emergencyPath(number)}/responders`, {
    team: opts.team.toUpperCase(),
    userId: opts.user,
    contact: opts.contact,
  });
  output(opts, r, () => [
    `${text(r.team)} responder for emergency #${number}: ${text(r.name ?? r.userId)} (${text(r.contact)})`,
  ]);
}

/** A signed emergency step: the statement's fields, and what the sign-off carries besides (diff, log, bug). */
async function signedStep(
  number: number,
  opts: TSignOptions,
  fields: TRecord,
  carry: TRecord = {},
): Promise<void> {
  const client = await openClient();
  const { answer } = await signAndSend<TRecord>(
    client,
    opts,
    { statementPath: `${emergencyPath(number)}/statement`, body: fields },
    { signoffPath: `${emergencyPath(number)}/signoffs`, body: carry },
  );
  const e = await client.json<TRecord>("GET", emergencyPath(number));
  output(opts, { signoff: answer, emergency: { number: e.number, state: e.state } }, () => [
    `signed: ${text(answer.kind ?? fields.kind)} for emergency #${number}`,
    `emergency #${number} is ${text(e.state)}`,
  ]);
}

async function ackCommand(
  n: string,
  opts: TSignOptions & { team?: string; comment?: string },
): Promise<void> {
  await signedStep(numberArg(n, "emergency"), opts, {
    kind: "acknowledge",
    ...(opts.team ? { team: opts.team.toUpperCase() } : {}),
    ...(opts.comment ? { comment: opts.comment } : {}),
  });
}

type TMoveOptions = TSignOptions & {
  kind: string;
  comment?: string;
  gate?: string;
  team?: string;
  as?: string;
  grantee?: string;
  verdict?: string;
  diff?: string;
  log?: string;
  bug?: string;
  bugSummary?: string;
  develCommit?: string;
  testServer?: string;
};

async function readText(file: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new ClientError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`, EXIT.USAGE);
  }
}

async function moveCommand(n: string, opts: TMoveOptions): Promise<void> {
  const diff = opts.diff ? await readText(opts.diff) : undefined;
  const log = opts.log ? await readText(opts.log) : undefined;
  const defined = (o: TRecord) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const carry = defined({ diff, log, bugId: opts.bug, bugSummary: opts.bugSummary });
  await signedStep(
    numberArg(n, "emergency"),
    opts,
    defined({
      kind: opts.kind,
      comment: opts.comment,
      gate: opts.gate,
      team: opts.team?.toUpperCase(),
      as: opts.as?.toUpperCase(),
      granteeId: opts.grantee,
      verdict: opts.verdict,
      develCommit: opts.develCommit,
      testServer: opts.testServer,
      ...carry,
    }),
    carry,
  );
}

async function evidenceCommand(n: string, opts: { output?: string } & TJsonOption): Promise<void> {
  const number = numberArg(n, "emergency");
  const client = await openClient();
  const saved = await saveBundle(
    client,
    `${emergencyPath(number)}/evidence`,
    `emergency-${number}.tar.gz`,
    opts.output,
  );
  output(opts, { number, ...saved }, () => [
    `wrote ${saved.bytes} bytes to ${saved.file} (sha256 ${saved.sha256})`,
    `check it: patchgate verify ${saved.file} --portal-key <the key from ${client.base}/api/portal-key>`,
  ]);
}

export function emergencyCommandOf(): Command {
  const emergency = new Command("emergency").description(
    "Emergencies (E1–E7): list, show, declare, name a responder, acknowledge, sign a ladder move, the evidence bundle",
  );
  emergency
    .command("list")
    .description("Every emergency, newest first")
    .option("--json", "print JSON")
    .action(runClient(listCommand));
  emergency
    .command("show <N>")
    .description("Emergency #N: state, clock, responders, moves, disputes")
    .option("--json", "print JSON (the API's answer)")
    .action(runClient(showCommand));
  emergency
    .command("declare")
    .description("Declare an emergency (critical admins and assessors); prints its number")
    .requiredOption("--system <slug>", "the affected system")
    .requiredOption("--title <text>", "what is wrong")
    .requiredOption("--description <text>", "what is wrong, in full")
    .requiredOption("--severity <level>", "critical or high")
    .option("--json", "print JSON")
    .action(runClient(declareCommand));
  emergency
    .command("respond <N>")
    .description("Name a team's responder and how to reach them (E2)")
    .requiredOption(
      "--team <team>",
      "DEVELOPERS, ASSESSORS, TESTERS, CRITICAL_ADMINS or ACCESS_ENGINEERS",
    )
    .requiredOption("--user <id>", "the responder's user id")
    .requiredOption("--contact <text>", "how to reach them (phone, mail, IRC)")
    .option("--json", "print JSON")
    .action(runClient(respondCommand));
  signingOptions(
    emergency
      .command("ack <N>")
      .description("Acknowledge your standby as a named responder (signed)")
      .option("--team <team>", "the team you respond for, when you were named for several"),
  ).action(runClient(ackCommand));
  signingOptions(
    emergency
      .command("move <N>")
      .alias("sign")
      .description(
        "Sign a move on the ladder: option1-patch, gate, option2-*, session-*, resolve, close, ...",
      )
      .requiredOption(
        "--kind <kind>",
        "the move, e.g. gate, option2-deploy, session-opened, resolve, close",
      )
      .option("--gate <gate>", "review-1, test, review-2 or deploy (kind gate)")
      .option("--team <team>", "the team (team-unreachable)")
      .option("--as <role>", "CRITICAL_ADMIN or ASSESSOR (option3-declaration)")
      .option("--grantee <id>", "who gets remote access (session-opened)")
      .option("--verdict <v>", "pass or fail (option 1's test gate)")
      .option("--diff <file>", "the diff (option1-patch, option2-patch, session-disabled)")
      .option("--log <file>", "the session log (session-disabled)")
      .option("--bug <id>", "option 1's bug (default emergency-<N>)")
      .option("--bug-summary <text>", "option 1's bug description")
      .option(
        "--devel-commit <id>",
        "option 1's 1st review: the commit in the development repository",
      )
      .option("--test-server <host>", "option 1's 1st review: the test server"),
  ).action(runClient(moveCommand));
  emergency
    .command("evidence <N>")
    .description("Download emergency #N's evidence bundle for patchgate verify")
    .option("-o, --output <file>", "where to write it")
    .option("--json", "print JSON")
    .action(runClient(evidenceCommand));
  return emergency;
}

// ---- disputes (E7) ----

const disputePath = (n: number) => `/disputes/${n}`;

async function disputeListCommand(opts: TJsonOption): Promise<void> {
  const list = await (await openClient()).json<TRecord[]>("GET", "/disputes");
  output(opts, list, () =>
    list.length
      ? list.map((d) =>
          [
            `#${text(d.number)}`,
            text(d.state),
            `emergency #${text(d.emergency)}`,
            d.ruling ? `ruled ${text((d.ruling as TRecord).verdict)}` : "no ruling yet",
          ].join("\t"),
        )
      : ["no disputes"],
  );
}

async function disputeShowCommand(n: string, opts: TJsonOption): Promise<void> {
  const number = numberArg(n, "dispute");
  const d = await (await openClient()).json<TRecord>("GET", disputePath(number));
  output(opts, d, () => [
    `dispute #${text(d.number)} about emergency #${text(d.emergency)}: ${text(d.state)}`,
    `reason: ${text(d.reason)}`,
    d.ruling
      ? `ruling: ${text((d.ruling as TRecord).verdict)} by ${text((d.ruling as TRecord).arbitrator)}: ${text((d.ruling as TRecord).reasoning)}`
      : `no ruling yet${d.mayRule ? `; you may rule: patchgate dispute rule ${text(d.number)} --verdict ... --reasoning ...` : ""}`,
  ]);
}

async function ruleCommand(
  n: string,
  opts: TSignOptions & { verdict: string; reasoning: string },
): Promise<void> {
  const number = numberArg(n, "dispute");
  const client = await openClient();
  const { answer } = await signAndSend<TRecord>(
    client,
    opts,
    {
      statementPath: `${disputePath(number)}/statement`,
      body: { verdict: opts.verdict, comment: opts.reasoning },
    },
    { signoffPath: `${disputePath(number)}/signoffs` },
  );
  output(opts, answer, () => [
    `ruled on dispute #${number}: ${text(answer.verdict ?? opts.verdict)}`,
  ]);
}

export function disputeCommandOf(): Command {
  const dispute = new Command("dispute").description("Disputes and rulings (E7): list, show, rule");
  dispute
    .command("list")
    .description("The disputes, open ones first")
    .option("--json", "print JSON")
    .action(runClient(disputeListCommand));
  dispute
    .command("show <N>")
    .description("Dispute #N with its emergency and ruling")
    .option("--json", "print JSON (the API's answer)")
    .action(runClient(disputeShowCommand));
  const rule = dispute
    .command("rule <N>")
    .description("Rule on dispute #N (arbitrators who took no part), signed")
    .requiredOption("--verdict <v>", "justified, not-justified or justified-with-remarks")
    .requiredOption("--reasoning <text>", "why; it is the signed statement's comment");
  // --comment would be a second reasoning: the ruling has one.
  rule
    .option("--yes", "sign without asking Sign? [y/N]")
    .option("--local-user <id>", "the gpg key to sign with (gpg --local-user)")
    .option("--key <file>", "sign with this armored private key file through openpgp.js")
    .option("--json", "print JSON (the statement then goes to stderr)")
    .action(runClient(ruleCommand));
  return dispute;
}

import { Command } from "commander";
import { ClientError, EXIT } from "../client/exit-codes";
import { numberArg, openClient, output, patchIdByNumber, runClient } from "../client/run-client";
import { keyFingerprintOf, signAndSend, type TSignOptions } from "../client/sign-flow";
import type { TPatchView } from "../../lib/server/patches/get-patch";

// `patchgate sign N --review approve|reject | --test pass|fail | --request |
// --submit`: a patch sign-off signed with the person's own GnuPG (or a key
// file). The portal checks every rule again when it records it; a refusal is
// its message and exit status 1.

type TOptions = TSignOptions & {
  review?: string;
  test?: string;
  request?: boolean;
  submit?: boolean;
  comment?: string;
};

const VERDICTS = { review: ["approve", "reject"], test: ["pass", "fail"] } as const;

/** Exactly one kind, with a verdict it knows. */
function kindOf(opts: TOptions): { kind: string; verdict?: string } {
  const given = [
    opts.review !== undefined && { kind: "review", verdict: opts.review.toLowerCase() },
    opts.test !== undefined && { kind: "test", verdict: opts.test.toLowerCase() },
    opts.request && { kind: "request" },
    opts.submit && { kind: "submit" },
  ].filter((x): x is { kind: string; verdict?: string } => !!x);
  if (given.length !== 1)
    throw new ClientError(
      "say what you sign, once: --review approve|reject, --test pass|fail, --request or --submit",
      EXIT.USAGE,
    );
  const [k] = given;
  if (k.kind === "review" || k.kind === "test") {
    const allowed: readonly string[] = VERDICTS[k.kind];
    if (!allowed.includes(k.verdict!))
      throw new ClientError(`--${k.kind} ${k.verdict}: say ${allowed.join(" or ")}`, EXIT.USAGE);
  }
  return k;
}

type TSignoff = { kind: string; verdict: string; revision?: number };

async function signCommand(n: string, opts: TOptions): Promise<void> {
  const { kind, verdict } = kindOf(opts);
  const number = numberArg(n);
  const client = await openClient();
  const id = encodeURIComponent(await patchIdByNumber(client, number));
  const keyFingerprint = keyFingerprintOf(opts);
  const { answer, keyFingerprint: signedWith } = await signAndSend<TSignoff>(
    client,
    opts,
    {
      statementPath: `/patches/${id}/statement`,
      body: {
        kind,
        ...(verdict ? { verdict } : {}),
        ...(opts.comment ? { comment: opts.comment } : {}),
        ...(keyFingerprint ? { keyFingerprint } : {}),
      },
    },
    { signoffPath: `/patches/${id}/signoffs` },
  );
  const p = await client.json<TPatchView>("GET", `/patches/${id}`);
  const gate = {
    number: p.number,
    state: p.state,
    revision: p.revision,
    gates: p.gates,
    blocked: p.blocked,
  };
  output(opts, { signoff: answer, patch: gate }, () => [
    `signed: ${kind}${verdict ? ` ${verdict}` : ""} of patch #${number}${signedWith ? ` with key ${signedWith}` : ""}`,
    `patch #${p.number} is ${p.state}${p.blocked ? " (blocked)" : ""}: reviews ${p.gates.reviews.have}/${p.gates.reviews.need}, tests ${p.gates.tests.have}/${p.gates.tests.need}`,
  ]);
}

/** The signing flags every signing command shares. */
export function signingOptions(cmd: Command): Command {
  return cmd
    .option("--comment <text>", "your comment; it is part of the signed statement")
    .option("--yes", "sign without asking Sign? [y/N]")
    .option(
      "--local-user <id>",
      "the gpg key to sign with (gpg --local-user), e.g. its fingerprint",
    )
    .option(
      "--key <file>",
      "sign with this armored private key file through openpgp.js instead of gpg",
    )
    .option("--json", "print JSON (the statement then goes to stderr)");
}

export function signCommandOf(): Command {
  return signingOptions(
    new Command("sign")
      .argument("<N>", "the patch number (12 or #12)")
      .description(
        "Sign off patch #N with your own key: fetch the statement, show it, ask Sign? [y/N], sign with gpg (or --key), record it, print the gates",
      )
      .option("--review <verdict>", "a review: approve or reject")
      .option("--test <verdict>", "a test: pass or fail")
      .option("--request", "request the deployment")
      .option("--submit", "submit your draft"),
  ).action(runClient(signCommand));
}

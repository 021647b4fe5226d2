// Demo patches in every state of the standard process, signed with the demo
// people's own keys through the same use-cases the portal uses.
import { db } from "../../lib/db";
import { demoSigner, type TDemoKeys, type TDemoSigner } from "./demo-signers";
import { submitPatch } from "../../lib/server/patches/submit-patch";
import { addRevision } from "../../lib/server/patches/add-revision";
import { recordSignoff } from "../../lib/server/patches/record-signoff";
import { withdrawPatch } from "../../lib/server/patches/withdraw-patch";
import { issueStatement } from "../../lib/server/statements/issue-statement";
import { openDeployment } from "../../lib/server/deployments/open-deployment";
import { signedTick } from "./signed-steps";
import { getNotificationPart } from "../../lib/server/deployments/notification";
import { signNotification } from "../../lib/server/deployments/sign-notification";
import { sha256Hex } from "../../lib/crypto/hash";
import { readFileSync } from "node:fs";
import path from "node:path";
import { demoSettings } from "../../scripts/demo-settings.mjs";
import { DEMO_TARBALL } from "./demo-systems";

/** Each tick by hand is a `step` statement the critical admin signs (X1). */
function tickStep({
  actor,
  ...input
}: {
  actor: TDemoSigner;
  patchId: string;
  number: number;
  evidence?: Record<string, unknown>;
}) {
  return signedTick(actor.actor, actor.sign, input);
}

async function sign(
  p: TDemoSigner,
  patchId: string,
  kind: "submit" | "review" | "test" | "request",
  verdict?: string,
  comment = "",
  lineComments: { file: string; line: number; text: string }[] = [],
) {
  const { statement } = await issueStatement({
    actor: p.actor,
    patchId,
    kind,
    verdict,
    comment,
    lineComments,
  });
  await recordSignoff({ actor: p.actor, statement, signature: await p.sign(statement) });
}

function diff(file: string, before: string, after: string): Uint8Array {
  return new TextEncoder().encode(
    `--- a/${file}\n+++ b/${file}\n@@ -1,3 +1,3 @@\n <?php\n-${before}\n+${after}\n // end\n`,
  );
}

export async function seedDemoPatches(keys: TDemoKeys) {
  if ((await db.patch.count()) > 0) return;
  const [dev, ada, bert, cleo, tara, theo, carl] = await Promise.all(
    ["dev", "ada", "bert", "cleo", "tara", "theo", "carl"].map((n) =>
      demoSigner(`${n}@demo.patchgate.org`, keys),
    ),
  );
  const make = async (
    title: string,
    bugId: string,
    bugSummary: string,
    file: string,
    system = "webdb",
    author = dev,
  ) =>
    submitPatch({
      actor: author.actor,
      system,
      title,
      summary: `${title}. Reported in bug #${bugId}; reviewed on the test server first.`,
      bugId,
      bugSummary,
      diff: diff(file, `$old = check_${bugId}();`, `$new = check_${bugId}(true);`),
    });
  const toReady = async (id: string) => {
    await sign(dev, id, "submit");
    await sign(ada, id, "review", "approve", "Read every changed line; the escaping is right.");
    await sign(bert, id, "review", "approve");
    await sign(tara, id, "test", "pass", "Tested on test1.cacert.org: domains list as expected.");
    await sign(theo, id, "test", "pass");
  };

  await make(
    "Escape organisation names in the admin console",
    "1409",
    "Org names with quotes break the admin page",
    "www/admin/orgs.php",
  );

  const review = await make(
    "Show revoked server certs of deleted domains",
    "1234",
    "If I delete Domains, no Servercerts for this domains are listed",
    "www/account.php",
  );
  await sign(dev, review.id, "submit");
  // A review with signed line comments, shown inline on the patch page.
  await sign(ada, review.id, "review", "approve", "Good catch.", [
    {
      file: "www/account.php",
      line: 2,
      text: "Passing true also lists the certificates of deleted domains: that is the fix.",
    },
    { file: "www/account.php", line: 3, text: "Nothing else in this file needs to change." },
  ]);

  const test = await make(
    "Correct the assurance points total",
    "1310",
    "Points total off by ten after TTP assurance",
    "includes/points.php",
  );
  await sign(dev, test.id, "submit");
  await sign(ada, test.id, "review", "approve");
  await sign(cleo, test.id, "review", "approve");
  await sign(tara, test.id, "test", "pass");

  const blocked = await make(
    "Tighten the password reset token",
    "1377",
    "Password reset token reusable",
    "www/pwreset.php",
  );
  await sign(dev, blocked.id, "submit");
  await sign(
    bert,
    blocked.id,
    "review",
    "reject",
    "The token must also expire after use; please add that.",
    [
      {
        file: "www/pwreset.php",
        line: 2,
        text: "The token stays valid after this call.\nExpire it here, in the same query.",
      },
    ],
  );

  const ready = await make(
    "Fix the CSR upload size check",
    "1288",
    "Large CSRs are rejected",
    "www/csr.php",
  );
  await toReady(ready.id);

  const requested = await make(
    "Update the OCSP responder URL",
    "1402",
    "OCSP URL points to the old host",
    "includes/ocsp.php",
  );
  await toReady(requested.id);
  await sign(cleo, requested.id, "request");

  const deploying = await make(
    "Log failed logins with the client IP",
    "1391",
    "Failed logins are not logged",
    "www/login.php",
  );
  await toReady(deploying.id);
  await sign(cleo, deploying.id, "request");
  await openDeployment({ actor: carl.actor, patchId: deploying.id });
  await tickStep({
    actor: carl,
    patchId: deploying.id,
    number: 1,
    evidence: { note: "Request mail checked." },
  });
  await tickStep({ actor: carl, patchId: deploying.id, number: 2, evidence: {} });

  const deployed = await make(
    "Remove the obsolete PHP4 session handler",
    "1350",
    "PHP warnings from the old session handler",
    "includes/session.php",
  );
  await toReady(deployed.id);
  await sign(cleo, deployed.id, "request");
  await openDeployment({ actor: carl.actor, patchId: deployed.id });
  const evidence: Record<number, Record<string, unknown>> = {
    1: {},
    2: {},
    3: { checksumMatched: true },
    4: { assessment: "Small change in one include; no downtime needed.", webServerStopped: false },
    5: { output: "patching file includes/session.php", result: "clean" },
    6: { commitMessage: 'Fix for bug #1350\n"PHP warnings from the old session handler".' },
    // P9: bound by the SHA-256 of the demo tarball the worker mirrors (demo-systems.ts).
    7: {
      tarball: DEMO_TARBALL,
      tarballSha256: sha256Hex(readFileSync(path.join(demoSettings().tarballDir, DEMO_TARBALL))),
    },
    8: { note: "No new strings." },
    9: { note: "Reloaded apache2." },
  };
  for (let n = 1; n <= 9; n++)
    await tickStep({ actor: carl, patchId: deployed.id, number: n, evidence: evidence[n] });
  // P7: Carl signs the notification with his own key; the demo worker sends it to the list.
  const { part } = await getNotificationPart({ actor: carl.actor, patchId: deployed.id });
  await signNotification({
    actor: carl.actor,
    patchId: deployed.id,
    signature: await carl.sign(part),
  });

  const failed = await make(
    "Speed up the domain search",
    "1415",
    "Domain search times out",
    "www/domains.php",
  );
  await toReady(failed.id);
  await sign(cleo, failed.id, "request");
  await openDeployment({ actor: carl.actor, patchId: failed.id });
  for (let n = 1; n <= 3; n++)
    await tickStep({ actor: carl, patchId: failed.id, number: n, evidence: evidence[n] });
  await tickStep({
    actor: carl,
    patchId: failed.id,
    number: 4,
    evidence: {
      assessment: "Touches the search query; stop apache2 meanwhile.",
      webServerStopped: true,
    },
  });
  // P5: the failure as the seed has it: backed out, and the web server started again.
  await tickStep({
    actor: carl,
    patchId: failed.id,
    number: 5,
    evidence: {
      output:
        "patching file www/domains.php\nHunk #1 succeeded at 12.\nHunk #2 FAILED at 40.\n1 out of 2 hunks FAILED -- saving rejects to file www/domains.php.rej",
      result: "failed",
      backOutOutput:
        "$ sudo patch -p1 -R --ignore-whitespace < /tmp/patch-script.diff\npatching file www/domains.php\nHunk #1 succeeded at 12.\nHunk #2 FAILED at 40.",
      webServerRunning: true,
    },
  });

  const rework = await make(
    "Validate e-mail addresses on signup",
    "1398",
    "Invalid addresses accepted on signup",
    "www/signup.php",
  );
  await toReady(rework.id);
  await sign(cleo, rework.id, "request");
  await openDeployment({ actor: carl.actor, patchId: rework.id });
  for (let n = 1; n <= 4; n++)
    await tickStep({ actor: carl, patchId: rework.id, number: n, evidence: evidence[n] });
  await tickStep({
    actor: carl,
    patchId: rework.id,
    number: 5,
    evidence: { output: "Hunk #2 FAILED at 40.", result: "failed", nothingChanged: true },
  });
  await addRevision({
    actor: dev.actor,
    patchId: rework.id,
    diff: diff("www/signup.php", "$ok = true;", "$ok = filter_var($email, FILTER_VALIDATE_EMAIL);"),
  });

  // Withdrawn by its author with a signed reason, after one approval: in no queue.
  const withdrawn = await make(
    "Drop the legacy SHA-1 fingerprint column",
    "1415",
    "SHA-1 fingerprints still shown on the cert page",
    "www/certs.php",
  );
  await sign(dev, withdrawn.id, "submit");
  await sign(ada, withdrawn.id, "review", "approve");
  const { statement } = await issueStatement({
    actor: dev.actor,
    patchId: withdrawn.id,
    kind: "withdraw",
    comment: "Superseded: the column goes with the schema migration in bug #1420.",
  });
  await withdrawPatch({ actor: dev.actor, statement, signature: await dev.sign(statement) });
}

// Demo emergencies: a past one handled under option 2, its dispute and a
// signed ruling; one in progress on the fast path, running on its patch; and a
// false alarm closed by its declarer and a second critical admin or assessor. Signed with the demo
// people's own keys through the same use-cases the portal uses.
import { db } from "../../lib/db";
import { declareEmergency } from "../../lib/server/emergencies/declare-emergency";
import { nameResponder } from "../../lib/server/emergencies/name-responder";
import {
  issueEmergencyStatement,
  type TIssueEmergencyStatement,
} from "../../lib/server/emergencies/issue-emergency-statement";
import { recordEmergencyStatement } from "../../lib/server/emergencies/record-emergency-statement";
import { demoSigner, type TDemoKeys, type TDemoSigner } from "./demo-signers";

type TStep = Omit<TIssueEmergencyStatement, "emergencyId" | "kind" | "comment">;

async function sign(
  p: TDemoSigner,
  emergencyId: string,
  kind: TIssueEmergencyStatement["kind"],
  comment: string,
  extra: TStep = {},
) {
  const { statement } = await issueEmergencyStatement({
    actor: p.actor,
    emergencyId,
    kind,
    comment,
    ...extra,
  });
  const signature = await p.sign(statement);
  return recordEmergencyStatement({
    actor: p.actor,
    statement,
    signature,
    diff: extra.diff,
    log: extra.log,
    bugId: extra.bugId,
    bugSummary: extra.bugSummary,
  });
}

const OCSP_DIFF = `--- a/ocsp/responder.c\n+++ b/ocsp/responder.c\n@@ -1,3 +1,3 @@\n /* status */\n-status = cached_crl_status(serial);\n+status = current_status(serial);\n /* end */\n`;

const DIFF = `--- a/www/index.php\n+++ b/www/index.php\n@@ -1,3 +1,3 @@\n <?php\n-if (check_pw($user, $pw) || $user['imported']) {\n+if (check_pw($user, $pw)) {\n // end\n`;

export async function seedDemoEmergencies(keys: TDemoKeys) {
  if ((await db.emergency.count()) > 0) return;
  const [ada, bert, tara, carl, ari, dev] = await Promise.all(
    ["ada", "bert", "tara", "carl", "ari", "dev"].map((n) =>
      demoSigner(`${n}@demo.patchgate.org`, keys),
    ),
  );
  const HOUR = 3_600_000;

  // A past emergency: option 1 could not finish, option 2 was used, arbitration ruled.
  const past = await declareEmergency({
    actor: carl.actor,
    system: "webdb",
    title: "Imported accounts sign in without a password",
    description:
      "Accounts imported from the old member database can sign in with any password: the login skips the password check for them.",
    severity: "critical",
    now: new Date(Date.now() - 72 * HOUR),
  });
  await nameResponder({
    actor: carl.actor,
    emergencyId: past.id,
    team: "CRITICAL_ADMINS",
    userId: carl.actor.id,
    contact: "+49 30 5550 1001",
  });
  await nameResponder({
    actor: ada.actor,
    emergencyId: past.id,
    team: "ASSESSORS",
    userId: ada.actor.id,
    contact: "ada on irc.cacert.org",
  });
  await sign(carl, past.id, "acknowledge", "On standby.");
  await sign(ada, past.id, "acknowledge", "On standby, reachable all night.");
  await sign(
    carl,
    past.id,
    "option1-unfit",
    "No tester could be reached for the fast path, and every hour the hole stays open is a risk to every member.",
  );
  await sign(
    ada,
    past.id,
    "option2-patch",
    "Removed the bypass; tested locally against a copy of the database: imported and normal accounts.",
    { diff: DIFF },
  );
  await sign(
    carl,
    past.id,
    "option2-deploy",
    "Applied the patch to www/index.php, reloaded apache2, checked that a wrong password is refused for an imported account.",
  );
  const dispute = await db.dispute.findFirstOrThrow({ where: { emergencyId: past.id } });
  await sign(carl, past.id, "resolve", "Logins checked the next morning; no further reports.");
  await sign(
    ari,
    past.id,
    "ruling",
    "Option 1 could not be run without testers; option 2 was used as the procedure says, the patch was tested locally and documented, and it re-entered the update cycle.",
    {
      disputeId: dispute.id,
      verdict: "justified",
    },
  );

  // One in progress on the fast path, the clock running.
  const open = await declareEmergency({
    actor: ada.actor,
    system: "webdb",
    title: "OCSP responder answers 'good' for revoked certificates",
    description:
      "Since this morning the OCSP responder answers 'good' for certificates revoked in the last week.",
    severity: "high",
    now: new Date(Date.now() - 15 * HOUR),
  });
  await nameResponder({
    actor: tara.actor,
    emergencyId: open.id,
    team: "TESTERS",
    userId: tara.actor.id,
    contact: "tara by mail",
  });
  await sign(tara, open.id, "acknowledge", "Standing by.");
  // Option 1 runs on a patch: prepared, the 1st review with the transfer, one tester passed.
  await sign(
    dev,
    open.id,
    "option1-patch",
    "The responder's cache kept the status of the last full CRL: read the revocations since then too.",
    {
      diff: OCSP_DIFF,
      bugId: "1523",
      bugSummary: "OCSP answers good for recently revoked certificates",
    },
  );
  await sign(bert, open.id, "gate", "Reviewed; moved to cacert-devel and the test server.", {
    gate: "review-1",
    develCommit: "4f1c2e9a7b3d",
    testServer: "test1.cacert.org",
  });
  await sign(
    tara,
    open.id,
    "gate",
    "Checked on test1: a certificate revoked today answers 'revoked'.",
    {
      gate: "test",
      verdict: "pass",
    },
  );

  // A false alarm, closed: the declarer and a second person signed, with reasons.
  const alarm = await declareEmergency({
    actor: carl.actor,
    system: "webdb",
    title: "Mass sign-in failures on the web interface",
    description: "Hundreds of members report that their client certificate is refused at sign-in.",
    severity: "high",
    now: new Date(Date.now() - 30 * HOUR),
  });
  await sign(
    ada,
    alarm.id,
    "close",
    "Not an emergency: the members' browsers had an expired intermediate certificate cached; nothing is wrong with the system.",
  );
  await sign(
    carl,
    alarm.id,
    "close",
    "Confirmed a false alarm: sign-in works with a fresh browser profile; a note went to the support list.",
  );
}

// Demo emergencies: a past one handled under option 2, its dispute and a
// signed ruling; and one in progress on the fast path. Signed with the demo
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
  });
}

const DIFF = `--- a/www/index.php\n+++ b/www/index.php\n@@ -1,3 +1,3 @@\n <?php\n-if (check_pw($user, $pw) || $user['imported']) {\n+if (check_pw($user, $pw)) {\n // end\n`;

export async function seedDemoEmergencies(keys: TDemoKeys) {
  if ((await db.emergency.count()) > 0) return;
  const [ada, bert, tara, carl, ari] = await Promise.all(
    ["ada", "bert", "tara", "carl", "ari"].map((n) => demoSigner(`${n}@demo.patchgate.org`, keys)),
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

  // One in progress on the fast path: two gates done, the clock running.
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
  await sign(bert, open.id, "gate", "Reviewed; moved to cacert-devel and the test server.", {
    gate: "review-1",
  });
  await sign(tara, open.id, "gate", "Checked on test1; reported to the bug tracker.", {
    gate: "test",
  });
}

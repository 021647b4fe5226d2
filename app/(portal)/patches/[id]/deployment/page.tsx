import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/require-actor";
import { can } from "@/lib/domain/permissions";
import { handStepsDone } from "@/lib/domain/procedures";
import { separationMessage } from "@/lib/domain/deploy-separation";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors";
import { getPatch } from "@/lib/server/patches/get-patch";
import { StateChip } from "../../_components/state-chip";
import { displayOf } from "./_components/step-status";
import { StepCard } from "./_components/step-card";
import { ProgressBar } from "./_components/progress-bar";
import { VisitPanel } from "./_components/visit-panel";
import { OpenDeployment } from "./_components/open-deployment";
import { NotificationSigner } from "./_components/notification-signer";
import styles from "./_components/checklist.module.css";

export const metadata = { title: "Deployment" };

async function load(actor: Awaited<ReturnType<typeof pageActor>>, patchId: string) {
  try {
    return await getPatch({ actor, patchId });
  } catch (e) {
    // An id no patch can have (a NUL, too long) is not found either.
    if ((isAppError(e) && e.code === "NOT_FOUND") || e instanceof ZodError) notFound();
    throw e;
  }
}

// Everyone who may read patches sees the record; only critical admins get the
// forms, and the use-cases behind them check that again.
export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("patch:read");
  const { id } = await params;
  const patch = await load(actor, id);
  const d = patch.deployment;
  // The same rule the use-cases apply (X3): the page offers only what they accept.
  const separated = can(actor.roles, "deploy:tick") ? patch.deploySeparation : null;
  const mayTick = can(actor.roles, "deploy:tick") && !separated;
  const signingServer = patch.system.procedure === "SIGNING_SERVER";
  const signedPresence = d ? d.visit.presence.some((p) => p.userId === actor.id) : false;
  const failedStep = d?.steps.find((s) => s.status === "FAILED");

  return (
    <>
      <div className={styles.head}>
        <div>
          <div className={styles.crumbs}>
            <Link href="/patches">Patches</Link> /{" "}
            <Link href={`/patches/${patch.id}`}>#{patch.number}</Link> / Deployment
          </div>
          <h1>
            Deployment of #{patch.number}: {patch.title}
          </h1>
          <div className={styles.facts}>
            <span>
              System <b>{patch.system.name}</b> (
              {signingServer ? "signing-server procedure" : "webdb procedure"})
            </span>
            <span>
              Revision <b>{patch.revision}</b>
            </span>
            <span>
              Bug <b>#{patch.bugId}</b> {patch.bugSummary}
            </span>
          </div>
        </div>
        <StateChip state={patch.state} />
      </div>

      {separated && (
        <div className="notice warn" role="note" data-testid="separation">
          {separationMessage(separated)}
        </div>
      )}
      {!d ? (
        <OpenDeployment
          patchId={patch.id}
          state={patch.state}
          procedure={patch.system.procedure}
          mayOpen={mayTick}
        />
      ) : (
        <>
          {failedStep && (
            <div
              className={`${styles.banner} ${styles.bannerFailed}`}
              role="alert"
              data-testid="failure-banner"
            >
              <div className={styles.bannerIcon}>!</div>
              <div>
                <h2>Step {failedStep.number} failed: the deployment stopped</h2>
                <p>
                  The patch went back to rework and the assessment team is notified with the full
                  output. Nothing more can be ticked in this record; a{" "}
                  <Link href={`/patches/${patch.id}`}>new revision of the patch</Link> starts the
                  process again.
                </p>
              </div>
            </div>
          )}
          {!failedStep && handStepsDone(d.steps) && (
            <div
              className={`${styles.banner} ${styles.bannerDone}`}
              role="status"
              data-testid="deployed-banner"
            >
              <div className={styles.bannerIcon}>✓</div>
              <div>
                <h2>Deployed</h2>
                <p>
                  Every step by hand is done.{" "}
                  {d.notification
                    ? `${d.notification.signer} signed the notification; the worker sends it, updates the bug and replies to the assessment team${signingServer ? "" : ", and mirrors the tarball"}.`
                    : "Once a critical admin signs the notification to the system-log list, the worker sends it and does the rest."}
                </p>
              </div>
            </div>
          )}
          {!failedStep &&
            d.state === "OPEN" &&
            handStepsDone(d.steps) &&
            !d.notification &&
            mayTick && <NotificationSigner patchId={patch.id} />}
          <ProgressBar deployment={d} />
          {signingServer && (
            <VisitPanel
              patchId={patch.id}
              deployment={d}
              mayAttend={can(actor.roles, "visit:attend")}
              signed={signedPresence}
            />
          )}
          <ol className={styles.steps} aria-label="Deployment steps">
            {d.steps.map((s) => (
              <StepCard
                key={s.number}
                patch={patch}
                step={s}
                display={displayOf(d, s)}
                mayTick={mayTick}
                signingServer={signingServer}
              />
            ))}
          </ol>
        </>
      )}
    </>
  );
}

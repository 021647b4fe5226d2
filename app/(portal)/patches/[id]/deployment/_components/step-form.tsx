import { commitMessage, restartStep, SERVICE, sha256sumLine } from "@/lib/domain/procedures";
import type { TPatchView } from "@/lib/server/patches/get-patch";
import { formatDateTime, formatFingerprint } from "@/lib/format";
import { CopyButton, CopyLine } from "./copy-button";
import { TickSigner } from "./tick-signer";
import { TarballField } from "./tarball-field";
import { HiddenCharsNote } from "./hidden-chars-note";
import styles from "./checklist.module.css";

function Note({ label = "Note (optional)" }: { label?: string }) {
  return (
    <label>
      {label}
      <textarea name="note" rows={2} style={{ minHeight: "3.5rem", fontFamily: "inherit" }} />
    </label>
  );
}

function Check({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <input type="hidden" name="flag" value={name} />
      <label className={styles.check}>
        <input type="checkbox" name={name} />
        <span>{children}</span>
      </label>
    </>
  );
}

/** What the admin sees and records at the active step: the seed's facts to check and the evidence form. */
export function StepForm({ patch, number }: { patch: TPatchView; number: number }) {
  const d = patch.deployment!;
  const risk = d.steps.find((s) => s.number === 4);
  const stoppedAtRisk =
    risk?.status === "DONE" &&
    (risk.evidence as { webServerStopped?: boolean } | null)?.webServerStopped === true;
  const request = patch.signoffs.find((s) => s.kind === "request" && !s.superseded);
  const current = patch.signoffs.filter((s) => !s.superseded);
  const service = SERVICE[patch.system.procedure];
  const restartHere = stoppedAtRisk && restartStep(d.steps) === number;
  const restartCheck = (
    <>
      <div className={styles.reminder}>
        <span aria-hidden>⚠</span>
        <span>
          You stopped the {service.name} at step 4. Start it again: <code>{service.start}</code>
        </span>
      </div>
      <Check name="webServerRunning">The {service.name} runs again</Check>
    </>
  );
  const line = sha256sumLine(patch.diffSha256, "/tmp/patch-script.diff");
  const message = commitMessage(patch.bugId, patch.bugSummary);

  const fields = (() => {
    switch (number) {
      case 1:
        return (
          <>
            {request ? (
              <dl className={styles.kv} data-testid="request-signer">
                <dt>Signed by</dt>
                <dd>
                  <b>{request.signer?.name}</b> &lt;{request.signer?.email}&gt;
                </dd>
                <dt>Key</dt>
                <dd className="fingerprint">{formatFingerprint(request.fingerprint)}</dd>
                <dt>Received</dt>
                <dd>{formatDateTime(request.time)}</dd>
              </dl>
            ) : (
              <div className="notice warn">No signed request on the current revision.</div>
            )}
            <Note />
          </>
        );
      case 2:
        return (
          <>
            <dl className={styles.kv} data-testid="gates">
              <dt>Reviews</dt>
              <dd>
                <span
                  className={`chip ${patch.gates.reviews.have >= patch.gates.reviews.need ? "ok" : "bad"}`}
                >
                  {patch.gates.reviews.have} of {patch.gates.reviews.need}
                </span>{" "}
                {current
                  .filter((s) => s.kind === "review" && s.verdict === "approve")
                  .map((s) => s.signer?.name)
                  .join(", ")}
              </dd>
              <dt>Tests</dt>
              <dd>
                <span
                  className={`chip ${patch.gates.tests.have >= patch.gates.tests.need ? "ok" : "bad"}`}
                >
                  {patch.gates.tests.have} of {patch.gates.tests.need}
                </span>{" "}
                {current
                  .filter((s) => s.kind === "test" && s.verdict === "pass")
                  .map((s) => s.signer?.name)
                  .join(", ")}
              </dd>
            </dl>
            <Note />
          </>
        );
      case 3:
        return (
          <>
            <div>
              <a
                className="button secondary"
                href={`/patches/${patch.id}/deployment/diff`}
                download="patch-script.diff"
              >
                ↓ Download patch-script.diff
              </a>{" "}
              <span className="small muted">revision {patch.revision}</span>
            </div>
            <HiddenCharsNote patchId={patch.id} revision={patch.revision} />
            <div>
              <div className="small muted">SHA-256 of the artifact</div>
              <div className={styles.sha} data-testid="artifact-sha256">
                {patch.diffSha256}
              </div>
            </div>
            <div>
              <div className="small muted">Run on the server:</div>
              <CopyLine text="sha256sum /tmp/patch-script.diff" what="the sha256sum command" />
              <div className="small muted">It must print exactly:</div>
              <CopyLine text={line} what="the expected sha256sum output" testId="sha256sum-line" />
            </div>
            <Check name="checksumMatched">The checksum matched</Check>
            <Note />
          </>
        );
      case 4:
        return (
          <>
            <label>
              Risk evaluation
              <textarea
                name="assessment"
                rows={3}
                style={{ minHeight: "4.5rem", fontFamily: "inherit" }}
                placeholder="What the patch touches, what could break, whether the live system needs to stop…"
              />
            </label>
            <Check name="webServerStopped">
              I stopped the {service.name} (<code>{service.stop}</code>)
            </Check>
            <div className={styles.reminder}>
              <span aria-hidden>⚠</span>
              <span>
                If you stop the {service.name}, do not forget to start it again after the patch
                process with <code>{service.start}</code>. The last step, or a failed apply, will
                ask you to confirm it runs.
              </span>
            </div>
          </>
        );
      case 5:
        return (
          <>
            <label>
              Output of patch
              <textarea name="output" rows={6} placeholder="patching file www/account.php" />
            </label>
            <fieldset className={styles.radios}>
              <legend>Result</legend>
              <label className={styles.radio}>
                <input type="radio" name="result" value="clean" required /> Applied cleanly
              </label>
              <label className={`${styles.radio} ${styles.radioBad}`}>
                <input type="radio" name="result" value="failed" required /> Failed — backed out
              </label>
            </fieldset>
            {/* P5: shown once "failed" is chosen (CSS :has), and signed with the result. */}
            <div className={styles.failedOnly} data-testid="back-out">
              <label>
                Output of the back-out (the reverse apply)
                <textarea
                  name="backOutOutput"
                  rows={4}
                  placeholder="sudo patch -p1 -R --ignore-whitespace < /tmp/patch-script.diff"
                />
              </label>
              <Check name="nothingChanged">
                Nothing was changed: patch stopped before it wrote any file
              </Check>
              {stoppedAtRisk && restartCheck}
            </div>
          </>
        );
      case 6:
        return (
          <>
            <div className={styles.commitBox}>
              <span className="small muted">
                Commit message (from bug #{patch.bugId} and its short description)
              </span>
              <textarea
                name="commitMessage"
                aria-label="Commit message"
                defaultValue={message}
                rows={3}
              />
              <span>
                <CopyButton text={message} what="the commit message" />
              </span>
            </div>
            <label>
              Output of cvs commit (optional)
              <textarea name="output" rows={3} style={{ minHeight: "4rem" }} />
            </label>
          </>
        );
      case 7:
        return <TarballField patchId={patch.id} />;
      case 8:
        return <Note />;
      case 9:
        return <Note />;
      default:
        return null;
    }
  })();

  return (
    <TickSigner patchId={patch.id} number={number}>
      {fields}
      {restartHere && number !== 5 && restartCheck}
    </TickSigner>
  );
}

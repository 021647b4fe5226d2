import { ActionForm } from "@/app/_components/action-form";
import { decideStepAction } from "@/lib/actions/deployments";
import styles from "./checklist.module.css";

/** P6: on the signing server, steps 3–7 apply or not as the situation needs; the reason is recorded. */
export function DecideForm({ patchId, number }: { patchId: string; number: number }) {
  return (
    <div className={styles.decision} data-testid={`decide-${number}`}>
      <h4>Does step {number} apply to this visit?</h4>
      <ActionForm
        action={decideStepAction}
        className={styles.decideForm}
        submit={`Record the decision on step ${number}`}
        submitClass="secondary"
      >
        <input type="hidden" name="patchId" value={patchId} />
        <input type="hidden" name="number" value={number} />
        <fieldset className={styles.radios}>
          <label className={styles.radio}>
            <input type="radio" name="applicable" value="yes" /> Applies
          </label>
          <label className={styles.radio}>
            <input type="radio" name="applicable" value="no" /> Does not apply
          </label>
        </fieldset>
        <label>
          Reason
          <input name="reason" placeholder="e.g. the code comes on a USB stick" />
        </label>
      </ActionForm>
    </div>
  );
}

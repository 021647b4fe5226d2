import "server-only";
import type { Tx } from "../../db";
import { AppError } from "../../errors";
import { cleanId, cleanLine } from "../../domain/input-hygiene";

// S3: what every per-series verification act checks first: the record exists,
// is approved, and names the series.

export const ZRecordId = cleanId();
export const ZSeriesName = cleanLine()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "Series: a release series name such as jammy");

export async function loadApprovedRecord(tx: Tx, id: string, series: string) {
  const record = await tx.updateRecord.findUnique({
    where: { id },
    select: { id: true, number: true, state: true, revision: true, series: true },
  });
  if (!record) throw new AppError("NOT_FOUND", `There is no update record ${id}.`);
  if (record.state !== "APPROVED")
    throw new AppError(
      "CONFLICT",
      `Update #${record.number} is ${record.state.toLowerCase()}, not approved: series are verified only once the current revision is approved.`,
      { state: record.state },
    );
  if (!record.series.includes(series))
    throw new AppError(
      "VALIDATION",
      `Series: update #${record.number} targets ${record.series.join(", ")}, not ${series}.`,
    );
  return record;
}

export const ZHttpUrl = (what: string) =>
  cleanLine()
    .trim()
    .max(2000)
    .refine((s) => URL.canParse(s), `${what}: a URL`);

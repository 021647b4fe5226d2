// The manual update's checklist (U4), in the seed's fixed order
// (../shared/seeds/os4x-update.txt, "Run update manually (1)"). Each step is
// ticked by an admin with evidence and a signed package-step statement; a step
// is refused before every earlier step that applies is ticked, and the
// Enterprise steps are refused on an installation without Enterprise.

export const DAEMONS = ["os4xrd", "os4xsqd", "os4xdebugd", "os4xclientd"] as const;

export type TChecklistStep = {
  number: number;
  key: string;
  title: string;
  enterpriseOnly: boolean;
  /** Evidence fields that must be `true` (a confirmation the admin gives). */
  confirms: readonly string[];
  /** What the admin is asked to confirm, one line per field in `confirms`. */
  confirmLabels: Readonly<Record<string, string>>;
};

const step = (
  number: number,
  key: string,
  title: string,
  confirmLabels: Record<string, string> = {},
  enterpriseOnly = false,
): TChecklistStep => ({
  number,
  key,
  title,
  enterpriseOnly,
  confirms: Object.keys(confirmLabels),
  confirmLabels,
});

export const MANUAL_CHECKLIST: readonly TChecklistStep[] = [
  step(1, "backup", "Make a backup of everything"),
  step(2, "database-schema", "Run the database schema updater (os4x_dbupdate)"),
  step(3, "binaries", "Copy all binaries to the target directory", {
    licenceKept:
      "The licence file is in the target directory (copied over if the directory was swapped)",
  }),
  step(
    4,
    "config-schema",
    "Check whether the configuration file's schema changed (/etc/os4x.conf)",
  ),
  step(5, "web-interface", "Copy the administration web interface to its destination", {
    databaseIncChecked: "database.inc.php checked",
  }),
  step(6, "web-access-client", "Copy the web access client to its target destination", {}, true),
  step(
    7,
    "web-access-database-inc",
    "Check database.inc.php in the web access directory",
    { databaseIncChecked: "database.inc.php in the web access directory checked" },
    true,
  ),
  step(8, "plugins", "Copy all plugins", {}, true),
  step(
    9,
    "configuration-page",
    "Look at the configuration page of the administrative web interface",
  ),
  step(
    10,
    "restart-daemons",
    "Restart the daemons",
    Object.fromEntries(DAEMONS.map((d) => [d, `${d} restarted`])),
  ),
];

/** The steps that apply to this installation, in order. */
export function checklistFor(enterprise: boolean): TChecklistStep[] {
  return MANUAL_CHECKLIST.filter((s) => enterprise || !s.enterpriseOnly);
}

export function checklistStep(number: number): TChecklistStep | undefined {
  return MANUAL_CHECKLIST.find((s) => s.number === number);
}

export type TStepRefusal = { code: "VALIDATION" | "CONFLICT"; message: string };

/**
 * Why this step may not be ticked now, or null when it may: unknown, Enterprise
 * only, already ticked, or an earlier step still open.
 */
export function refuseStep(
  number: number,
  enterprise: boolean,
  ticked: readonly number[],
): TStepRefusal | null {
  const s = checklistStep(number);
  if (!s) return { code: "VALIDATION", message: `There is no step ${number} on the checklist.` };
  if (s.enterpriseOnly && !enterprise)
    return {
      code: "CONFLICT",
      message: `Step ${number} (${s.title}) is for OS4X Enterprise only; this installation is not Enterprise.`,
    };
  if (ticked.includes(number))
    return { code: "CONFLICT", message: `Step ${number} is already ticked.` };
  const open = checklistFor(enterprise).find(
    (x) => x.number < number && !ticked.includes(x.number),
  );
  if (open)
    return {
      code: "CONFLICT",
      message: `Step ${open.number} (${open.title}) comes first: the checklist is ticked in its order.`,
    };
  return null;
}

/** The next step to tick, or null when the checklist is complete. */
export function nextStep(enterprise: boolean, ticked: readonly number[]): TChecklistStep | null {
  return checklistFor(enterprise).find((s) => !ticked.includes(s.number)) ?? null;
}

/** Missing confirmations of a step's evidence (each must be `true`). */
export function missingConfirmations(
  s: TChecklistStep,
  evidence: Record<string, unknown>,
): string[] {
  return s.confirms.filter((k) => evidence[k] !== true).map((k) => s.confirmLabels[k]);
}

/** The longest free `note` a step's evidence may carry. */
export const NOTE_MAX = 2000;

/**
 * What is wrong with a step's evidence apart from missing confirmations: a
 * field the step does not ask for, a confirmation that is not a boolean, a
 * `note` that is not text or too long. Empty when the shape is right.
 */
export function evidenceProblems(s: TChecklistStep, evidence: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(evidence)) {
    if (k === "note") {
      if (typeof v !== "string") problems.push("evidence.note must be text");
      else if (v.length > NOTE_MAX)
        problems.push(`evidence.note must be at most ${NOTE_MAX} characters`);
    } else if (s.confirms.includes(k)) {
      if (typeof v !== "boolean") problems.push(`evidence.${k} must be true or false`);
    } else
      problems.push(
        `step ${s.number} has no evidence field ${k}` +
          (s.confirms.length
            ? ` (it asks for ${s.confirms.join(", ")} and an optional note)`
            : " (only an optional note)"),
      );
  }
  return problems;
}

// What the deployment routes answer (and the deployment inside GET /patches/{id}),
// as zod schemas: openapi-deployments.ts shows them, integration tests check real
// answers against them with expectShape.
import { z } from "zod";
import { ZDateTime, ZPerson, ZSha256 } from "./openapi-parts";

const ZProcedure = z.enum(["WEBDB", "SIGNING_SERVER"]);
const ZDeploymentState = z.enum(["OPEN", "COMPLETED", "FAILED"]);

/** POST /patches/{id}/deployment: the record just opened. */
export const ZDeploymentOpened = z.object({
  id: z.string(),
  patchId: z.string(),
  procedure: ZProcedure,
  state: ZDeploymentState,
  openedAt: ZDateTime,
});

/** The answer of POST /patches/{id}/deployment, from the record the use-case opened. */
export function deploymentOpened(
  record: Omit<z.input<typeof ZDeploymentOpened>, "openedAt"> & { openedAt: Date },
) {
  return {
    id: record.id,
    patchId: record.patchId,
    procedure: record.procedure,
    state: record.state,
    openedAt: record.openedAt,
  };
}

export const ZDeploymentStep = z.object({
  number: z.number().int(),
  key: z.string(),
  title: z.string(),
  applicability: z.enum(["ALWAYS", "NEVER", "SITUATIONAL"]),
  applicable: z.boolean(),
  applicabilityReason: z.string().nullable(),
  status: z.enum(["PENDING", "DONE", "FAILED", "NOT_APPLICABLE"]),
  doneBy: ZPerson,
  doneAt: ZDateTime.nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  signedWith: z
    .string()
    .nullable()
    .meta({ description: "The key that signed the tick (X1); null for worker steps." }),
});

/** The deployment record of the current revision, as GET /patches/{id} shows it. */
export const ZDeployment = z
  .object({
    id: z.string(),
    state: ZDeploymentState,
    procedure: ZProcedure,
    openedAt: ZDateTime,
    notification: z
      .object({
        signer: z.string().meta({ description: "The critical admin's name." }),
        fingerprint: z.string(),
        receivedAt: ZDateTime,
      })
      .nullable()
      .meta({
        description: "P7: the signature on the notification, once given (it queues steps 10–13).",
      }),
    visit: z
      .object({
        criticalAdmins: z.number().int(),
        accessEngineers: z.number().int(),
        met: z.boolean(),
        presence: z.array(
          z.object({
            userId: z.string(),
            role: z.enum(["CRITICAL_ADMIN", "ACCESS_ENGINEER"]),
            name: z.string(),
            fingerprint: z.string(),
            time: ZDateTime,
          }),
        ),
      })
      .meta({
        description: "Signing server: who signed presence, and whether the quorum is met.",
      }),
    steps: z.array(ZDeploymentStep),
  })
  .meta({ id: "Deployment" });

/** A statement to sign, as JSON (the deployment steps' statement routes). */
export const ZIssuedStatement = z
  .object({
    statement: z.string().meta({ description: "Exactly the bytes to sign." }),
    nonce: z.string(),
    expiresAt: ZDateTime,
    keyFingerprint: z.string(),
  })
  .meta({ id: "IssuedStatement" });

/** POST /patches/{id}/deployment/notification: the recorded signature. */
export const ZNotificationSigned = z.object({
  deploymentId: z.string(),
  fingerprint: z.string(),
  partSha256: ZSha256,
  receivedAt: ZDateTime,
});

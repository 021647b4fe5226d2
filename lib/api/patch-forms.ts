// The multipart forms of the patch routes: the fields the routes parse, with the
// diff as a file part (bytes kept exactly as uploaded); the OpenAPI document shows them.
import { z } from "zod";
import { ZPatchFields } from "../server/patches/submit-patch";
import { ZUploadedFile } from "./multipart";

/** POST /api/v1/patches: the fields with the diff as a file part (multipart/form-data). */
export const ZSubmitPatchForm = ZPatchFields.extend({
  system: ZPatchFields.shape.system.meta({ description: "The target system's slug." }),
  bugSummary: ZPatchFields.shape.bugSummary.meta({
    description: "The bug's short description; it goes into the commit message.",
  }),
  diff: ZUploadedFile.meta({
    description: "The unified diff, as a file part; stored byte for byte.",
  }),
});

/** POST /api/v1/patches/{id}/revisions: the diff as a file part (multipart/form-data). */
export const ZRevisionForm = z.object({ diff: ZSubmitPatchForm.shape.diff });

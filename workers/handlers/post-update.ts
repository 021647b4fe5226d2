import { PermanentError, type THandler } from "./context";

// Built by the update-modes branch (issue 13): replaced at merge.
export const callPostUpdate: THandler<"package.post-update"> = async () => {
  throw new PermanentError("package.post-update: not built yet");
};

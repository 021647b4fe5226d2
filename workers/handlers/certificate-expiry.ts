import { PermanentError, type THandler } from "./context";

// Built by the expiry branch (issue 13): replaced at merge.
export const sendCertificateExpiry: THandler<"certificate.expiry"> = async () => {
  throw new PermanentError("certificate.expiry: not built yet");
};

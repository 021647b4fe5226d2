// The client commands' exit statuses (docs/cli.md "Exit codes"). Scripts branch
// on them, so each number keeps its meaning; a new case gets a new number.

export const EXIT = {
  /** Done. */
  OK: 0,
  /** The portal refused (its message is printed) or the action failed: nothing or not all was done. */
  FAILED: 1,
  /** Wrong flags or arguments, or a file that cannot be read: nothing was sent. */
  USAGE: 2,
  /** No portal or token (run `patchgate login`), or the portal does not accept the token (401). */
  AUTH: 3,
  /** No such patch, emergency or dispute (404). */
  NOT_FOUND: 4,
  /** The portal cannot be reached, or answered 5xx: try again later. */
  UNREACHABLE: 5,
  /** `Sign? [y/N]` was not answered yes: nothing was signed or sent. */
  DECLINED: 6,
} as const;

export type TExit = (typeof EXIT)[keyof typeof EXIT];

/** A failure of a client command: its message is the whole report, its exit status says what kind. */
export class ClientError extends Error {
  override name = "ClientError";
  constructor(
    message: string,
    readonly exit: TExit = EXIT.FAILED,
    readonly code?: string,
  ) {
    super(message);
  }
}

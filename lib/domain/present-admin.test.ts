import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { assertPresentAdmin } from "./present-admin";

// P6: on the signing server only a critical admin who signed their presence
// at the visit ticks or decides steps; on the webdb procedure anyone the
// permission allows does.

const ADMIN = { userId: "admin", role: "CRITICAL_ADMIN" };
const ENGINEER = { userId: "engineer", role: "ACCESS_ENGINEER" };

describe("assertPresentAdmin", () => {
  const rows: {
    name: string;
    procedure: string;
    presence: { userId: string; role: string }[];
    personId: string;
    allowed: boolean;
  }[] = [
    {
      name: "webdb, nobody present",
      procedure: "WEBDB",
      presence: [],
      personId: "admin",
      allowed: true,
    },
    {
      name: "signing server, the admin present",
      procedure: "SIGNING_SERVER",
      presence: [ADMIN, ENGINEER],
      personId: "admin",
      allowed: true,
    },
    {
      name: "signing server, nobody present",
      procedure: "SIGNING_SERVER",
      presence: [],
      personId: "admin",
      allowed: false,
    },
    {
      name: "signing server, another admin present",
      procedure: "SIGNING_SERVER",
      presence: [{ userId: "other", role: "CRITICAL_ADMIN" }, ENGINEER],
      personId: "admin",
      allowed: false,
    },
    {
      name: "signing server, present as access engineer only",
      procedure: "SIGNING_SERVER",
      presence: [ADMIN, ENGINEER],
      personId: "engineer",
      allowed: false,
    },
  ];

  it.each(rows)("$name", ({ procedure, presence, personId, allowed }) => {
    const run = () => assertPresentAdmin({ procedure, presence }, personId);
    if (allowed) return expect(run).not.toThrow();
    expect(run).toThrow(AppError);
    expect(run).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });
});

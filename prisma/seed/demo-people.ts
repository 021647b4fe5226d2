import type { TRole } from "../../lib/domain/roles";

// A CAcert-like team. Every demo account shares one password.
export const DEMO_PASSWORD = "patchgate-demo";

export const DEMO_PEOPLE: { email: string; name: string; roles: TRole[] }[] = [
  { email: "admin@demo.patchgate.org", name: "Paula Portal", roles: ["ADMIN"] },
  { email: "ada@demo.patchgate.org", name: "Ada Assessor", roles: ["ASSESSOR"] },
  { email: "bert@demo.patchgate.org", name: "Bert Assessor", roles: ["ASSESSOR"] },
  { email: "cleo@demo.patchgate.org", name: "Cleo Assessor", roles: ["ASSESSOR"] },
  { email: "tara@demo.patchgate.org", name: "Tara Tester", roles: ["TESTER"] },
  { email: "theo@demo.patchgate.org", name: "Theo Tester", roles: ["TESTER"] },
  { email: "carl@demo.patchgate.org", name: "Carl Critical", roles: ["CRITICAL_ADMIN"] },
  { email: "cora@demo.patchgate.org", name: "Cora Critical", roles: ["CRITICAL_ADMIN"] },
  { email: "eli@demo.patchgate.org", name: "Eli Access", roles: ["ACCESS_ENGINEER"] },
  { email: "ari@demo.patchgate.org", name: "Ari Arbitrator", roles: ["ARBITRATOR"] },
  { email: "dev@demo.patchgate.org", name: "Dana Developer", roles: ["DEVELOPER"] },
];

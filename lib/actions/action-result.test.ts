import { describe, expect, it } from "vitest";
import { z, ZodError } from "zod";
import { parseForm } from "./action-result";

// Actions read their forms into the use-cases' own schemas: what an empty or
// missing field becomes decides which message the person sees.

const ZInput = z.object({
  name: z.string().trim().min(1, "Say who"),
  role: z.enum(["ASSESSOR", "TESTER"]),
  note: z.string().trim().max(10).optional(),
  comment: z.string().default("none"),
});

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

const messages = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZodError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
};

type TRow = { name: string; fields: Record<string, string>; out: z.output<typeof ZInput> };

describe("parseForm", () => {
  it.each<TRow>([
    {
      name: "filled in: parsed by the schema",
      fields: { name: " Ada ", role: "TESTER", note: "hi", comment: "c" },
      out: { name: "Ada", role: "TESTER", note: "hi", comment: "c" },
    },
    {
      name: "an empty optional field stays unset, an empty defaulted one takes the default",
      fields: { name: "Ada", role: "ASSESSOR", note: "", comment: "" },
      out: { name: "Ada", role: "ASSESSOR", note: undefined, comment: "none" },
    },
    {
      name: "absent optional fields likewise",
      fields: { name: "Ada", role: "ASSESSOR" },
      out: { name: "Ada", role: "ASSESSOR", note: undefined, comment: "none" },
    },
    {
      name: "fields the schema does not name are left out",
      fields: { name: "Ada", role: "ASSESSOR", extra: "x" },
      out: { name: "Ada", role: "ASSESSOR", note: undefined, comment: "none" },
    },
  ])("$name", ({ fields, out }) => {
    expect(parseForm(ZInput, form(fields))).toEqual(out);
  });

  it("reads an empty or absent required field as empty, so the schema's own message is shown", () => {
    expect(messages(() => parseForm(ZInput, form({ name: "", role: "TESTER" })))).toEqual([
      "name: Say who",
    ]);
    expect(messages(() => parseForm(ZInput, form({ role: "TESTER" })))).toEqual(["name: Say who"]);
  });

  it("refuses a value outside an enum, without a cast anywhere", () => {
    expect(messages(() => parseForm(ZInput, form({ name: "Ada", role: "ADMIN" })))).toHaveLength(1);
  });

  it("ignores files: they are not text fields", () => {
    const f = form({ role: "TESTER" });
    f.append("name", new Blob(["x"]));
    expect(messages(() => parseForm(ZInput, f))).toEqual(["name: Say who"]);
  });
});

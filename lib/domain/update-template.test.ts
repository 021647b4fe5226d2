import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CERTBOT_SRU_TEMPLATE } from "./sru-template";
import {
  describeTodos,
  fillSections,
  findTodos,
  joinSections,
  parseMajorChanges,
  parseSections,
} from "./update-template";

const sha = (t: string) => createHash("sha256").update(t).digest("hex");

describe("the TODO rule", () => {
  it.each([
    ["a TODO in prose", "version TODO.", true],
    ["TODO at the start of a line", "TODO: explain why", true],
    ["a choice", "includes [TODO: remove one] bugfixes only/new features", true],
    ["a heading", "[TODO: name this section]", true],
    ["an ATX heading", "## TODO", true],
    ["in a list item", "- TODO", true],
    ["in emphasis", "**TODO**", true],
    ["inside a code span", "run `grep -r TODO src/` to check", false],
    ["inside a double-backtick span", "``TODO``", false],
    ["a code span and a real one", "`TODO` and TODO", true],
    ["the word in lower case", "our todo list is empty", false],
    ["the word capitalised", "Todo: nothing", false],
    ["part of a longer word", "TODOS and XTODO and TODO_1", false],
    ["filled in", "version 2.9.0.", false],
  ])("%s", (_name, line, isTodo) => {
    expect(findTodos(`[Impact]\n\n${line}`).length > 0).toBe(isTodo);
  });

  it("ignores fenced code blocks", () => {
    expect(findTodos("[Test Plan]\n\n```\n# TODO in a script\n```\n\nDone.")).toEqual([]);
    expect(findTodos("~~~sh\nTODO\n~~~\nTODO")).toHaveLength(1);
  });

  it("lists the seed's template: every placeholder with its section and line", () => {
    const todos = findTodos(CERTBOT_SRU_TEMPLATE.body);
    expect(todos.map((t) => [t.section, t.line])).toEqual([
      ["Introduction", 1],
      ["Introduction", 3],
      ["Impact", 9],
      ["Major Changes", 13],
      ["Regression Potential", 23],
    ]);
    expect(todos[1].text).toContain("[TODO: remove one] bugfixes only/new features");
    expect(describeTodos(todos).split("\n")[3]).toMatch(
      /^Major Changes, line 13: TODO: explain what changes/,
    );
  });
});

describe("sections", () => {
  it("reads [Heading] and ## Heading sections, with the introduction first", () => {
    const s = parseSections("Intro text\n\n[Impact]\n\nWhy.\n\n## Major Changes\n\n- one");
    expect(s.map((x) => [x.title, x.text, x.line])).toEqual([
      ["Introduction", "Intro text", 1],
      ["Impact", "Why.", 3],
      ["Major Changes", "- one", 7],
    ]);
  });

  it("joins back to the same normalised body", () => {
    const body = CERTBOT_SRU_TEMPLATE.body;
    expect(joinSections(parseSections(body))).toBe(body);
  });

  it("fills sections by title and refuses unknown ones", () => {
    const r = fillSections(CERTBOT_SRU_TEMPLATE.body, { "major changes": "- Adds X.\r\n" });
    expect("body" in r && parseSections(r.body)[2]).toMatchObject({
      title: "Major Changes",
      text: "- Adds X.",
    });
    expect(fillSections(CERTBOT_SRU_TEMPLATE.body, { Nope: "x" })).toEqual({ unknown: ["Nope"] });
  });
});

describe("major changes", () => {
  const body = (items: string) =>
    `[Impact]\n\nWhy.\n\n[Major Changes]\n\nProse first.\n\n${items}\n\n[Test Plan]\n\n- not a change`;

  it("lists each item, with continuation lines, and marks the incompatible ones", () => {
    const changes = parseMajorChanges(
      body(
        "- The nginx plugin now writes HTTP/2 directives.\n- Dropped the --foo flag;\n  this is not backwards compatible.\n* Backward-incompatible: new config path.\n1. New features only",
      ),
      sha,
    );
    expect(changes.map((c) => [c.number, c.incompatible])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(changes[1].text).toBe("Dropped the --foo flag; this is not backwards compatible.");
    expect(changes[1].sha256).toBe(sha(changes[1].text));
  });

  it("is empty without a list or without the section", () => {
    expect(parseMajorChanges(body("Nothing major."), sha)).toEqual([]);
    expect(parseMajorChanges("[Impact]\n\n- x", sha)).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { programReferenceMarkdown, programSchemaText } from "../../../scripts/docs/program-reference";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const committed = (relative: string) => readFileSync(join(repoRoot, relative), "utf8");

describe("generated program documentation", () => {
  it("docs/program.schema.json is up to date (run `npm run schemas`)", () => {
    expect(committed("docs/program.schema.json")).toBe(programSchemaText());
  });

  it("docs/program-reference.md is up to date (run `npm run schemas`)", () => {
    expect(committed("docs/program-reference.md")).toBe(programReferenceMarkdown());
  });

  it("documents every field with its meaning", () => {
    const rows = programReferenceMarkdown()
      .split("\n")
      .filter((line) => line.startsWith("| `"));
    expect(rows.length).toBeGreaterThan(40);
    const undocumented = rows.filter((line) => line.trimEnd().endsWith("|  |"));
    expect(undocumented).toEqual([]);
  });
});

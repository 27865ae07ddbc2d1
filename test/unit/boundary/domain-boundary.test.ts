import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findViolations } from "../../../scripts/check-domain-boundary";

function fakeDomain(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "patron-domain-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe("domain boundary check", () => {
  it("holds for the real domain/", () => {
    expect(findViolations(join(import.meta.dirname, "..", "..", "..", "domain"))).toEqual([]);
  });

  it.each([
    ['import { DynamoDBClient } from "@aws-sdk/client-dynamodb";', "AWS SDK"],
    ['import type { Handler } from "aws-lambda";', "aws-lambda"],
    ['import { readFileSync } from "node:fs";', "Node I/O"],
    ['import { request } from "https";', "Node I/O"],
    ['import { repo } from "../../functions/adapters/dynamo/member-repository";', "functions/"],
    ['import { Stack } from "../infra/patron-stack";', "infra/"],
    ["const at = Date.now();", "clock"],
    ["const at = new Date();", "clock"],
    ["const id = Math.random();", "randomness"],
    ["const id = crypto.randomUUID();", "random ids"],
  ])("flags %s", (line, expected) => {
    const violations = findViolations(fakeDomain({ "rules/x.ts": `${line}\n` }));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(expected);
  });

  it("allows pure code, explicit dates and comments that mention the clock", () => {
    const dir = fakeDomain({
      "ok.ts": [
        'import * as z from "zod";',
        "// never call Date.now() here",
        "export const at = (iso: string) => new Date(iso);",
        "export const schema = z.string();",
      ].join("\n"),
    });
    expect(findViolations(dir)).toEqual([]);
  });
});

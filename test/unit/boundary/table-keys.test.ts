import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Every table key is built in functions/adapters/dynamo/keys.ts, so the repositories, the stream consumer, the
// jobs and the scripts agree on them. A `PREFIX#…` string literal anywhere else in the code is a key built
// a second time. Comments may name keys; the benchmarks' raw-storage floors use keys of their own.

const root = join(import.meta.dirname, "..", "..", "..");
const KEYS_MODULE = "functions/adapters/dynamo/keys.ts";
const EXEMPT = [/^scripts\/bench\/(pipeline|replay|replay-ceiling|replay-batched-storage)\.ts$/];
const KEY_LITERAL = /["'`][A-Z][A-Z0-9_]*#/;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Code without its comments (good enough for this code base: no `//` or `/*` inside key strings). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

describe("table keys", () => {
  it("are built only in keys.ts", () => {
    const offenders = ["functions", "domain", "scripts"]
      .flatMap(sources)
      .filter((file) => file !== KEYS_MODULE && !EXEMPT.some((pattern) => pattern.test(file)))
      .flatMap((file) =>
        withoutComments(readFileSync(join(root, file), "utf8"))
          .split("\n")
          .filter((line) => KEY_LITERAL.test(line))
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("would catch a key literal outside keys.ts", () => {
    expect(KEY_LITERAL.test(withoutComments("const pk = `MEMBER#` + id; // MEMBER#<id>"))).toBe(true);
    expect(KEY_LITERAL.test(withoutComments("// `MEMBER#<id>` in a comment"))).toBe(false);
  });
});

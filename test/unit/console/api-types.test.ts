import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleApiTypes } from "../../../scripts/docs/console-api-types";

// The console never hand-writes request or response types: they are generated from docs/openapi.json, and a
// route change that was not followed by `npm run openapi` fails here.

const root = join(import.meta.dirname, "..", "..", "..");

describe("console API client types", () => {
  it("are the ones generated from the committed OpenAPI document", async () => {
    const document = JSON.parse(readFileSync(join(root, "docs", "openapi.json"), "utf8"));
    const committed = readFileSync(join(root, "console", "src", "api", "openapi.d.ts"), "utf8");
    expect(committed).toBe(await consoleApiTypes(document));
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EventDefinition } from "../../../events/catalog";
import { sampleFilePath } from "../../../events/catalog";

export const repoRoot = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");

/** A fresh copy of the committed sample envelope, safe to mutate in a test. */
export function loadSample(
  definition: EventDefinition,
): Record<string, unknown> & { detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(repoRoot, sampleFilePath(definition)), "utf8"));
}

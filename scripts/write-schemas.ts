/**
 * `npm run schemas`: writes events/schemas/<detail-type>.v<version>.json for every event contract, and the
 * program's JSON Schema and field reference under docs/.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventList, schemaFilePath } from "../events/catalog";
import { eventJsonSchemaText } from "../events/json-schema";
import { programReferenceMarkdown, programSchemaText } from "./docs/program-reference";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

async function write(relative: string, text: string, what: string): Promise<void> {
  const target = join(repoRoot, relative);
  const previous = await readFile(target, "utf8").catch(() => undefined);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
  console.log(`${previous === text ? "unchanged" : "wrote    "} ${relative} (${what})`);
}

for (const definition of eventList) {
  await write(
    schemaFilePath(definition),
    eventJsonSchemaText(definition),
    `${definition.detailType} v${definition.version}`,
  );
}
await write("docs/program.schema.json", programSchemaText(), "program JSON Schema");
await write("docs/program-reference.md", programReferenceMarkdown(), "program field reference");

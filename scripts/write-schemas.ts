/** `npm run schemas`: writes events/schemas/<detail-type>.v<version>.json for every event contract. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventList, schemaFilePath } from "../events/catalog";
import { eventJsonSchemaText } from "../events/json-schema";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

for (const definition of eventList) {
  const relative = schemaFilePath(definition);
  const target = join(repoRoot, relative);
  const text = eventJsonSchemaText(definition);
  const previous = await readFile(target, "utf8").catch(() => undefined);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
  console.log(
    `${previous === text ? "unchanged" : "wrote    "} ${relative} (${definition.detailType} v${definition.version})`,
  );
}

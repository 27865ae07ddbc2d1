import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeConsoleApiTypes } from "./docs/console-api-types";
import { openApiDocumentForDocs } from "./local/http-api/openapi-document";

// `npm run openapi`: writes docs/openapi.json from the routes' zod schemas (tests check it is current), and the
// console's typed client types from that document (not committed; `npm run typecheck` writes them too).

const root = join(import.meta.dirname, "..");
const document = await openApiDocumentForDocs();
const documentPath = join(root, "docs", "openapi.json");
writeFileSync(documentPath, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${documentPath}`);
console.log(`wrote ${await writeConsoleApiTypes(document)}`);

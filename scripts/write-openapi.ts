import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { consoleApiTypes } from "./docs/console-api-types";
import { openApiDocumentForDocs } from "./local/http-api/openapi-document";

// `npm run openapi`: writes docs/openapi.json from the routes' zod schemas, and the console's typed client
// types from that document (tests check both are current).

const root = join(import.meta.dirname, "..");
const document = await openApiDocumentForDocs();
const documentPath = join(root, "docs", "openapi.json");
writeFileSync(documentPath, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${documentPath}`);

const typesPath = join(root, "console", "src", "api", "openapi.d.ts");
writeFileSync(typesPath, await consoleApiTypes(document));
console.log(`wrote ${typesPath}`);

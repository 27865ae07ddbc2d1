import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApiDocumentForDocs } from "./local/http-api/openapi-document";

// `npm run openapi`: writes docs/openapi.json from the routes' zod schemas (the test checks it is current).

const target = join(import.meta.dirname, "..", "docs", "openapi.json");
writeFileSync(target, `${JSON.stringify(await openApiDocumentForDocs(), null, 2)}\n`);
console.log(`wrote ${target}`);

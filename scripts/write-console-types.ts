import { writeConsoleApiTypes } from "./docs/console-api-types";

// `npm run types:console` (the first step of `npm run typecheck`): writes the console's API types from the
// committed docs/openapi.json. They are types only, so nothing at run time needs them and they are not committed.

console.log(`wrote ${await writeConsoleApiTypes()}`);

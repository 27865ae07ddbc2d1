import { join } from "node:path";
import { repoRoot } from "../../infra/patron-function";

// The data sets for tests and demos live beside the project (../shared/data, see each folder's SOURCE.md) and are
// read from there, never copied in.

/** The CDNOW master purchase log (23,570 customers, 1997–1998). */
export const CDNOW_MASTER = join(repoRoot, "..", "shared", "data", "cdnow", "lifetimes", "CDNOW_master.txt");

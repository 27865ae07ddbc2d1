import * as z from "zod";
import { parseConfig } from "../shared/config";

// The member-import function's environment, parsed once per cold start (a bad value fails with its name).

export const memberImportConfigSchema = z.object({
  TABLE_NAME: z.string().min(1, { error: "is required: the Patron table name" }),
  AWS_REGION: z.string().min(1).optional(),
  /** DynamoDB Local for tests; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url({ error: "must be a URL, e.g. http://127.0.0.1:8000" }).optional(),
});

export function memberImportConfig(env: Record<string, string | undefined> = process.env) {
  return parseConfig(memberImportConfigSchema, env);
}

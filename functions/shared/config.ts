import * as z from "zod";

// Configuration comes from the environment, parsed once per cold start: a missing or malformed
// variable fails the first invocation with the variable's name instead of a confusing error later.

/** The URL of a local stand-in (DynamoDB Local, the local bus, SES local); unset in AWS. */
export const localEndpoint = (example: string) =>
  z.url({ error: `must be a URL, e.g. ${example}` }).optional();
const optionalUrl = localEndpoint("http://127.0.0.1:8000");

/** The variables of every function that uses the table; spread into its schema. */
export const tableEnv = {
  TABLE_NAME: z.string().min(1, { error: "is required: the Patron table name" }),
  AWS_REGION: z.string().min(1).optional(),
  /** DynamoDB Local for the local stack; unset in AWS. */
  DYNAMODB_ENDPOINT: optionalUrl,
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses `env` (default `process.env`) or throws one error naming every bad variable. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}

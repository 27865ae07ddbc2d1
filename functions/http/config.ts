import * as z from "zod";
import { formatZodIssues, summarizeFieldErrors } from "../../events/validation-errors";

// The HTTP API's configuration, read from the environment once per cold start. A missing or weak
// setting fails the first request loudly instead of signing tokens with a guessable key.

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** HMAC key for ledger cursors, unsubscribe links and voucher codes; at least 32 characters. */
  SIGNING_SECRET: z.string().min(32, { error: "must be at least 32 characters" }),
  /** Only set locally (DynamoDB Local); in AWS the SDK finds the regional endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Largest request body accepted, in bytes (API Gateway itself stops at 10 MB). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
});

export interface HttpApiConfig {
  tableName: string;
  signingSecret: string;
  dynamoEndpoint?: string;
  maxBodyBytes: number;
}

export function parseHttpApiConfig(env: Readonly<Record<string, string | undefined>>): HttpApiConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new Error(`HTTP API configuration: ${summarizeFieldErrors(formatZodIssues(result.error.issues))}`);
  }
  const { TABLE_NAME, SIGNING_SECRET, DYNAMODB_ENDPOINT, MAX_BODY_BYTES } = result.data;
  return {
    tableName: TABLE_NAME,
    signingSecret: SIGNING_SECRET,
    ...(DYNAMODB_ENDPOINT !== undefined && { dynamoEndpoint: DYNAMODB_ENDPOINT }),
    maxBodyBytes: MAX_BODY_BYTES,
  };
}

let cached: HttpApiConfig | undefined;

/** The process's configuration, parsed on first use. */
export function httpApiConfig(): HttpApiConfig {
  cached ??= parseHttpApiConfig(process.env);
  return cached;
}

import * as z from "zod";
import { formatZodIssues, summarizeFieldErrors } from "../../events/validation-errors";
import { secretArnSchema } from "../shared/secrets";

// The HTTP API's configuration, read from the environment once per cold start. A missing setting fails
// loudly; the signing secret itself is fetched by ARN (functions/shared/secrets.ts) and must be at least
// 32 characters (functions/http/signed-token.ts), so tokens are never signed with a guessable key.

/** Largest request body accepted by default, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 65_536;

const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** The Secrets Manager secret holding the HMAC key for ledger cursors, unsubscribe links and vouchers. */
  SIGNING_SECRET_ARN: secretArnSchema,
  /** Only set locally (DynamoDB Local); in AWS the SDK finds the regional endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Largest request body accepted, in bytes (API Gateway itself stops at 10 MB). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(DEFAULT_MAX_BODY_BYTES),
});

export interface HttpApiConfig {
  tableName: string;
  signingSecretArn: string;
  dynamoEndpoint?: string;
  maxBodyBytes: number;
}

export function parseHttpApiConfig(env: Readonly<Record<string, string | undefined>>): HttpApiConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new Error(`HTTP API configuration: ${summarizeFieldErrors(formatZodIssues(result.error.issues))}`);
  }
  const { TABLE_NAME, SIGNING_SECRET_ARN, DYNAMODB_ENDPOINT, MAX_BODY_BYTES } = result.data;
  return {
    tableName: TABLE_NAME,
    signingSecretArn: SIGNING_SECRET_ARN,
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

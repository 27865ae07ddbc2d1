import * as z from "zod";
import { localEndpoint, parseConfig, tableEnv } from "../shared/config";
import { secretArnSchema } from "../shared/secrets";

// The retention job's and the SES feedback handler's settings, from the environment once per cold start.

const optionalUrl = localEndpoint("http://127.0.0.1:8005");

export const retentionConfigEnvSchema = z.object({
  ...tableEnv,
  SENDER_ADDRESS: z.email({ error: "must be the verified sender address" }),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** The Secrets Manager secret holding the HMAC key (the HTTP API's), fetched at cold start. */
  SIGNING_SECRET_ARN: secretArnSchema,
  PUBLIC_API_URL: z.url({
    protocol: /^https$/,
    error: "must be the https base URL of the HTTP API (RFC 8058 one-click links)",
  }),
  EVENT_BUS_NAME: z.string().min(1, { error: "is required: the Patron event bus name" }),
  /** Local stack only; unset in AWS. */
  SES_ENDPOINT: optionalUrl,
  EVENTBRIDGE_ENDPOINT: optionalUrl,
});

export const sesFeedbackConfigEnvSchema = z.object(tableEnv);

export type RetentionEnv = z.output<typeof retentionConfigEnvSchema>;
export type SesFeedbackEnv = z.output<typeof sesFeedbackConfigEnvSchema>;

export function retentionEnv(env: Record<string, string | undefined> = process.env): RetentionEnv {
  return parseConfig(retentionConfigEnvSchema, env);
}

export function sesFeedbackEnv(env: Record<string, string | undefined> = process.env): SesFeedbackEnv {
  return parseConfig(sesFeedbackConfigEnvSchema, env);
}

import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import * as z from "zod";

// Secrets come from Secrets Manager, fetched by the handler at cold start; the environment carries only
// the secret's ARN, since anyone allowed lambda:GetFunctionConfiguration can read an environment.
// The local stack and the tests pass the value itself to the handler factories and never call AWS.

/**
 * How long a warm container reuses a fetched value. A value changed by hand in Secrets Manager reaches
 * every running container within this time, without a deploy.
 */
export const SECRET_MAX_AGE_SECONDS = 900;

export const secretArnSchema = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, {
    error: "must be a Secrets Manager secret ARN",
  });

/** A secret's current value; cached, so asking on every invocation costs a network call once per max age. */
export type SecretSource = () => Promise<string>;

export interface SecretsManagerSecretOptions {
  readonly secretArn: string;
  /** Default: the SDK's (AWS_REGION in Lambda). */
  readonly region?: string;
  readonly maxAgeSeconds?: number;
}

/** The secret's SecretString through Powertools Parameters, cached for `maxAgeSeconds`. */
export function secretsManagerSecret(options: SecretsManagerSecretOptions): SecretSource {
  // A provider of its own: its cache is not shared with, or cleared by, any other code in the process.
  const provider = new SecretsProvider({
    clientConfig: options.region === undefined ? {} : { region: options.region },
  });
  const maxAge = options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS;
  return async () => {
    const value = await provider.get(options.secretArn, { maxAge });
    // The ARN is not secret; the value is never put in a message.
    if (typeof value !== "string") throw new Error(`secret ${options.secretArn}: no SecretString`);
    return value;
  };
}

/**
 * A handler built from a secret's value: built on the first invocation (the cold start) and rebuilt only
 * when the value has changed, so a warm invocation just reads the cache.
 */
export function withSecret<Args extends unknown[], R>(
  source: SecretSource,
  build: (secret: string) => (...args: Args) => Promise<R>,
): (...args: Args) => Promise<R> {
  let current: { secret: string; handler: (...args: Args) => Promise<R> } | undefined;
  return async (...args) => {
    const secret = await source();
    if (current?.secret !== secret) current = { secret, handler: build(secret) };
    return current.handler(...args);
  };
}

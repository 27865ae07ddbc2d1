import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { withoutSdkLogger } from "../../shared/sdk-logger";

export interface DynamoClientOptions {
  /** Set for DynamoDB Local (e.g. "http://127.0.0.1:8000"); omit in AWS. */
  endpoint?: string;
  /** Omit in Lambda to use the SDK's region resolution. */
  region?: string;
  /**
   * Total attempts per request. The SDK's standard retry strategy retries throttling
   * (ProvisionedThroughputExceeded, ThrottlingException) and 5xx with backoff; conditional failures
   * and cancelled transactions are never retried here — the repository decides about those.
   */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;
// DynamoDB Local needs some credentials; Patron starts it with -sharedDb (one database whatever the key and
// region), so these are only placeholders. DynamoDB Local only accepts letters and digits in the access key id.
const LOCAL_REGION = "us-east-1";
const LOCAL_CREDENTIALS = { accessKeyId: "patronlocal", secretAccessKey: "patronlocal" };

/** Creates a DynamoDB client; configuration is passed in (parsed once at cold start), never read here. */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const client =
    options.endpoint === undefined
      ? new DynamoDBClient({ maxAttempts, ...(options.region ? { region: options.region } : {}) })
      : new DynamoDBClient({
          endpoint: options.endpoint,
          region: options.region ?? LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts,
        });
  return withoutSdkLogger(client);
}

/** What each store over the single table is built from. */
export interface TableAccess {
  client: DynamoDBClient;
  tableName: string;
}

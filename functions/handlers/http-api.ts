import { createDynamoClient } from "../adapters/dynamo/client";
import { createDeps, createHttpApiHandler } from "../http/app";
import { httpApiConfig } from "../http/config";
import { secretsManagerSecret, withSecret } from "../shared/secrets";

// Member and marketer HTTP API behind API Gateway v2 (and the local server). Configuration and clients
// are built once per cold start, the routes on the first invocation, once the signing secret is fetched;
// all routing lives in functions/http.

const config = httpApiConfig();
const client = createDynamoClient(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {});
const signingSecret = secretsManagerSecret({ secretArn: config.signingSecretArn });

export const handler = withSecret(signingSecret, (secret) =>
  createHttpApiHandler(createDeps({ tableName: config.tableName, signingSecret: secret }, client), config),
);

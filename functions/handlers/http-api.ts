import { createDynamoClient } from "../adapters/dynamo/client";
import { createDeps, createHttpApiHandler } from "../http/app";
import { httpApiConfig } from "../http/config";

// Member and marketer HTTP API behind API Gateway v2 (and the local server). Configuration and clients
// are built once per cold start; all routing lives in functions/http.

const config = httpApiConfig();
const client = createDynamoClient(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {});

export const handler = createHttpApiHandler(createDeps(config, client), config);

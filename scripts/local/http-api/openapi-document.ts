import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDeps, createRoutes, openApiDocument } from "../../../functions/http/app";
import { LOCAL_SIGNING_SECRET } from "./local-jwt";

/** The document GET /openapi.json serves, built without calling AWS (routes are only listed). */
export async function openApiDocumentForDocs(): Promise<Record<string, unknown>> {
  const config = { tableName: "patron", signingSecret: LOCAL_SIGNING_SECRET };
  const client = new DynamoDBClient({ region: "us-east-1" });
  try {
    return await openApiDocument(await createRoutes(createDeps(config, client)));
  } finally {
    client.destroy();
  }
}

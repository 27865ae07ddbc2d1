import type { DynamoDBRecord } from "aws-lambda";
import { grantKey } from "../adapters/dynamo/keys";

// What starts a bulk grant's run: the table-stream record of its GRANT item written with status `approved` —
// stored so by POST /grants under the approval threshold, or moved there by a second marketer's approval. The
// run's first step moves it on to `running`, so each approval matches once (a redelivered record starts a
// second execution, which finds every member already credited). One pattern, two readers: the deployed Pipe
// from the table stream to the grant state machine (infra/grant-runs.ts) and the local platform
// (scripts/local/grant-starter.ts), which matches it with the local bus's EventBridge pattern matcher.

export const approvedGrantRecordPattern = {
  dynamodb: { NewImage: { SK: { S: [grantKey("any").SK.S] }, status: { S: ["approved"] } } },
};

/** The grant id in such a record, as a JSONPath (the Pipe's input template) and as a read. */
export const GRANT_ID_RECORD_PATH = "$.dynamodb.NewImage.grant.M.grantId.S";

export const grantIdOfRecord = (record: DynamoDBRecord): string | undefined =>
  (record.dynamodb?.NewImage?.grant?.M as Record<string, { S?: string }> | undefined)?.grantId?.S;

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { OptimisticRetryOptions } from "../../../functions/adapters/dynamo/optimistic-retry";
import { createDeps, createHttpApiHandler, createRoutes, publicRouteKeys } from "../../../functions/http/app";
import { DEFAULT_MAX_BODY_BYTES } from "../../../functions/http/config";
import type { HttpApiDeps } from "../../../functions/http/member-access";
import { type LocalHttpApi, type LocalHttpApiOptions, startLocalHttpApi } from "./local-http-api";
import { LOCAL_SIGNING_SECRET } from "./local-jwt";

export interface PatronHttpApiOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  client: DynamoDBClient;
  tableName: string;
  retry?: OptimisticRetryOptions;
  programCacheTtlMs?: number;
  /** The handlers' clock (default: the system clock); tests move it to see scheduled versions take effect. */
  clock?: () => Date;
  intercept?: LocalHttpApiOptions["intercept"];
}

export interface RunningPatronHttpApi extends LocalHttpApi {
  deps: HttpApiDeps;
  /** The table behind the ports, for tests and local tools that seed or inspect it directly. */
  table: { client: DynamoDBClient; tableName: string };
}

/** The real http-api Lambda handler behind the local API Gateway, on DynamoDB Local, with the dev secret. */
export async function startPatronHttpApi(options: PatronHttpApiOptions): Promise<RunningPatronHttpApi> {
  // The dev secret from the local config: no Secrets Manager call, unlike the Lambda handler.
  const config = { tableName: options.tableName, signingSecret: LOCAL_SIGNING_SECRET };
  const deps = createDeps(config, options.client, {
    ...(options.retry && { retry: options.retry }),
    ...(options.programCacheTtlMs !== undefined && { programCacheTtlMs: options.programCacheTtlMs }),
    ...(options.clock && { clock: options.clock }),
  });
  const handler = createHttpApiHandler(deps, {
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    ...(options.clock && { clock: options.clock }),
  });
  const server = await startLocalHttpApi({
    port: options.port,
    ...(options.host && { host: options.host }),
    handler,
    publicRoutes: publicRouteKeys(await createRoutes(deps)),
    ...(options.intercept && { intercept: options.intercept }),
  });
  return { ...server, deps, table: { client: options.client, tableName: options.tableName } };
}

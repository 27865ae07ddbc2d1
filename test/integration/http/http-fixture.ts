import { inject } from "vitest";
import type { MemberState } from "../../../domain";
import { resolveMember } from "../../../domain/member/lifecycle";
import { exampleProgram } from "../../../domain/program/example-program";
import type { Program } from "../../../domain/program/program-schema";
import type { LocalHttpApiOptions } from "../../../scripts/local/http-api/local-http-api";
import { signLocalToken } from "../../../scripts/local/http-api/local-jwt";
import {
  type RunningPatronHttpApi,
  startPatronHttpApi,
} from "../../../scripts/local/http-api/patron-http-api";
import { createTestTable, dynamoClient } from "../support/dynamo";

// One local API (real handler, local API Gateway, DynamoDB Local) on a fresh table per test file,
// with the example program published as version 1.

export interface TestApi {
  url: string;
  api: RunningPatronHttpApi;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Stores new members, as a Member Enrolled event would (adjustments need an existing member). */
  enrol(...memberIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely in tests
  body: any;
}

export const memberToken = (memberId: string) => signLocalToken({ member: memberId });
export const marketerToken = (name: string) => signLocalToken({ marketer: name });

export interface TestApiOptions {
  clock?: () => Date;
  /** Local-only endpoints ahead of the API, as the local platform has (its /health). */
  intercept?: LocalHttpApiOptions["intercept"];
  /** Published as version 1 instead of the example program. */
  program?: Program;
  /** A DynamoDB Local of the file's own (load tests: see dedicatedDynamoLocal) instead of the shared one. */
  endpoint?: string;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  // Request logs are for CloudWatch; tests only want warnings.
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const endpoint = options.endpoint ?? inject("dynamoEndpoint");
  const table = await createTestTable(endpoint);
  const client = dynamoClient(endpoint, 3);
  const api = await startPatronHttpApi({
    port: 0,
    client,
    tableName: table.tableName,
    ...(options.clock && { clock: options.clock }),
    ...(options.intercept && { intercept: options.intercept }),
  });
  await api.deps.programs.publish(options.program ?? exampleProgram, "test-setup");
  return {
    url: api.url,
    api,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (body === undefined && options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async enrol(...memberIds) {
      const now = new Date();
      for (const memberId of memberIds) {
        const state = resolveMember(undefined, memberId, exampleProgram, now);
        await api.deps.members.createMember(memberId, state as MemberState & Record<string, unknown>);
      }
    },
    async stop() {
      await api.close();
      client.destroy();
      await table.drop();
    },
  };
}

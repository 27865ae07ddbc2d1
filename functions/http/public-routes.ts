import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import * as z from "zod";
import {
  healthSchema,
  unsubscribeBodySchema,
  unsubscribeQuerySchema,
  unsubscribeResultSchema,
} from "./api-schemas";
import { ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { type ConsentChannel, withdrawConsent } from "./preferences";
import { defineRoute, type Route } from "./route";
import { verifyUnsubscribeToken } from "./signed-token";

// Routes without a login. API Gateway has no authorizer on them (infra/http-api.ts PUBLIC_ROUTES);
// /unsubscribe is protected by its HMAC-signed token instead.

const CHANNELS: readonly ConsentChannel[] = ["email", "sms", "push"];

export function publicRoutes(deps: HttpApiDeps, openApiDocument: () => Record<string, unknown>): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/health",
      operationId: "getHealth",
      tag: "public",
      summary: "Liveness: the table answers and a program is in effect",
      access: "public",
      response: { status: 200, description: "Health (ok false when a check fails)", schema: healthSchema },
      handle: async ({ now }) => {
        const checks: Record<string, { ok: boolean; detail?: string }> = {};
        try {
          await deps.client.send(
            new GetItemCommand({
              TableName: deps.tableName,
              Key: { PK: { S: "HEALTH" }, SK: { S: "HEALTH" } },
            }),
          );
          checks.table = { ok: true };
        } catch (error) {
          checks.table = { ok: false, detail: (error as Error).name };
        }
        const program = checks.table.ok ? await deps.programs.inEffectAt(now) : undefined;
        checks.program = program
          ? { ok: true, detail: `version ${program.version}` }
          : { ok: false, detail: "none in effect" };
        return { ok: Object.values(checks).every((c) => c.ok), checks };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/openapi.json",
      operationId: "getOpenApi",
      tag: "public",
      summary: "This API's OpenAPI 3.1 document",
      access: "public",
      response: { status: 200, description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()) },
      handle: async () => openApiDocument(),
    }),
    defineRoute({
      method: "POST",
      path: "/unsubscribe",
      operationId: "unsubscribe",
      tag: "public",
      summary: "RFC 8058 one-click unsubscribe from a List-Unsubscribe link",
      description:
        "The link's signed token names the member and channel; consent for that channel is withdrawn.",
      access: "public",
      query: unsubscribeQuerySchema,
      body: unsubscribeBodySchema,
      bodyType: "form",
      response: {
        status: 200,
        description: "Unsubscribed (also when already unsubscribed)",
        schema: unsubscribeResultSchema,
      },
      handle: async ({ query, now }) => {
        const claim = verifyUnsubscribeToken(deps.signer, query.token, now);
        const channel = CHANNELS.find((c) => c === claim?.channel);
        if (!claim || !channel) {
          throw new ValidationError([{ path: "query.token", message: "is not a valid unsubscribe link" }]);
        }
        await withdrawConsent(deps, { memberId: claim.memberId, channel, now });
        return { unsubscribed: true as const, channel };
      },
    }),
  ];
}

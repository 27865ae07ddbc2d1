import * as z from "zod";
import { healthSchema } from "./api-schemas";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, Reply, type Route } from "./route";

// Routes without a login. API Gateway has no authorizer on them (infra/http-api.ts PUBLIC_ROUTES);
// the unsubscribe link's routes (unsubscribe-routes.ts, loaded on demand by app.ts: they render the e-mail
// layout) are protected by its HMAC-signed token instead.

export function publicRoutes(
  deps: HttpApiDeps,
  openApiDocument: () => Promise<Record<string, unknown>>,
): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/health",
      operationId: "getHealth",
      summary: "Liveness: the table answers and a program is in effect",
      access: "public",
      response: {
        status: 200,
        description: "Every check passed",
        schema: healthSchema,
        otherStatuses: { 503: "A check failed (ok false; the failing checks say why)" },
      },
      handle: async ({ now }) => {
        const checks: Record<string, { ok: boolean; detail?: string }> = {};
        try {
          await deps.health.ping();
          checks.table = { ok: true };
        } catch (error) {
          checks.table = { ok: false, detail: (error as Error).name };
        }
        const program = checks.table.ok ? await deps.programs.inEffectAt(now) : undefined;
        checks.program = program
          ? { ok: true, detail: `version ${program.version}` }
          : { ok: false, detail: "none in effect" };
        const ok = Object.values(checks).every((c) => c.ok);
        // A probe (load balancer, uptime check) reads the status, not the body.
        return new Reply({ ok, clock: now.toISOString(), checks }, ok ? 200 : 503);
      },
    }),
    defineRoute({
      method: "GET",
      path: "/openapi.json",
      operationId: "getOpenApi",
      summary: "This API's OpenAPI 3.1 document",
      access: "public",
      response: { status: 200, description: "OpenAPI 3.1", schema: z.record(z.string(), z.unknown()) },
      handle: async () => openApiDocument(),
    }),
  ];
}

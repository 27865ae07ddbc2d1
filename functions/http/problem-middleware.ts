import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as z from "zod";
import type { FieldError } from "../../events/validation-errors";
import { HttpError, toHttpError } from "./http-errors";
import type { HttpEvent } from "./route";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** RFC 9457 problem details, with `errors` naming each invalid field. */
export const problemSchema = z
  .object({
    type: z.string().describe("URI naming the problem type, e.g. urn:patron:problem:validation-error"),
    title: z.string().describe("Short summary of the problem type"),
    status: z.int().describe("The HTTP status code"),
    detail: z.string().describe("What went wrong with this request"),
    instance: z.string().optional().describe("The request id, for support"),
    errors: z
      .array(
        z.object({
          path: z
            .string()
            .describe(
              "Where: a body field such as tiers[1].threshold, or query.<name>, header.<name>, path.<name>",
            ),
          message: z.string().describe("Why it is wrong"),
        }),
      )
      .optional()
      .describe("One entry per invalid field (validation problems only)"),
  })
  .describe("RFC 9457 problem details");

export type Problem = z.infer<typeof problemSchema>;

export function problemResponse(error: HttpError, requestId?: string): APIGatewayProxyStructuredResultV2 {
  const problem: Problem = {
    type: `urn:patron:problem:${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(requestId !== undefined && { instance: `urn:patron:request:${requestId}` }),
    ...(error.errors.length > 0 && { errors: error.errors.map((e: FieldError) => ({ ...e })) }),
  };
  return {
    statusCode: error.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...error.headers },
    body: JSON.stringify(problem),
  };
}

const internalError = (): HttpError =>
  new HttpError(
    500,
    "internal-error",
    "Internal error",
    "Something went wrong on our side; it has been logged.",
  );

/**
 * The ONE place errors become responses: typed errors keep their status and fields, anything else
 * is logged and answered with a bare 500 (no internals leak). Logs carry the route, never bodies or
 * claims, so no PII reaches them.
 */
export function problemMiddleware(
  logger: Logger,
): MiddlewareObj<HttpEvent, APIGatewayProxyStructuredResultV2> {
  return {
    name: "problem-details",
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId;
      const httpError = toHttpError(request.error);
      const where = { method: request.event.requestContext?.http?.method, path: request.event.rawPath };
      if (httpError)
        logger.info("request rejected", { ...where, status: httpError.status, problem: httpError.slug });
      else logger.error("request failed", { ...where, error: request.error as Error });
      request.response = problemResponse(httpError ?? internalError(), requestId);
    },
    after: async (request) => {
      logger.info("request served", {
        method: request.event.requestContext.http.method,
        path: request.event.rawPath,
        status: request.response?.statusCode,
      });
    },
  };
}

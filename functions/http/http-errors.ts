import { DomainError, type DomainErrorCode } from "../../domain/errors";
import type { FieldError } from "../../events/validation-errors";
import { ConcurrencyExhaustedError } from "../adapters/dynamo/optimistic-retry";
import { MemberErased } from "../shared/errors";

// Every failure the API reports is one of these, so the single error middleware can render it as an
// RFC 9457 problem document. `slug` names the problem type (`urn:patron:problem:<slug>`), stable across
// versions so clients can branch on it.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors: readonly FieldError[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** The request does not match the route's schemas; `errors` names each field and why. */
export class ValidationError extends HttpError {
  constructor(errors: readonly FieldError[], detail = "The request has invalid fields; see errors.") {
    super(400, "validation-error", "Invalid request", detail, errors);
  }
}

export class MalformedBodyError extends HttpError {
  constructor(detail: string) {
    super(400, "malformed-body", "Malformed request body", detail);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(detail = "A valid bearer token is required.") {
    super(401, "unauthorized", "Unauthorized", detail, [], { "www-authenticate": "Bearer" });
  }
}

export class ForbiddenError extends HttpError {
  constructor(detail: string) {
    super(403, "forbidden", "Forbidden", detail);
  }
}

export class NotFoundError extends HttpError {
  constructor(detail: string) {
    super(404, "not-found", "Not found", detail);
  }
}

/** The value a lookup found, or a 404 with `detail` (what was looked for) when it found nothing. */
export function orNotFound<T>(value: T | null | undefined, detail: string): T {
  if (value === null || value === undefined) throw new NotFoundError(detail);
  return value;
}

export class MethodNotAllowedError extends HttpError {
  constructor(path: string, allowed: readonly string[]) {
    super(405, "method-not-allowed", "Method not allowed", `${path} accepts ${allowed.join(", ")}`, [], {
      allow: allowed.join(", "),
    });
  }
}

export class ConflictError extends HttpError {
  constructor(detail: string, slug = "conflict") {
    super(409, slug, "Conflict", detail);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(
      413,
      "payload-too-large",
      "Payload too large",
      `The request body must be at most ${limitBytes} bytes.`,
    );
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(expected: string) {
    super(415, "unsupported-media-type", "Unsupported media type", `Send the body as ${expected}.`);
  }
}

/** The request is well-formed but breaks a business rule (e.g. a reward that is switched off). */
export class UnprocessableError extends HttpError {
  constructor(detail: string, slug = "unprocessable", errors: readonly FieldError[] = []) {
    super(422, slug, "Unprocessable request", detail, errors);
  }
}

export class ServiceBusyError extends HttpError {
  constructor(detail: string) {
    super(503, "busy", "Service busy", detail, [], { "retry-after": "1" });
  }
}

const DOMAIN_STATUS: Record<DomainErrorCode, { status: number; title: string }> = {
  // The member's current balance or history conflicts with the request; it may succeed later.
  INSUFFICIENT_POINTS: { status: 409, title: "Not enough points" },
  REWARD_LIMIT_REACHED: { status: 409, title: "Reward limit reached" },
  REWARD_UNAVAILABLE: { status: 422, title: "Reward unavailable" },
  UNKNOWN_MEMBER: { status: 404, title: "Unknown member" },
  INVALID_FACTS: { status: 422, title: "Invalid request" },
};

/** Any thrown value as an HttpError; undefined for unexpected errors (rendered as a bare 500). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) {
    const { status, title } = DOMAIN_STATUS[error.code];
    return new HttpError(status, error.code.toLowerCase().replaceAll("_", "-"), title, error.message);
  }
  if (error instanceof MemberErased)
    return new HttpError(
      410,
      "member-erased",
      "Member erased",
      "This member was erased; Patron keeps no profile for them.",
    );
  if (error instanceof ConcurrencyExhaustedError) {
    return new ServiceBusyError(
      "The member is being changed by other requests; retry with the same request.",
    );
  }
  return undefined;
}

import fc from "fast-check";
import { arbitraryOf } from "../../support/json-schema/arbitrary";
import { type JsonSchema, type RefResolver, schemaErrors } from "../../support/json-schema/check";
import { invalidVariants } from "../../support/json-schema/invalid";
import type { Operation, Parameter } from "./conformance-document";

// The requests the conformance test sends to one operation: valid ones generated from its schemas (and the
// scenario values it is given, so some reach the success path), then invalid ones: a field or parameter
// the document rejects, no / bad / expired token, the wrong group, malformed JSON, a wrong media type, a
// body over the function's limit and one over API Gateway's.

/** What the answer must be: accepted (not refused as invalid), or exactly this status. */
export type Expectation = { kind: "accepted" } | { kind: "status"; status: number };

export interface Probe {
  label: string;
  expect: Expectation;
  method: string;
  /** Path with its parameters filled in, and the query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProbeContext {
  resolve: RefResolver;
  tokens: { member: string; marketer: string; expired: string; tampered: string };
  /** A caller of its own for an operation, by operationId (e.g. a signed-in user not linked to a member yet). */
  operationTokens?: Readonly<Record<string, string>>;
  /** Values to use in the first valid request, by "<path> <parameter name>" (e.g. an enrolled member's id). */
  params: Readonly<Record<string, string>>;
  /** Further valid bodies, by operationId, that must reach the success path (e.g. the example program). */
  bodies: Readonly<Record<string, readonly unknown[]>>;
  seed: number;
  validRequests: number;
}

export const FUNCTION_BODY_LIMIT = 65_536;
export const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

interface Request {
  params: Record<string, unknown>;
  body?: unknown;
}

const PARAM_TYPES = new Set(["integer", "number"]);

/** The value the server sees for a parameter sent as `text`: numbers are read as numbers. */
function parameterValue(text: string, schema: JsonSchema, resolve: RefResolver): unknown {
  const s = typeof schema === "object" && typeof schema.$ref === "string" ? resolve(schema.$ref) : schema;
  if (typeof s === "object" && PARAM_TYPES.has(s.type as string) && /^-?\d+(\.\d+)?$/.test(text))
    return Number(text);
  return text;
}

/** The body as the server receives it after encoding (a form turns every value into text). */
function encode(operation: Operation, body: unknown): { text: string; received: unknown } {
  if (operation.body?.mediaType !== "application/x-www-form-urlencoded") {
    const text = JSON.stringify(body);
    return { text, received: JSON.parse(text) };
  }
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>))
    if (value !== undefined) form.set(name, String(value));
  return { text: form.toString(), received: Object.fromEntries(form) };
}

function toProbe(
  operation: Operation,
  request: Request,
  label: string,
  expect: Expectation,
  token?: string,
): Probe {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of operation.parameters) {
    const value = request.params[`${p.in}:${p.name}`];
    if (value === undefined) continue;
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === "query") query.set(p.name, String(value));
    else headers[p.name] = String(value);
  }
  if (token) headers.authorization = `Bearer ${token}`;
  const probe: Probe = {
    label,
    expect,
    method: operation.method,
    url: `${path}${query.size > 0 ? `?${query}` : ""}`,
    headers,
  };
  if (operation.body && request.body !== undefined) {
    probe.body = encode(operation, request.body).text;
    headers["content-type"] = operation.body.mediaType;
  }
  return probe;
}

/** Required parameters only, with the scenario's values where given: the plainest request. */
function plain(operation: Operation, params: Record<string, unknown>, context: ProbeContext) {
  const out: Record<string, unknown> = {};
  for (const p of operation.parameters) {
    const key = `${p.in}:${p.name}`;
    const hint = context.params[`${operation.path} ${p.name}`];
    if (hint !== undefined) out[key] = hint;
    else if (p.required) out[key] = params[key];
  }
  return out;
}

function validRequests(operation: Operation, context: ProbeContext): Request[] {
  const options = { resolve: context.resolve };
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of operation.parameters) params[`${p.in}:${p.name}`] = arbitraryOf(p.schema, options);
  const required = operation.parameters.filter((p) => p.required).map((p) => `${p.in}:${p.name}`);
  const arbitrary = fc.record({
    params: fc.record(params, { requiredKeys: required }),
    ...(operation.body && { body: arbitraryOf(operation.body.schema, options) }),
  }) as fc.Arbitrary<Request>;
  const bodies = context.bodies[operation.operationId] ?? [];
  const samples = fc.sample(arbitrary, {
    numRuns: context.validRequests + bodies.length,
    seed: context.seed,
  });
  const requests = samples.slice(0, context.validRequests);
  const [first] = requests;
  if (first) first.params = plain(operation, first.params, context);
  // The scenario's bodies, each with parameters of its own (a retry key is not reused with another body).
  for (const [i, body] of bodies.entries()) {
    const sample = samples[context.validRequests + i];
    if (sample) requests.push({ params: plain(operation, sample.params, context), body });
  }
  return requests;
}

function invalidParameterTexts(p: Parameter, resolve: RefResolver): { what: string; text?: string }[] {
  const s = (
    typeof p.schema === "object" && typeof p.schema.$ref === "string" ? resolve(p.schema.$ref) : p.schema
  ) as Record<string, unknown>;
  const texts = ["not valid!", "abc", "1.5", "x".repeat(((s.maxLength as number | undefined) ?? 0) + 1)];
  for (const bound of [s.minimum, s.maximum])
    if (typeof bound === "number") texts.push(String(bound - 1), String(bound + 1));
  const out: { what: string; text?: string }[] = texts
    .filter((text) => schemaErrors(p.schema, parameterValue(text, p.schema, resolve), resolve).length > 0)
    .map((text) => ({ what: `${p.in} ${p.name} invalid`, text }));
  if (p.required && p.in !== "path") out.push({ what: `${p.in} ${p.name} missing` });
  return out;
}

function invalidRequests(
  operation: Operation,
  base: Request,
  context: ProbeContext,
): { what: string; request: Request }[] {
  const out: { what: string; request: Request }[] = [];
  for (const p of operation.parameters) {
    for (const { what, text } of invalidParameterTexts(p, context.resolve)) {
      const params = { ...base.params, [`${p.in}:${p.name}`]: text };
      out.push({ what, request: { ...base, params } });
    }
  }
  if (operation.body && base.body !== undefined) {
    const variants = invalidVariants(operation.body.schema, base.body, context.resolve).filter((v) => {
      // Only what is still invalid once encoded (a form sends every value as text).
      const { received } = encode(operation, v.value);
      return schemaErrors(operation.body?.schema ?? true, received, context.resolve).length > 0;
    });
    // Every kind of change once, then spread over the fields.
    const step = Math.max(1, Math.floor(variants.length / 12));
    for (const [i, v] of variants.entries())
      if (i % step === 0) out.push({ what: `body ${v.at}: ${v.what}`, request: { ...base, body: v.value } });
  }
  return out;
}

/** Member and identity routes (linking, enrolling) take a member's token; marketer and service routes a marketer's. */
const takesMemberToken = (operation: Operation) =>
  operation.access === "member" || operation.access === "identity";

function tokenFor(operation: Operation, context: ProbeContext): string | undefined {
  if (operation.access === "public") return undefined;
  const own = context.operationTokens?.[operation.operationId];
  if (own !== undefined) return own;
  return takesMemberToken(operation) ? context.tokens.member : context.tokens.marketer;
}

function transportProbes(operation: Operation, base: Probe, context: ProbeContext): Probe[] {
  const probes: Probe[] = [];
  const status = (code: number): Expectation => ({ kind: "status", status: code });
  if (operation.access !== "public") {
    const { authorization: _, ...anonymous } = base.headers;
    const withAuth = (value: string) => ({ ...anonymous, authorization: value });
    const other = takesMemberToken(operation) ? context.tokens.marketer : context.tokens.member;
    probes.push(
      { ...base, label: "no token", expect: status(401), headers: anonymous },
      { ...base, label: "not a JWT", expect: status(401), headers: withAuth("Bearer not-a-jwt") },
      {
        ...base,
        label: "tampered token",
        expect: status(401),
        headers: withAuth(`Bearer ${context.tokens.tampered}`),
      },
      {
        ...base,
        label: "expired token",
        expect: status(401),
        headers: withAuth(`Bearer ${context.tokens.expired}`),
      },
      { ...base, label: "wrong group", expect: status(403), headers: withAuth(`Bearer ${other}`) },
    );
  }
  if (operation.body) {
    const type = operation.body.mediaType;
    const pad = (size: number) =>
      type.includes("json") ? JSON.stringify({ pad: "x".repeat(size) }) : `pad=${"x".repeat(size)}`;
    if (type.includes("json"))
      probes.push({ ...base, label: "malformed JSON", expect: status(400), body: "{ nope" });
    probes.push(
      {
        ...base,
        label: "wrong media type",
        expect: status(415),
        headers: { ...base.headers, "content-type": "text/plain" },
      },
      {
        ...base,
        label: "body over the function's limit",
        expect: status(413),
        body: pad(bodyLimit(operation)),
      },
    );
  }
  const huge = "x".repeat(GATEWAY_BODY_LIMIT + 1);
  probes.push({ ...base, label: "body over API Gateway's limit", expect: status(413), body: huge });
  return probes;
}

/** The bytes the function reads of `operation`'s body; past them it answers 413, whatever the body holds. */
const bodyLimit = (operation: Operation) => Math.max(FUNCTION_BODY_LIMIT, operation.maxBodyBytes ?? 0);

/**
 * What an invalid request must get: 400, unless its body is over the limit (a list one past its
 * maxItems can be megabytes), which the document answers with 413 before any field is read.
 */
function invalidAnswer(operation: Operation, request: Request): Expectation {
  const bytes =
    request.body === undefined ? 0 : Buffer.byteLength(encode(operation, request.body).text, "utf8");
  return { kind: "status", status: bytes > bodyLimit(operation) ? 413 : 400 };
}

/** Every probe of `operation`: valid requests first, then the invalid ones. */
export function probesFor(operation: Operation, context: ProbeContext): Probe[] {
  const token = tokenFor(operation, context);
  const valid = validRequests(operation, context);
  const [base] = valid;
  if (!base) return [];
  const probes = valid.map((request, i) =>
    toProbe(operation, request, `valid #${i + 1}`, { kind: "accepted" }, token),
  );
  for (const { what, request } of invalidRequests(operation, base, context))
    probes.push(toProbe(operation, request, what, invalidAnswer(operation, request), token));
  const [first] = probes;
  if (first) probes.push(...transportProbes(operation, first, context));
  return probes;
}

import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type * as z from "zod";
import type { Access, MemberPrincipal, Principal } from "./principal";

// A route declares its zod schemas once; the router validates requests with them and the OpenAPI
// document is generated from the very same objects, so the two cannot drift apart.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<A extends Access, P, Q, H, B> {
  /** The route serving the request (for the audit trail). */
  route: Pick<RouteDescription, "method" | "path">;
  params: P;
  query: Q;
  headers: H;
  body: B;
  /** The verified caller; always present on non-public routes, and linked to a member on member routes. */
  principal: A extends "public" ? Principal | undefined : A extends "member" ? MemberPrincipal : Principal;
  requestId: string;
  /** Where the request came from, as API Gateway saw it (for the audit trail). */
  caller: { sourceIp: string; userAgent: string };
  now: Date;
}

/**
 * A page for a person's browser instead of JSON (e.g. the unsubscribe link followed from an e-mail). It is
 * served with `styles`, its inline style sheets, as the only thing its Content-Security-Policy allows.
 */
export class HtmlPage {
  constructor(
    readonly html: string,
    readonly options: { status?: number; styles?: readonly string[] } = {},
  ) {}
}

/** A response other than the route's default status, or with extra headers. */
export class Reply<T> {
  constructor(
    readonly body: T,
    readonly status?: number,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/** What a route is, for the router and the documentation, whatever its schemas. */
interface RouteDescription {
  method: HttpMethod;
  /** Path template with `{name}` segments, e.g. "/members/{id}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /**
   * Checks of the request no JSON Schema states (cross-field rules such as "from before to"), in words: they
   * join the description and `x-patron-rules`, so a client (and the conformance test) knows a request valid by
   * the schemas may still be answered 400 naming the fields. Every other constraint belongs in the schemas.
   */
  rules?: string;
  /** A larger body limit than the API's (an uploaded list); stays under Lambda's 6 MB request payload. */
  maxBodyBytes?: number;
}

export interface RouteSpec<
  A extends Access,
  P extends Schema | undefined,
  Q extends Schema | undefined,
  H extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema,
> extends RouteDescription {
  access: A;
  /** The documentation's group; the access group unless stated (e.g. the offer checks tills call). */
  tag?: string;
  params?: P;
  query?: Q;
  /** Request headers the route reads, with lower-case names. */
  headers?: H;
  body?: B;
  /** How the body is encoded; JSON unless stated (RFC 8058 one-click posts a form). */
  bodyType?: "json" | "form";
  /**
   * The answer; `text/html` when the route always answers an HtmlPage (its schema is then a string).
   * `otherStatuses`: further statuses (answered with a Reply) whose body has the same schema, for the documentation.
   */
  response: {
    status: number;
    description: string;
    schema: R;
    mediaType?: ResponseMediaType;
    otherStatuses?: Readonly<Record<number, string>>;
  };
  /** Problem statuses this route can answer besides 400/401/403/413/415/500, for the documentation. */
  problems?: readonly number[];
  /** Statuses at which the route (also) answers an HtmlPage, with their descriptions, for the documentation. */
  pages?: Readonly<Record<number, string>>;
  handle(
    input: RouteInput<A, Out<P>, Out<Q>, Out<H>, Out<B>>,
  ): Promise<z.input<R> | Reply<z.input<R>> | HtmlPage>;
}

export type ResponseMediaType = "application/json" | "text/html";

/** A route with its types erased, as the router and the OpenAPI generator see it. */
export interface Route extends RouteDescription {
  access: Access;
  tag: string;
  params?: Schema;
  query?: Schema;
  headers?: Schema;
  body?: Schema;
  bodyType: "json" | "form";
  response: {
    status: number;
    description: string;
    schema: Schema;
    mediaType: ResponseMediaType;
    otherStatuses: Readonly<Record<number, string>>;
  };
  problems: readonly number[];
  pages: Readonly<Record<number, string>>;
  handle(input: RouteInput<Access, unknown, unknown, unknown, unknown>): Promise<unknown>;
}

export function defineRoute<
  A extends Access,
  R extends Schema,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  H extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<A, P, Q, H, B, R>): Route {
  return {
    ...spec,
    tag: spec.tag ?? spec.access,
    bodyType: spec.bodyType ?? "json",
    response: {
      ...spec.response,
      mediaType: spec.response.mediaType ?? "application/json",
      otherStatuses: spec.response.otherStatuses ?? {},
    },
    problems: spec.problems ?? [],
    pages: spec.pages ?? {},
    handle: spec.handle as Route["handle"],
  };
}

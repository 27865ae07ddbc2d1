import { PARTNER_SOURCE_PREFIX } from "../domain/program/partner-schema";
import { inboundEvents } from "../events/catalog";
import { PRODUCER_SOURCE_PREFIX } from "../events/sources";

/** Where Patron sends e-mail from: the SES identity to verify and the From address. */
export interface Sender {
  /** An e-mail address or a domain: what SES verifies. */
  readonly identity: string;
  readonly kind: "email" | "domain";
  /** The From address; for a domain identity, `loyalty@<domain>`. */
  readonly address: string;
}

/** A POS, web shop or app allowed to put events on the bus, limited to its own sources and event types. */
export interface ProducerInput {
  /** Short slug, used in the role's id and name. */
  readonly name: string;
  /** `events:source` values it may use, e.g. `retail.pos.*` (StringLike wildcards allowed). */
  readonly sources: readonly string[];
  /** Inbound detail types it may put; default DEFAULT_PRODUCER_DETAIL_TYPES (no profile or enrolment events). */
  readonly detailTypes?: readonly string[];
  /** Other accounts that may assume the role (a cross-account producer is trusted by account). */
  readonly accountIds?: readonly string[];
  /** IAM role or user ARNs that may assume the role. */
  readonly principalArns?: readonly string[];
  /** May refund orders of other producers' sources (e.g. stores taking back web orders); default false. */
  readonly refundAuthority?: boolean;
  /**
   * A coalition partner's producer (the program's `partners[].id`): its sources default to
   * `retail.partner.<id>.*` and may not leave that prefix, so one partner can never earn as another.
   */
  readonly partner?: string;
}

/** A producer with its defaults filled in. */
export interface Producer extends ProducerInput {
  readonly detailTypes: readonly string[];
  readonly refundAuthority: boolean;
}

/** What a producer may send unless granted more: purchases, refunds and interactions. */
export const DEFAULT_PRODUCER_DETAIL_TYPES: readonly string[] = [
  inboundEvents.purchaseCompleted.detailType,
  inboundEvents.purchaseRefunded.detailType,
  inboundEvents.interactionRecorded.detailType,
];

/**
 * For a producer that names no principals: the IAM path under which the deploying account's roles may assume
 * its role, `/patron-producer/<name>/` (a role's path is set when it is created and cannot be changed).
 */
export const producerRolePath = (name: string): string => `/patron-producer/${name}/`;

/** Where the Hosted UI may send a member back after sign-in and sign-out (authorization code + PKCE). */
export interface SignInUrls {
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
}

/** Outside `prod`, a web app on localhost; `prod` must name its own. */
export const DEVELOPMENT_SIGN_IN_URLS: SignInUrls = {
  callbackUrls: ["http://localhost:3000/auth/callback"],
  logoutUrls: ["http://localhost:3000/"],
};

/**
 * `callbackUrls` / `logoutUrls` from context: an array or a comma-separated string. Cognito accepts
 * https, or http on localhost only.
 */
export function parseUrlList(value: unknown, path: string): string[] {
  const raw = typeof value === "string" ? value.split(",").map((url) => url.trim()) : value;
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${path}: expected one or more URLs`);
  return raw.map((url) => {
    const parsed = typeof url === "string" && URL.canParse(url) ? new URL(url) : undefined;
    const local = parsed?.protocol === "http:" && parsed.hostname === "localhost";
    if (!parsed || (parsed.protocol !== "https:" && !local)) {
      throw new Error(`${path}: "${String(url)}" must be an https URL (http only on localhost)`);
    }
    return url as string;
  });
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/i;
const ACCOUNT_ID = /^\d{12}$/;
const PRODUCER_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const INBOUND_DETAIL_TYPES: readonly string[] = Object.values(inboundEvents).map((event) => event.detailType);

/** A yes/no context value: true or false (as given with -c, a string). */
export function parseFlag(value: unknown, path: string): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new Error(`${path} must be true or false, got ${JSON.stringify(value)}`);
}

export function parseEnvName(value: unknown): string {
  if (typeof value !== "string" || !ENV_NAME.test(value)) {
    throw new Error(
      `env: expected a short lowercase name like "dev" or "prod" (letters, digits, "-", at most 16), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Production keeps its data when the stack or a resource is deleted. */
export function isProduction(envName: string): boolean {
  return envName === "prod";
}

export function parseSender(value: unknown): Sender {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    throw new Error(
      "sender is required: pass -c sender=<e-mail address or domain>, the SES identity Patron sends from " +
        "(e.g. -c sender=loyalty@shop.example or -c sender=shop.example)",
    );
  }
  if (typeof value !== "string") {
    throw new Error(`sender: expected an e-mail address or domain, got ${JSON.stringify(value)}`);
  }
  const sender = value.trim();
  const at = sender.lastIndexOf("@");
  if (at === -1) {
    if (!DOMAIN.test(sender)) {
      throw new Error(`sender: "${sender}" is neither an e-mail address nor a domain name`);
    }
    return { identity: sender.toLowerCase(), kind: "domain", address: `loyalty@${sender.toLowerCase()}` };
  }
  const local = sender.slice(0, at);
  const domain = sender.slice(at + 1);
  if (!EMAIL_LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    throw new Error(`sender: "${sender}" is not a valid e-mail address`);
  }
  return { identity: sender, kind: "email", address: sender };
}

/** Producers from context: an array, or the same as a JSON string (what `-c producers=...` gives). */
export function parseProducers(value: unknown): Producer[] {
  const raw = typeof value === "string" ? parseJson(value, "producers") : value;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new Error('producers: expected a non-empty array like [{"name":"pos","sources":["retail.pos.*"]}]');
  }
  const producers = raw.map((entry, index) => parseProducer(entry, `producers[${index}]`));
  const names = producers.map((producer) => producer.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`producers: name "${duplicate}" is used twice`);
  return producers;
}

function parseProducer(entry: unknown, path: string): Producer {
  if (typeof entry !== "object" || entry === null) throw new Error(`${path}: expected an object`);
  const { name, accountIds, detailTypes, principalArns, refundAuthority, partner } = entry as Record<
    string,
    unknown
  >;
  if (partner !== undefined && (typeof partner !== "string" || !PRODUCER_NAME.test(partner)))
    throw new Error(
      `${path}.partner: expected a partner id like "cafe-lumen", got ${JSON.stringify(partner)}`,
    );
  const sources =
    (entry as { sources?: unknown }).sources ??
    (typeof partner === "string" ? [`${PARTNER_SOURCE_PREFIX}${partner}.*`] : undefined);
  if (typeof name !== "string" || !PRODUCER_NAME.test(name)) {
    throw new Error(`${path}.name: expected a lowercase slug like "pos", got ${JSON.stringify(name)}`);
  }
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new Error(`${path}.sources: expected a non-empty array of sources like "retail.pos.*"`);
  }
  for (const source of sources) {
    // A producer pinned to "retail.<x>..." can never claim Patron's own "patron" source or "aws.*".
    if (
      typeof source !== "string" ||
      !source.startsWith(PRODUCER_SOURCE_PREFIX) ||
      source === `${PRODUCER_SOURCE_PREFIX}*`
    ) {
      throw new Error(
        `${path}.sources: "${String(source)}" must start with "${PRODUCER_SOURCE_PREFIX}<channel>" (a producer may not claim every source)`,
      );
    }
    checkPartnerSource(source, typeof partner === "string" ? partner : undefined, `${path}.sources`);
  }
  if (refundAuthority !== undefined && typeof refundAuthority !== "boolean") {
    throw new Error(`${path}.refundAuthority: expected true or false`);
  }
  const accounts = optionalList(accountIds, `${path}.accountIds`, ACCOUNT_ID, "12-digit AWS account ids");
  const arns = optionalList(principalArns, `${path}.principalArns`, PRINCIPAL_ARN, "IAM role or user ARNs");
  return {
    name,
    sources,
    detailTypes: parseDetailTypes(detailTypes, `${path}.detailTypes`),
    ...(accounts && { accountIds: accounts }),
    ...(arns && { principalArns: arns }),
    refundAuthority: refundAuthority ?? false,
    ...(typeof partner === "string" && { partner }),
  };
}

/**
 * Partner sources are each partner's own: a partner's producer stays within `retail.partner.<id>.`, and no
 * other producer's pattern may reach into `retail.partner.` (StringLike's `*` and `?` match any characters).
 */
function checkPartnerSource(source: string, partner: string | undefined, path: string): void {
  if (partner !== undefined) {
    const own = `${PARTNER_SOURCE_PREFIX}${partner}.`;
    const literal = source.split(/[*?]/)[0] ?? "";
    if (!literal.startsWith(own))
      throw new Error(
        `${path}: "${source}" must start with "${own}" (partner "${partner}" publishes only as itself)`,
      );
    return;
  }
  const literal = source.split(/[*?]/)[0] ?? "";
  const wildcard = literal.length < source.length;
  if (literal.startsWith(PARTNER_SOURCE_PREFIX) || (wildcard && PARTNER_SOURCE_PREFIX.startsWith(literal)))
    throw new Error(
      `${path}: "${source}" reaches partners' sources (${PARTNER_SOURCE_PREFIX}*): give a partner's producer "partner": "<id>"`,
    );
}

function parseDetailTypes(value: unknown, path: string): readonly string[] {
  if (value === undefined) return DEFAULT_PRODUCER_DETAIL_TYPES;
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${path}: expected a non-empty array of inbound detail types`);
  }
  for (const type of value) {
    if (typeof type !== "string" || !INBOUND_DETAIL_TYPES.includes(type)) {
      throw new Error(
        `${path}: "${String(type)}" is not an inbound detail type (${INBOUND_DETAIL_TYPES.join(", ")})`,
      );
    }
  }
  return value as string[];
}

function optionalList(
  value: unknown,
  path: string,
  pattern: RegExp,
  expected: string,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== "string" || !pattern.test(v))
  ) {
    throw new Error(`${path}: expected ${expected}`);
  }
  return value as string[];
}

function parseJson(value: string, path: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${path}: not valid JSON: ${value}`);
  }
}

/**
 * Default producers: a POS and a web shop, each assumable by the deploying account's roles under the path
 * `/patron-producer/<name>/`, sending purchases, refunds and interactions of their own orders only.
 */
export const defaultProducers: readonly Producer[] = parseProducers([
  { name: "pos", sources: [`${PRODUCER_SOURCE_PREFIX}pos.*`] },
  { name: "web", sources: [`${PRODUCER_SOURCE_PREFIX}web.*`, `${PRODUCER_SOURCE_PREFIX}app.*`] },
]);

/** Source patterns of the refund authorities, for the refund consumer's REFUND_AUTHORITY_SOURCES. */
export function refundAuthoritySources(producers: readonly Producer[]): string[] {
  return producers
    .filter((producer) => producer.refundAuthority)
    .flatMap((producer) => [...producer.sources]);
}

/**
 * Each producer's source patterns, for the refund consumer's PRODUCER_SOURCES: a producer may refund the orders
 * of any of its own sources (one store another's), never another producer's unless it is a refund authority.
 */
export function producerSourcePatterns(producers: readonly Producer[]): string[][] {
  return producers.map((producer) => [...producer.sources]);
}

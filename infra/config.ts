import { PRODUCER_SOURCE_PREFIX } from "../events/sources";

/** Where Patron sends e-mail from: the SES identity to verify and the From address. */
export interface Sender {
  /** An e-mail address or a domain: what SES verifies. */
  readonly identity: string;
  readonly kind: "email" | "domain";
  /** The From address; for a domain identity, `loyalty@<domain>`. */
  readonly address: string;
}

/** A POS, web shop or app allowed to put events on the bus, limited to its own sources. */
export interface Producer {
  /** Short slug, used in the role's id and name. */
  readonly name: string;
  /** `events:source` values it may use, e.g. `retail.pos.*` (StringLike wildcards allowed). */
  readonly sources: readonly string[];
  /** Accounts whose principals may assume the role; default: the deploying account. */
  readonly accountIds?: readonly string[];
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/i;
const ACCOUNT_ID = /^\d{12}$/;
const PRODUCER_NAME = /^[a-z][a-z0-9-]{0,30}$/;

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
  const { name, sources, accountIds } = entry as Record<string, unknown>;
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
  }
  if (accountIds !== undefined) {
    if (
      !Array.isArray(accountIds) ||
      accountIds.some((id) => typeof id !== "string" || !ACCOUNT_ID.test(id))
    ) {
      throw new Error(`${path}.accountIds: expected 12-digit AWS account ids`);
    }
    return { name, sources, accountIds };
  }
  return { name, sources };
}

function parseJson(value: string, path: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${path}: not valid JSON: ${value}`);
  }
}

/** Default producers: a POS and a web shop, both assumable from the deploying account. */
export const defaultProducers: readonly Producer[] = [
  { name: "pos", sources: [`${PRODUCER_SOURCE_PREFIX}pos.*`] },
  { name: "web", sources: [`${PRODUCER_SOURCE_PREFIX}web.*`, `${PRODUCER_SOURCE_PREFIX}app.*`] },
];

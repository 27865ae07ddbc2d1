// How the Preview and Versions pages write figures, values and program field paths for people.

const counts = new Intl.NumberFormat("en-GB");
const changes = new Intl.NumberFormat("en-GB", { signDisplay: "exceptZero" });

export const formatCount = (n: number) => counts.format(n);
export const formatChange = (n: number) => changes.format(n);

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
}

/** A program field's value as text: absent values as a dash, strings as they are, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const SINGULAR: Record<string, string> = { categories: "category", catalogue: "offer", steps: "step" };

function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function itemName(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const name = record.name ?? record.id ?? record.ruleId ?? record.rewardId;
  return typeof name === "string" ? name : undefined;
}

function child(node: unknown, key: string | number): unknown {
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
}

/**
 * "tiers[1].threshold" → "Tier 2 (Gold) · threshold": array items by position from 1 and, when the item has
 * one, its name or id (looked up in the first of `programs` that has the item), camelCase keys as words.
 */
export function humanisePath(path: string, programs: readonly unknown[]): string {
  const parts: string[] = [];
  let nodes = [...programs];
  for (const segment of path.split(".")) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match) return path;
    const [, key = "", indexes = ""] = match;
    if (key) nodes = nodes.map((node) => child(node, key));
    const positions = [...indexes.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (positions.length === 0) parts.push(words(key));
    for (const position of positions) {
      nodes = nodes.map((node) => (Array.isArray(node) ? node[position] : undefined));
      const noun = SINGULAR[key] ?? key.replace(/s$/, "");
      const name = nodes.map(itemName).find((n) => n !== undefined);
      parts.push(`${capitalise(words(noun))} ${position + 1}${name ? ` (${name})` : ""}`);
    }
  }
  return capitalise(parts.join(" · "));
}

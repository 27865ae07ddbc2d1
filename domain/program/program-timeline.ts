// Which program version is in effect when. The rule: at time t, the highest version number whose
// effectiveFrom is not after t. So a later publish always wins from its effectiveFrom on, the version in
// effect never goes back to a lower number as time advances, and a scheduled version that a later one
// starts at or before never takes effect (it is superseded). Every reader uses these functions.

/** What the rule needs of a version (a Program, or a stored version record). */
export interface VersionTiming {
  version: number;
  effectiveFrom: string;
}

export type VersionStatus =
  /** A later version starts at or before it: it never takes effect. */
  | "superseded"
  /** Will take effect at its effectiveFrom. */
  | "scheduled"
  | "in-effect"
  /** Was in effect; a later version has taken over. */
  | "retired";

const startOf = (v: VersionTiming): number => Date.parse(v.effectiveFrom);
const instant = (at: Date | string): number => (typeof at === "string" ? Date.parse(at) : at.getTime());

/** The version in effect at `at`: the highest version whose effectiveFrom is not after it; undefined before the first. */
export function programInEffect<V extends VersionTiming>(
  versions: readonly V[],
  at: Date | string,
): V | undefined {
  const t = instant(at);
  let best: V | undefined;
  for (const candidate of versions) {
    if (startOf(candidate) <= t && (!best || candidate.version > best.version)) best = candidate;
  }
  return best;
}

/** The first later version that starts at or before `version` and so keeps it from ever taking effect. */
export function supersededBy<V extends VersionTiming>(
  versions: readonly V[],
  version: VersionTiming,
): V | undefined {
  let first: V | undefined;
  for (const later of versions) {
    if (later.version <= version.version || startOf(later) > startOf(version)) continue;
    if (!first || later.version < first.version) first = later;
  }
  return first;
}

export function versionStatus(
  versions: readonly VersionTiming[],
  version: VersionTiming,
  now: Date | string,
): VersionStatus {
  if (supersededBy(versions, version)) return "superseded";
  if (startOf(version) > instant(now)) return "scheduled";
  return programInEffect(versions, now)?.version === version.version ? "in-effect" : "retired";
}

/**
 * The versions in effect from `from` on, in the order they take effect: the one in effect at `from` (if
 * any), then every scheduled version after it that is not superseded.
 */
export function upcomingVersions<V extends VersionTiming>(versions: readonly V[], from: Date | string): V[] {
  const t = instant(from);
  const current = programInEffect(versions, from);
  const later = versions.filter((v) => startOf(v) > t && !supersededBy(versions, v));
  return [...(current ? [current] : []), ...later].sort((a, b) => a.version - b.version);
}

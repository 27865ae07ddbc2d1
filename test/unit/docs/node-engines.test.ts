import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// semver ships no types and the project has no @types/semver: the two calls used here, typed by hand.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
};

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const readJson = (relative: string): unknown => JSON.parse(readFileSync(join(repoRoot, relative), "utf8"));

const ours = (readJson("package.json") as { engines: { node: string } }).engines.node;
const lock = readJson("package-lock.json") as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
/** Every `engines.node` range in the lock file: the ranges `npm install` checks (EBADENGINE). */
const lockRanges = [
  ...new Set(
    Object.entries(lock.packages).flatMap(([path, entry]) => {
      const engines = entry.engines;
      return path !== "" && engines !== undefined && !Array.isArray(engines) && engines.node !== undefined
        ? [engines.node]
        : [];
    }),
  ),
];

// Each major's first and last minors we know of, and the edges the lock's ranges name.
const samples = [
  "18.20.8",
  "20.0.0",
  "20.19.5",
  "22.0.0",
  "22.12.0",
  "22.16.0",
  "22.22.1",
  "22.22.2",
  "22.30.0",
  "23.0.0",
  "23.11.1",
  "24.0.0",
  "24.14.9",
  "24.15.0",
  "24.20.0",
  "25.0.0",
  "25.9.0",
  "26.0.0",
  "27.3.0",
  "30.0.0",
];

describe("package.json engines.node", () => {
  it("is read from the lock file's many ranges", () => {
    expect(lockRanges.length).toBeGreaterThan(20);
  });

  it("admits only versions every locked dependency admits, so `npm install` is quiet on each of them", () => {
    const loud = samples
      .filter((version) => semver.satisfies(version, ours))
      .flatMap((version) =>
        lockRanges
          .filter((range) => !semver.satisfies(version, range))
          .map((range) => `${version} ∉ ${range}`),
      );
    expect(loud).toEqual([]);
  });

  it("admits the Node 22 that Lambda runs and the active LTS lines", () => {
    for (const version of ["22.22.2", "24.15.0", "26.0.0"])
      expect(semver.satisfies(version, ours)).toBe(true);
  });
});

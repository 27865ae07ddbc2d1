// CI guard: domain/ is pure loyalty logic. It may not reach AWS, Lambda, Node I/O, the adapters or the
// infrastructure, and it may not read the clock or make random ids — callers pass `now` and ids in.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const domainDir = join(root, "domain");

const forbidden: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /from\s+["']@aws-sdk\//, why: "imports the AWS SDK" },
  { pattern: /from\s+["']aws-lambda["']/, why: "imports aws-lambda" },
  { pattern: /from\s+["']@aws-lambda-powertools\//, why: "imports Powertools" },
  { pattern: /from\s+["']@middy\//, why: "imports middy" },
  {
    pattern:
      /from\s+["'](node:)?(fs|fs\/promises|http|https|http2|net|dgram|dns|child_process|cluster|worker_threads|os|process|readline|tls)["']/,
    why: "imports a Node I/O module",
  },
  {
    pattern: /from\s+["'](\.\.\/)+(functions|infra|scripts)\//,
    why: "imports from functions/, infra/ or scripts/",
  },
  { pattern: /\bDate\.now\(/, why: "reads the clock (pass `now` in)" },
  { pattern: /\bnew Date\(\s*\)/, why: "reads the clock (pass `now` in)" },
  { pattern: /\bMath\.random\(/, why: "uses randomness (pass ids in)" },
  { pattern: /\brandomUUID\(/, why: "makes random ids (pass ids in)" },
  { pattern: /\bprocess\./, why: "reads the process environment" },
];

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

export function findViolations(dir: string): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(dir)) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      if (line.trimStart().startsWith("//")) return;
      for (const { pattern, why } of forbidden) {
        if (pattern.test(line))
          violations.push(`${relative(root, file)}:${index + 1} ${why}: ${line.trim()}`);
      }
    });
  }
  return violations;
}

if (import.meta.filename === process.argv[1]) {
  const violations = findViolations(domainDir);
  if (violations.length > 0) {
    console.error(`domain/ boundary broken in ${violations.length} place(s):\n${violations.join("\n")}`);
    process.exit(1);
  }
  console.log("domain/ boundary holds: no AWS, Node I/O, adapter or infra imports; no clock or randomness.");
}

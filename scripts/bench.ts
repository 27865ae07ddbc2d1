// `npm run bench [-- <suite> ...]`: runs every benchmark suite (or the named ones) and rewrites BENCHMARKS.md
// from the figures measured in this run; a partial run replaces only its suites' sections and keeps the others,
// each section saying when it was measured. Nothing in BENCHMARKS.md is written by hand.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { suites } from "./bench/suites";
import type { BenchResult } from "./bench/types";

const root = join(import.meta.dirname, "..");

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 3 : 4;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

function row(result: BenchResult): string {
  const verdict = result.meetsTarget === undefined ? "–" : result.meetsTarget ? "✅ met" : "❌ missed";
  const baseline = result.baseline
    ? `${formatNumber(result.baseline.value)} ${result.baseline.unit} (${result.baseline.name})`
    : "–";
  const ratio = result.ratio === undefined ? "–" : `${formatNumber(result.ratio)}×`;
  const cells = [
    result.name,
    `${formatNumber(result.value)} ${result.unit}`,
    result.target ?? "–",
    verdict,
    baseline,
    ratio,
    result.note ?? "",
  ];
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length === 0 ? suites : suites.filter((suite) => wanted.includes(suite.id));
  if (selected.length === 0) {
    console.error(
      `No benchmark suite named ${wanted.join(", ")}. Suites: ${suites.map((s) => s.id).join(", ")}`,
    );
    process.exit(2);
  }
  const measuredAt = new Date().toISOString();
  const sections = new Map<string, string>();
  const failures: string[] = [];
  for (const suite of selected) {
    const started = performance.now();
    console.error(`▶ ${suite.title} …`);
    let results: BenchResult[];
    try {
      results = await suite.run();
    } catch (error) {
      // One broken suite must not throw away the others' figures; it is reported, and the run fails.
      failures.push(suite.id);
      console.error(`  FAILED: ${(error as Error).message}`);
      sections.set(
        suite.title,
        `## ${suite.title}\n\nFailed in this run: ${(error as Error).message.split("\n")[0]}`,
      );
      continue;
    }
    console.error(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const result of results)
      console.error(`  ${result.name}: ${formatNumber(result.value)} ${result.unit}`);
    sections.set(
      suite.title,
      [
        `## ${suite.title}`,
        "",
        `Measured ${measuredAt}.`,
        "",
        "| figure | value | target | verdict | in-run baseline | ratio | note |",
        "|---|---|---|---|---|---|---|",
        ...results.map(row),
      ].join("\n"),
    );
  }
  const cpu = cpus();
  const header = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (scripts/bench.ts) — do not edit by hand; rerun it.",
    "",
    `- Date: ${measuredAt}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `- Node ${process.version} on ${process.platform}/${process.arch}`,
    wanted.length > 0
      ? `- Suites run: ${selected.map((s) => s.id).join(", ")} (partial run: the other sections are kept from earlier runs, each with its own date)`
      : "- Suites run: all",
    "",
  ].join("\n");
  const file = join(root, "BENCHMARKS.md");
  const kept =
    wanted.length > 0 && existsSync(file) ? earlierSections(readFileSync(file, "utf8")) : new Map();
  const ordered = suites.flatMap((suite) => {
    const section = sections.get(suite.title) ?? kept.get(suite.title);
    return section === undefined ? [] : [section.trimEnd()];
  });
  writeFileSync(file, `${header}\n${ordered.join("\n\n")}\n`);
  console.error("BENCHMARKS.md written.");
  if (failures.length > 0) {
    console.error(`Failed suites: ${failures.join(", ")}`);
    process.exitCode = 1;
  }
}

/** The `## <title>` sections of an earlier BENCHMARKS.md, by title, each dated (by the old header if undated). */
function earlierSections(text: string): Map<string, string> {
  const date = /^- Date: (\S+)/m.exec(text)?.[1] ?? "at an unknown date";
  const found = new Map<string, string>();
  for (const part of text.split(/^(?=## )/m).slice(1)) {
    const heading = part.slice(0, part.indexOf("\n"));
    const title = heading.slice(3).trim();
    found.set(
      title,
      /^Measured /m.test(part) ? part : part.replace(heading, `${heading}\n\nMeasured ${date}.`),
    );
  }
  return found;
}

await main();

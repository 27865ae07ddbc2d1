// Customer value analytics for analysts:
//   npm run --silent analytics -- fit <transactions> --calibration-end <YYYY-MM-DD> [--unit week|day]
//       [--json]
//   npm run --silent analytics -- score <transactions> --calibration-end <YYYY-MM-DD> --horizon <n>
//       [--unit week|day] [--discount-rate <annual>] [--margin <share>] [--out file.csv]
// Bad input exits with code 2 and one line on stderr naming what is wrong.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { periodDiscountRate } from "../domain/analytics/clv";
import { valueConcentration } from "../domain/analytics/concentration";
import type { TimeUnit } from "../domain/analytics/customer-summary";
import { parseDayNumber } from "../domain/analytics/day-number";
import { fitProblems } from "../domain/analytics/fit-quality";
import { AnalyticsInputError } from "../domain/analytics/input-error";
import { scoreCustomers } from "../domain/analytics/scoring";
import { fitModels, summariseLog } from "./analytics/pipeline";
import { scoreCsv } from "./analytics/score-csv";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const USAGE = `Usage:
  analytics fit <transactions> --calibration-end <YYYY-MM-DD> [--unit week|day] [--json]
  analytics score <transactions> --calibration-end <YYYY-MM-DD> --horizon <periods> [--unit week|day]
      [--discount-rate <annual, default 0.1>] [--margin <share, default 1>] [--out <file.csv>]
Transactions: CSV with header customer_id,date,amount, or CDNOW "customer_id date cds amount"
(dates YYYYMMDD); --calibration-end is inclusive and must fall within the data.
`;

const OPTIONS = {
  "calibration-end": { type: "string" },
  unit: { type: "string", default: "week" },
  json: { type: "boolean", default: false },
  horizon: { type: "string" },
  "discount-rate": { type: "string", default: "0.1" },
  margin: { type: "string", default: "1" },
  out: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function bad(message: string): never {
  throw new AnalyticsInputError(message);
}

function numberOption(values: Values, name: "horizon" | "discount-rate" | "margin"): number {
  const text = values[name];
  if (text === undefined) return bad(`--${name} is required`);
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) bad(`--${name} "${text}" is not a number`);
  return value;
}

export async function main(argv: readonly string[]): Promise<CliResult> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
    if (values.help) return { code: 0, stdout: USAGE, stderr: "" };
    const [command, file, ...extra] = positionals;
    if (command !== "fit" && command !== "score") {
      bad(
        command === undefined
          ? "missing command: fit or score"
          : `unknown command "${command}": use fit or score`,
      );
    }
    if (file === undefined) bad(`${command}: missing the transactions file argument`);
    if (extra.length > 0) bad(`${command}: unexpected extra argument "${extra[0]}"`);
    const unit = values.unit;
    if (unit !== "week" && unit !== "day") bad(`--unit "${unit}" must be week or day`);
    const endText = values["calibration-end"] ?? bad("--calibration-end <YYYY-MM-DD> is required");
    const calibrationEnd =
      parseDayNumber(endText) ??
      bad(`--calibration-end "${endText}" is not a valid date (expected YYYY-MM-DD)`);
    if (command === "fit") {
      for (const scoreOnly of ["horizon", "out"] as const) {
        if (values[scoreOnly] !== undefined) bad(`--${scoreOnly} applies to score, not fit`);
      }
    } else if (values.json) {
      bad("--json applies to fit; score writes CSV");
    }
    const scoring = command === "score" ? scoreOptions(values) : undefined;

    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) =>
      bad(`cannot read transactions file "${file}": ${error.code ?? error.message}`),
    );
    const summary = summariseLog(text, file, { calibrationEnd, unit: unit as TimeUnit });
    const fitted = fitModels(summary);
    const problems = fitProblems(fitted);
    if (scoring === undefined) {
      return {
        code: 0,
        stdout: fitReport(summary.customerIds.length, fitted, values.json),
        stderr: problems.map((problem) => `analytics: ${problem}\n`).join(""),
      };
    }
    if (problems.length > 0) bad(`cannot score: ${problems.join("; ")}`);
    return await score(summary, fitted, scoring);
  } catch (error) {
    const known = error instanceof AnalyticsInputError || isParseArgsError(error);
    const message = error instanceof Error ? error.message : String(error);
    return { code: known ? 2 : 1, stdout: "", stderr: `analytics: ${message}\n` };
  }
}

function fitReport(customers: number, fitted: ReturnType<typeof fitModels>, json: boolean): string {
  const { bgNbd, gammaGamma } = fitted;
  if (json) {
    const body = {
      customers,
      bgnbd: { ...bgNbd.params, logLikelihood: bgNbd.logLikelihood },
      gammaGamma: { ...gammaGamma.params, logLikelihood: gammaGamma.logLikelihood },
    };
    return `${JSON.stringify(body, null, 2)}\n`;
  }
  const b = bgNbd.params;
  const g = gammaGamma.params;
  const f = (value: number): string => value.toPrecision(5);
  return [
    `customers: ${customers}`,
    `BG/NBD       r=${f(b.r)} alpha=${f(b.alpha)} a=${f(b.a)} b=${f(b.b)} log-likelihood=${bgNbd.logLikelihood.toFixed(2)}`,
    `Gamma-Gamma  p=${f(g.p)} q=${f(g.q)} gamma=${f(g.gamma)} log-likelihood=${gammaGamma.logLikelihood.toFixed(2)} ` +
      `(${gammaGamma.repeatBuyers} repeat buyers)`,
    "",
  ].join("\n");
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

interface ScoreOptions {
  horizon: number;
  annualRate: number;
  margin: number;
  out: string | undefined;
}

function scoreOptions(values: Values): ScoreOptions {
  const horizon = numberOption(values, "horizon");
  if (!(Number.isInteger(horizon) && horizon >= 1))
    bad(`--horizon "${values.horizon}" must be a whole number ≥ 1`);
  const annualRate = numberOption(values, "discount-rate");
  if (annualRate < 0)
    bad(`--discount-rate "${values["discount-rate"]}" must be ≥ 0 (an annual rate, e.g. 0.1)`);
  const margin = numberOption(values, "margin");
  if (margin < 0) bad(`--margin "${values.margin}" must be ≥ 0 (the share of revenue kept, e.g. 0.3)`);
  return { horizon, annualRate, margin, out: values.out };
}

async function score(
  summary: ReturnType<typeof summariseLog>,
  fitted: ReturnType<typeof fitModels>,
  { horizon, annualRate, margin, out }: ScoreOptions,
): Promise<CliResult> {
  if (!(fitted.gammaGamma.params.q > 1)) {
    bad(
      `Gamma-Gamma fit gave q=${fitted.gammaGamma.params.q} ≤ 1: expected order value is unbounded for this data`,
    );
  }
  const scores = scoreCustomers(
    summary,
    { bgNbd: fitted.bgNbd.params, gammaGamma: fitted.gammaGamma.params },
    { horizon, discountRate: periodDiscountRate(annualRate, summary.unit), margin },
  );
  const csv = scoreCsv(summary, scores);
  if (out === undefined) return { code: 0, stdout: csv, stderr: "" };
  await writeFile(out, csv).catch((error: NodeJS.ErrnoException) =>
    bad(`cannot write "${out}": ${error.code ?? error.message}`),
  );
  const concentration = valueConcentration(scores.clv);
  const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
  return {
    code: 0,
    stdout:
      `scored ${summary.customerIds.length} customers over ${horizon} ${summary.unit}s into ${out}\n` +
      `total CLV ${concentration.total.toFixed(2)}; top 10% of customers hold ${percent(concentration.top10Share)}, ` +
      `top 20% hold ${percent(concentration.top20Share)} (Gini ${concentration.gini.toFixed(3)})\n`,
    stderr: "",
  };
}

if (import.meta.filename === process.argv[1]) {
  const result = await main(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

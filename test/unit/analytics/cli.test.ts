import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDayNumber, parseDayNumber } from "../../../domain/analytics/day-number";
import { main } from "../../../scripts/analytics";
import { SCORE_CSV_HEADER } from "../../../scripts/analytics/score-csv";
import { seededRandom } from "./seeded-random";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const sampleFile = join(repoRoot, "..", "shared", "data", "cdnow", "lifetimes", "CDNOW_sample.txt");
const haveData = existsSync(sampleFile);
if (!haveData) console.warn(`CLI tests on CDNOW skipped: ${sampleFile} is absent`);

const dir = mkdtempSync(join(tmpdir(), "patron-analytics-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small simulated log (purchasing with dropout, 300 members joining through January 2024, observed to the
// end of 2024) — realistic enough for both models to fit.
const smallLog = join(dir, "small.csv");
const random = seededRandom(42);
const lines = ["customer_id,date,amount"];
const startDay = parseDayNumber("2024-01-01") as number;
const endDay = parseDayNumber("2024-12-31") as number;
for (let c = 0; c < 300; c++) {
  const perDay = (-Math.log(random()) * (0.5 + random())) / 7;
  const spend = 10 + 40 * random();
  const dropout = 0.05 + 0.6 * random() ** 2;
  let day = startDay + Math.floor(31 * random());
  while (day <= endDay) {
    lines.push(`m${c},${formatDayNumber(day)},${(spend * (0.5 + random())).toFixed(2)}`);
    if (random() < dropout) break;
    day += 1 + Math.floor(-Math.log(random()) / perDay);
  }
}
lines.push("m0,2024-12-31,5.00");
writeFileSync(smallLog, `${lines.join("\n")}\n`);

describe("analytics CLI: errors", () => {
  it.each([
    [[], "missing command: fit or score"],
    [["predict", smallLog], 'unknown command "predict": use fit or score'],
    [["fit"], "fit: missing the transactions file argument"],
    [["fit", smallLog], "--calibration-end <YYYY-MM-DD> is required"],
    [
      ["fit", smallLog, "--calibration-end", "2024-02-30"],
      '--calibration-end "2024-02-30" is not a valid date',
    ],
    [
      ["fit", smallLog, "--calibration-end", "2023-12-31"],
      "calibration end 2023-12-31 is outside the data (transactions run 2024-01-",
    ],
    [
      ["fit", smallLog, "--calibration-end", "2024-06-30", "--unit", "month"],
      '--unit "month" must be week or day',
    ],
    [
      ["fit", join(dir, "nope.csv"), "--calibration-end", "2024-06-30"],
      `cannot read transactions file "${join(dir, "nope.csv")}": ENOENT`,
    ],
    [
      ["fit", smallLog, "--calibration-end", "2024-06-30", "--horizon", "5"],
      "--horizon applies to score, not fit",
    ],
    [["score", smallLog, "--calibration-end", "2024-06-30"], "--horizon is required"],
    [
      ["score", smallLog, "--calibration-end", "2024-06-30", "--horizon", "1.5"],
      '--horizon "1.5" must be a whole number ≥ 1',
    ],
    [
      ["score", smallLog, "--calibration-end", "2024-06-30", "--horizon", "4", "--margin", "x"],
      '--margin "x" is not a number',
    ],
    [["fit", smallLog, "--calibration-end", "2024-06-30", "--colour"], "Unknown option '--colour'"],
  ])("%j exits 2 with one clear line", async (argv, message) => {
    const result = await main(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("refuses to score with a model the data cannot identify, but still reports the fit", async () => {
    // Everyone buys exactly monthly and never lapses: no heterogeneity for either model to measure.
    const regular = join(dir, "regular.csv");
    const rows = ["customer_id,date,amount"];
    for (let c = 0; c < 40; c++) {
      const day = String(1 + (c % 28)).padStart(2, "0");
      for (let month = 1; month <= 6; month++) rows.push(`r${c},2024-0${month}-${day},20`);
    }
    writeFileSync(regular, `${rows.join("\n")}\n`);
    const fit = await main(["fit", regular, "--calibration-end", "2024-03-31"]);
    expect(fit.code).toBe(0);
    expect(fit.stderr).toContain("BG/NBD fit ran to a parameter bound: this data cannot identify the model");
    const score = await main(["score", regular, "--calibration-end", "2024-03-31", "--horizon", "4"]);
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(/^analytics: cannot score: BG\/NBD fit ran to a parameter bound/);
  });

  it("names the line of a malformed transaction", async () => {
    const broken = join(dir, "broken.csv");
    writeFileSync(broken, "customer_id,date,amount\na,2024-01-01,5\na,2024-01-09,five\n");
    const result = await main(["fit", broken, "--calibration-end", "2024-01-05"]);
    expect(result).toMatchObject({
      code: 2,
      stderr: `analytics: ${broken} line 3: amount "five" is not a number\n`,
    });
  });
});

describe("analytics CLI: output", () => {
  it("prints usage with --help", async () => {
    const result = await main(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage:/);
  });

  it("prints the fitted parameters as text", async () => {
    const result = await main(["fit", smallLog, "--calibration-end", "2024-06-30"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^customers: 300\nBG\/NBD +r=\S+ alpha=\S+ a=\S+ b=\S+ log-likelihood=-\d/);
    expect(result.stdout).toMatch(
      /Gamma-Gamma +p=\S+ q=\S+ gamma=\S+ log-likelihood=-?\d+\.\d+ \(\d+ repeat buyers\)/,
    );
  });

  it("scores every customer into a CSV file and reports value concentration", async () => {
    const out = join(dir, "scores.csv");
    const result = await main([
      "score",
      smallLog,
      "--calibration-end",
      "2024-06-30",
      "--horizon",
      "8",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^scored 300 customers over 8 weeks into .*scores\.csv\n/);
    expect(result.stdout).toMatch(
      /top 10% of customers hold \d+\.\d%, top 20% hold \d+\.\d% \(Gini 0\.\d{3}\)\n$/,
    );
    const rows = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(rows[0]).toBe(SCORE_CSV_HEADER);
    expect(rows).toHaveLength(301);
    expect(rows[1]).toMatch(
      /^m0,\d+,\d+\.\d{4},\d+\.\d{4},[01]\.\d{6},\d+\.\d{4},\d+\.\d{2},\d+\.\d{2},[a-z ]+,[1-5]{3}$/,
    );
  });
});

describe.skipIf(!haveData)("analytics CLI on the CDNOW sample", () => {
  it("prints exactly the documented JSON shape with --json", async () => {
    const result = await main(["fit", sampleFile, "--calibration-end", "1997-09-30", "--json"]);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(Object.keys(body)).toEqual(["customers", "bgnbd", "gammaGamma"]);
    expect(Object.keys(body.bgnbd)).toEqual(["r", "alpha", "a", "b", "logLikelihood"]);
    expect(Object.keys(body.gammaGamma)).toEqual(["p", "q", "gamma", "logLikelihood"]);
    expect(body.customers).toBe(2357);
    expect(body.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(body.gammaGamma.gamma).toBeCloseTo(15.44, 2);
  });

  it("writes the score CSV to stdout without --out", async () => {
    const result = await main(["score", sampleFile, "--calibration-end", "1997-09-30", "--horizon", "39"]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(2358);
    // Customer 1 (x = 2, t_x = 30.43, T = 38.86) is the paper's worked example: 1.226 purchases in 39 weeks.
    expect(rows[1]).toMatch(/^0001,2,30\.4286,38\.8571,0\.72\d+,1\.22\d+,/);
  });
});

// Every benchmark suite `npm run bench` runs, in order. A new benchmark module adds one line here.
import { runAnalyticsBench } from "./analytics";
import { runHttpApiBench } from "./http-api";
import type { BenchSuite } from "./types";

export const suites: BenchSuite[] = [
  { id: "analytics", title: "Customer value analytics (BG/NBD, Gamma-Gamma, scoring)", run: runAnalyticsBench },
  { id: "http-api", title: "Member API: reads per GET /me", run: runHttpApiBench },
];

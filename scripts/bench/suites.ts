// Every benchmark suite `npm run bench` runs, in order. A new benchmark module adds one line here.
import { runAnalyticsBench } from "./analytics";
import { runAnalyticsJobBench } from "./analytics-job";
import { runColdStartBench } from "./cold-start";
import { runHttpApiBench } from "./http-api";
import { runImportBench } from "./import";
import { runImportCdnowBench } from "./import-cdnow";
import { runPipelineBench } from "./pipeline";
import { runReplayBench } from "./replay";
import { runRetentionBench } from "./retention";
import { runSynthBench } from "./synth";
import type { BenchSuite } from "./types";

export const suites: BenchSuite[] = [
  { id: "pipeline", title: "Event pipeline: capacity per event and throughput", run: runPipelineBench },
  { id: "http-api", title: "Member API: reads per GET /me", run: runHttpApiBench },
  { id: "retention", title: "Retention daily job: items read per due member", run: runRetentionBench },
  {
    id: "analytics",
    title: "Customer value analytics (BG/NBD, Gamma-Gamma, scoring)",
    run: runAnalyticsBench,
  },
  { id: "analytics-job", title: "Nightly analytics job on DynamoDB Local", run: runAnalyticsJobBench },
  { id: "replay", title: "Local platform: replay end to end", run: runReplayBench },
  {
    id: "import",
    title: "Migration import on DynamoDB Local (members/s against raw BatchWriteItem)",
    run: () => runImportBench(),
  },
  {
    id: "import-cdnow",
    title: "Migration import against the replay: the CDNOW master members",
    run: () => runImportCdnowBench(),
  },
  { id: "cold-start", title: "Lambda cold starts: CPU against the floor", run: runColdStartBench },
  { id: "synth", title: "CDK synthesis and Lambda assets", run: runSynthBench },
];

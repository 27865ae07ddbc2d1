import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { analyticsConfig } from "../analytics/analytics-config";
import { createAnalyticsStore } from "../analytics/analytics-store";
import { programKpiSettings } from "../analytics/job-kpis";
import {
  type AnalyticsJobDeps,
  type AnalyticsJobReport,
  runAnalyticsJob,
} from "../analytics/run-analytics-job";
import { tableFromConfig, withLambdaContext } from "../shared/lambda-wiring";
import { createLogger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

// Nightly (EventBridge Scheduler, see infra/function-specs.ts): fit the value models, score every member,
// write back the scores that changed. The scheduler's input ({ job }) carries nothing the job needs. A failed
// fit throws, so the run lands in the schedule's failure queue and yesterday's scores stay in place.

export function createAnalyticsJobHandler(deps: AnalyticsJobDeps, clock: () => Date = () => new Date()) {
  return withLambdaContext<unknown, AnalyticsJobReport>(deps.logger, () => runAnalyticsJob(deps, clock()));
}

export const handler = onFirstCall(() => {
  const config = analyticsConfig();
  const table = tableFromConfig(config);
  return createAnalyticsJobHandler({
    store: createAnalyticsStore(table),
    // The KPIs' point cost and holdout come from the programme in effect at the run.
    kpiSettings: programKpiSettings(createProgramRepository(table)),
    logger: createLogger(),
    options: { scanSegments: config.ANALYTICS_SCAN_SEGMENTS, fitSampleCap: config.ANALYTICS_FIT_SAMPLE_CAP },
  });
});

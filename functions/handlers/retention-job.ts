import { createEventBridgeClient } from "../adapters/bus/event-bridge-client";
import { createEventPublisher } from "../adapters/bus/event-publisher";
import { tableEventParking } from "../adapters/bus/parked-events";
import { createMemberRepository } from "../adapters/dynamo/member-repository";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { createSesClient, createSesMailer } from "../adapters/ses/mailer";
import { createTokenSigner } from "../http/signed-token";
import { retentionEnv } from "../retention/config";
import type { JobReport } from "../retention/job-report";
import { createMessageStore } from "../retention/message-store";
import { parseRetentionRunRequest } from "../retention/run-request";
import { type RetentionJobDeps, runRetentionJob } from "../retention/run-retention-job";
import { tableFromConfig, withLambdaContext } from "../shared/lambda-wiring";
import { createLogger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";
import { secretsManagerSecret, withSecret } from "../shared/secrets";

/**
 * Scheduler → one retention run as of now; the report (counts only) is logged and returned. An event with
 * `members` checks just those members (run-request.ts).
 */
export function createRetentionJobHandler(deps: RetentionJobDeps, clock: () => Date = () => new Date()) {
  return withLambdaContext<unknown, JobReport>(deps.logger, async (event) => {
    const report = await runRetentionJob(deps, clock(), parseRetentionRunRequest(event));
    deps.logger.info("retention job finished", { ...report });
    return report;
  });
}

export const handler = onFirstCall(() => {
  const env = retentionEnv();
  const { client, tableName } = tableFromConfig(env);
  const bus = createEventBridgeClient({ region: env.AWS_REGION, endpoint: env.EVENTBRIDGE_ENDPOINT });
  const deps: Omit<RetentionJobDeps, "signer"> = {
    members: createMemberRepository({ client, tableName }),
    messages: createMessageStore({ client, tableName }),
    programs: createProgramRepository({ client, tableName }),
    mailer: createSesMailer({
      client: createSesClient({ endpoint: env.SES_ENDPOINT, region: env.AWS_REGION }),
      senderAddress: env.SENDER_ADDRESS,
      ...(env.SES_CONFIGURATION_SET && { configurationSetName: env.SES_CONFIGURATION_SET }),
    }),
    publisher: createEventPublisher({ client: bus, eventBusName: env.EVENT_BUS_NAME }),
    parking: tableEventParking({ client, tableName }),
    publicApiUrl: env.PUBLIC_API_URL,
    logger: createLogger(),
  };
  const signingSecret = secretsManagerSecret({
    secretArn: env.SIGNING_SECRET_ARN,
    ...(env.AWS_REGION && { region: env.AWS_REGION }),
  });
  return withSecret(signingSecret, (secret) =>
    createRetentionJobHandler({ ...deps, signer: createTokenSigner(secret) }),
  );
});

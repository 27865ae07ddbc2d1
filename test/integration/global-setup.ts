import type { TestProject } from "vitest/node";
import {
  type DynamoLocal,
  killStartedDynamoLocals,
  startDynamoLocal,
} from "../../scripts/local/dynamo-local";
import { type SesLocal, startSesLocal } from "../../scripts/local/ses-local";

// Starts DynamoDB Local (in memory, its own process group) and aws-ses-v2-local (in this process) on free
// ports for the integration project, the same way `npm start` does, and stops both when the run ends.

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const started: Array<DynamoLocal | SesLocal> = [];
  const teardown = async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  };
  // If vitest dies without running teardown, don't leave java behind.
  process.once("exit", killStartedDynamoLocals);
  try {
    const dynamo = await startDynamoLocal({ port: 0 });
    started.push(dynamo);
    provide("dynamoEndpoint", dynamo.endpoint);
    const ses = await startSesLocal({ port: 0 });
    started.push(ses);
    provide("sesEndpoint", ses.endpoint);
  } catch (error) {
    process.off("exit", killStartedDynamoLocals);
    await teardown();
    throw error;
  }
  return async () => {
    process.off("exit", killStartedDynamoLocals);
    await teardown();
  };
}

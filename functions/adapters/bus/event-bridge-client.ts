import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { withoutSdkLogger } from "../../shared/sdk-logger";

/** The EventBridge client of the outbox publisher and the retention job; `endpoint` points it at the local bus. */
export function createEventBridgeClient(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
}): EventBridgeClient {
  return withoutSdkLogger(
    new EventBridgeClient({
      ...(options.region && { region: options.region }),
      ...(options.endpoint && { endpoint: options.endpoint }),
    }),
  );
}

import { Duration, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/**
 * A queue that catches what a retry policy gave up on. SQS-managed encryption (not KMS) because
 * EventBridge and Scheduler can deliver to it without key grants and it costs nothing at rest.
 */
export class DeadLetterQueue extends Queue {
  /** What lands here, for alarm descriptions and the dashboard. */
  readonly purpose: string;

  /** `redriveTarget`: another queue redrives into this one, which cdk-nag then knows for a dead-letter queue. */
  constructor(scope: Construct, id: string, purpose: string, options: { redriveTarget?: boolean } = {}) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.purpose = purpose;
    if (options.redriveTarget) return;
    Validations.of(this).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself a dead-letter queue; failed messages stay here for inspection and replay.",
    });
  }
}

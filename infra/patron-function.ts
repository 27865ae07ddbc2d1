import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Function as LambdaFunction, LoggingFormat, Runtime } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { patronFunctionCode } from "./function-bundle";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** `functions/handlers/<name>.ts`: every handler file exports `handler`. */
export function handlerEntry(name: string): string {
  return join(repoRoot, "functions", "handlers", `${name}.ts`);
}

export interface PatronFunctionProps {
  /** Handler name, e.g. "purchase-completed"; also the Powertools metric/log context. */
  readonly name: string;
  /** Absolute path of the TypeScript entry file. */
  readonly entry: string;
  readonly description: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
}

/** Memory of a function whose spec names none (MB). */
export const DEFAULT_MEMORY_MB = 256;

/** The environment every Patron function starts with (a function's own variables are added to it). */
export const patronEnvironment: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: "patron",
  POWERTOOLS_METRICS_NAMESPACE: "Patron",
};

/**
 * Every Patron Lambda: Node 22 on ARM64, a minified ESM bundle with source maps built by the
 * local esbuild (never Docker; see function-bundle.ts), Powertools settings, and its own log group
 * and role. The role starts with write access to that log group only; grants add the rest.
 */
export class PatronFunction extends LambdaFunction {
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: PatronFunctionProps) {
    if (!existsSync(props.entry)) {
      throw new Error(`PatronFunction "${props.name}": entry file ${props.entry} does not exist`);
    }
    // The log group and role live beside the function: a subclass cannot add children before super().
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Patron ${props.name} function`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      code: patronFunctionCode(props.entry),
      handler: "index.handler",
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { ...patronEnvironment, ...props.environment },
    });
    this.handlerName = props.name;
    Validations.of(this).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the project's pinned, supported runtime; moving to a newer one is a deliberate upgrade.",
    });
  }
}

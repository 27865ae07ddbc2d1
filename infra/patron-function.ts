import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, LoggingFormat, Runtime } from "aws-cdk-lib/aws-lambda";
import { type BundlingOptions, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

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

/*
 * ESM output has no `require`; a few CJS dependencies call it, so the banner recreates it.
 * Names are prefixed so they cannot clash with identifiers in the minified bundle.
 */
const requireBanner =
  "import { createRequire as __patronCreateRequire } from 'node:module';" +
  "const require = __patronCreateRequire(import.meta.url);";

/** How every Patron function is bundled; the cold-start bench builds its bundles from this too. */
/** Memory of a function whose spec names none (MB). */
export const DEFAULT_MEMORY_MB = 256;

export const patronBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: "node22",
  mainFields: ["module", "main"],
  banner: requireBanner,
  minify: true,
  // The map stays in the asset so a stack trace can be symbolicated offline; the function does not load it
  // (NODE_OPTIONS=--enable-source-maps would cost CPU on every cold start and on every error).
  sourceMap: true,
  sourcesContent: false,
  // The runtime ships SDK v3 too, but unbundled: importing it costs more CPU at cold start than this bundle's
  // tree-shaken, minified copy (scripts/bench/cold-start.ts), and the version is then the lock file's.
  externalModules: [],
};

/** The environment every Patron function starts with (a function's own variables are added to it). */
export const patronEnvironment: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: "patron",
  POWERTOOLS_METRICS_NAMESPACE: "Patron",
};

/**
 * Every Patron Lambda: Node 22 on ARM64, a minified ESM bundle with source maps built by the
 * local esbuild (never Docker), Powertools settings, and its own log group and role. The role
 * starts with write access to that log group only; grants add the rest.
 */
export class PatronFunction extends NodejsFunction {
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
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, "package-lock.json"),
      environment: { ...patronEnvironment, ...props.environment },
      bundling: { forceDockerBundling: false, ...patronBundling },
    });
    this.handlerName = props.name;
    Validations.of(this).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the project's pinned, supported runtime; moving to a newer one is a deliberate upgrade.",
    });
  }
}

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, type CfnElement, type IResource, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { expect } from "vitest";
import { repoRoot } from "../../infra/patron-function";
import { PatronStack, type PatronStackProps } from "../../infra/patron-stack";

/**
 * Stand-in entry bundled for every function: the infra tests check wiring, not handlers, and must
 * not depend on which handler files exist yet. `npm run synth` bundles the real entries.
 */
export const fixtureEntry = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "handler.ts");

/** Synthesis with bundling takes seconds, more on a busy CI box; beforeAll's default is 10 s. */
export const SYNTH_TIMEOUT_MS = 120_000;

export const TEST_ENV = { account: "123456789012", region: "eu-west-1" } as const;

/** cdk.json's feature flags, so tests synthesize exactly what `npm run synth` does. */
const cdkJson = JSON.parse(readFileSync(join(repoRoot, "cdk.json"), "utf8")) as {
  context: Record<string, unknown>;
};
export const cdkContext = cdkJson.context;

export function synthPatron(props: Partial<PatronStackProps> = {}) {
  const app = new App({ context: cdkContext });
  const stack = new PatronStack(app, "Patron-test", {
    envName: "dev",
    sender: "loyalty@shop.example",
    entryOverride: fixtureEntry,
    env: TEST_ENV,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

export function logicalId(construct: IConstruct | IResource): string {
  const element = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(element as CfnElement);
}

/**
 * Renders a CloudFormation value the way cdk-nag does: `{"Fn::GetAtt":["Table","Arn"]}` becomes
 * `<Table.Arn>`, `{"Ref":"X"}` becomes `<X>`, joins are concatenated.
 */
export function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    if ("Ref" in object) return `<${String(object.Ref)}>`;
    if ("Fn::GetAtt" in object) {
      const [id, attribute] = object["Fn::GetAtt"] as [string, string];
      return `<${id}.${attribute}>`;
    }
    if ("Fn::Join" in object) {
      const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
  }
  return JSON.stringify(value);
}

export interface Grant {
  readonly action: string;
  readonly resource: string;
  readonly condition?: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every (action, resource) pair the role's inline policies allow. */
export function grantsOfRole(template: Template, roleLogicalId: string): Grant[] {
  const policies = template.findResources("AWS::IAM::Policy");
  const grants: Grant[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as unknown[]).map(render);
    if (!roles.includes(`<${roleLogicalId}>`)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]) {
      expect(statement.Effect).toBe("Allow");
      for (const action of asArray(statement.Action as string | string[])) {
        for (const resource of asArray(statement.Resource)) {
          grants.push({ action, resource: render(resource), condition: statement.Condition });
        }
      }
    }
  }
  return grants;
}

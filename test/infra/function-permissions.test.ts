import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { consumerRules } from "../../events/rules";
import { functionSpecs } from "../../infra/function-specs";
import type { PatronFunction } from "../../infra/patron-function";
import type { PatronStack } from "../../infra/patron-stack";
import { type Grant, grantsOfRole, logicalId, SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

const TABLE_READ = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
];
const TABLE_WRITE = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];
const STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"];
const QUEUE_SEND = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];
/** What an SQS event source needs of the queue it reads. */
const QUEUE_CONSUME = [
  "sqs:ReceiveMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueUrl",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
];

let stack: PatronStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthPatron());
}, SYNTH_TIMEOUT_MS);

function fnOf(name: string): PatronFunction {
  return stack.stateless.functionFor(name);
}

function roleIdOf(name: string): string {
  const role = fnOf(name).role;
  if (!role) throw new Error(`${name} has no role`);
  return logicalId(role);
}

function grantsOf(name: string): Grant[] {
  return grantsOfRole(template, roleIdOf(name));
}

/** The function's own dead-letter queues (siblings in its construct group). */
function ownEventQueueArns(name: string): string[] {
  const group = fnOf(name).node.scope;
  return stack.stateless.eventQueues
    .filter((queue) => queue.node.path.startsWith(`${group?.node.path}/`))
    .map((queue) => `<${logicalId(queue)}.Arn>`);
}

function ownQueueArns(name: string): string[] {
  const group = fnOf(name).node.scope;
  return stack.stateless.deadLetterQueues
    .filter((queue) => queue.node.path.startsWith(`${group?.node.path}/`))
    .map((queue) => `<${logicalId(queue)}.Arn>`);
}

describe.each(functionSpecs.map((spec) => [spec.name, spec] as const))("IAM of %s", (name, spec) => {
  it("allows only named actions on named resources (no wildcard actions, `*` only for ListStreams)", () => {
    for (const grant of grantsOf(name)) {
      expect(grant.action, `${name}: ${grant.action}`).not.toContain("*");
      if (grant.resource === "*") expect(grant.action).toBe("dynamodb:ListStreams");
    }
  });

  it("has no AWS managed policies", () => {
    const role = template.toJSON().Resources[roleIdOf(name)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("writes logs only to its own log group", () => {
    const logs = grantsOf(name).filter((grant) => grant.action.startsWith("logs:"));
    const own = `<${logicalId(fnOf(name).logGroup)}.Arn>`;
    expect(logs.map((grant) => grant.resource)).toEqual([own, own]);
    expect(logs.map((grant) => grant.action).sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
  });

  it("touches the table only as its spec says, on the table and its named indexes", () => {
    const table = `<${logicalId(stack.stateful.table)}.Arn>`;
    const stream = `<${logicalId(stack.stateful.table)}.StreamArn>`;
    const dynamo = grantsOf(name).filter((grant) => grant.action.startsWith("dynamodb:"));
    const allowed = new Set<string>();
    if (spec.table) {
      for (const action of spec.table === "read" ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE]) {
        allowed.add(`${action} ${table}`);
      }
      for (const index of stack.stateful.table.indexNames)
        allowed.add(`dynamodb:Query ${table}/index/${index}`);
    }
    if (spec.scansTable) allowed.add(`dynamodb:Scan ${table}`);
    if (spec.trigger.kind === "table-stream") {
      for (const action of STREAM_READ) allowed.add(`${action} ${stream}`);
      allowed.add("dynamodb:ListStreams *");
    }
    const actual = new Set(dynamo.map((grant) => `${grant.action} ${grant.resource}`));
    expect([...actual].sort()).toEqual([...allowed].sort());
  });

  it("puts events only on Patron's bus, only as source patron, and only if its spec says so", () => {
    const putEvents = grantsOf(name).filter((grant) => grant.action.startsWith("events:"));
    if (!spec.publishesEvents) {
      expect(putEvents).toEqual([]);
      return;
    }
    expect(putEvents).toEqual([
      {
        action: "events:PutEvents",
        resource: `<${logicalId(stack.stateful.bus)}.Arn>`,
        condition: { StringEquals: { "events:source": ["patron"] } },
      },
    ]);
  });

  it("sends e-mail only through Patron's identity and configuration set, from the sender address", () => {
    const ses = grantsOf(name).filter((grant) => grant.action.startsWith("ses:"));
    if (!spec.sendsEmail) {
      expect(ses).toEqual([]);
      return;
    }
    const identity = `<${logicalId(stack.stateful.node.findChild("Identity"))}>`;
    const configSet = `<${logicalId(stack.stateful.configurationSet)}>`;
    expect(ses.map((grant) => grant.action)).toEqual(["ses:SendEmail", "ses:SendEmail"]);
    expect(ses.map((grant) => grant.resource).sort()).toEqual([
      expect.stringMatching(new RegExp(`:configuration-set/${configSet}$`)),
      expect.stringMatching(new RegExp(`:identity/${identity}$`)),
    ]);
    for (const grant of ses) {
      expect(grant.condition).toEqual({ StringEquals: { "ses:FromAddress": "loyalty@shop.example" } });
    }
  });

  it("sends to its own dead-letter queues only, and consumes from its own event queue only", () => {
    const sqs = grantsOf(name).filter((grant) => grant.action.startsWith("sqs:"));
    const own = ownQueueArns(name);
    const fed = ownEventQueueArns(name);
    for (const grant of sqs) {
      if (fed.includes(grant.resource)) expect(QUEUE_CONSUME).toContain(grant.action);
      else {
        expect(QUEUE_SEND).toContain(grant.action);
        expect(own).toContain(grant.resource);
      }
    }
    // Only a consumer fed in batches reads a queue (events/rules.ts `batchSize`).
    const batched = consumerRules.some((rule) => rule.consumer === name && rule.batchSize !== undefined);
    expect(fed.length).toBe(batched ? 1 : 0);
  });

  it("has no permissions beyond logs, table, bus, SES, its queues and the signing secret", () => {
    const services = new Set(grantsOf(name).map((grant) => grant.action.split(":")[0]));
    for (const service of services) {
      expect(["logs", "dynamodb", "events", "ses", "sqs", "secretsmanager"]).toContain(service);
    }
  });

  it("reads the signing secret only if it signs tokens, and nothing else in Secrets Manager", () => {
    const secrets = grantsOf(name).filter((grant) => grant.action.startsWith("secretsmanager:"));
    const expected = spec.signsTokens
      ? [
          {
            action: "secretsmanager:GetSecretValue",
            resource: `<${logicalId(stack.stateful.signingSecret)}>`,
          },
        ]
      : [];
    expect(secrets.map(({ action, resource }) => ({ action, resource }))).toEqual(expected);
  });

  it("gets the environment variables that go with its grants", () => {
    const variables = template.toJSON().Resources[logicalId(fnOf(name))].Properties.Environment.Variables;
    expect(Object.keys(variables).includes("TABLE_NAME")).toBe(
      spec.table !== undefined || spec.scansTable === true,
    );
    expect(Object.keys(variables).includes("PUBLIC_API_URL")).toBe(spec.linksToApi === true);
    expect(Object.keys(variables).includes("EVENT_BUS_NAME")).toBe(spec.publishesEvents === true);
    expect(Object.keys(variables).includes("SES_CONFIGURATION_SET")).toBe(spec.sendsEmail === true);
    expect(Object.keys(variables).includes("SENDER_ADDRESS")).toBe(spec.sendsEmail === true);
    // The secret's ARN only: the handler fetches the value at cold start (test/infra/function-environment.test.ts).
    expect(Object.keys(variables).includes("SIGNING_SECRET_ARN")).toBe(spec.signsTokens === true);
  });
});

describe("table scans", () => {
  it("only the analytics job and the grant runner may Scan, and only the table itself (not an index)", () => {
    const table = `<${logicalId(stack.stateful.table)}.Arn>`;
    const scans = functionSpecs.flatMap((spec) =>
      grantsOf(spec.name)
        .filter((grant) => grant.action === "dynamodb:Scan")
        .map((grant) => `${spec.name} ${grant.resource}`),
    );
    expect(scans).toEqual([`analytics-job ${table}`, `grant-runner ${table}`]);
  });
});

describe("function runtime settings", () => {
  it.each(functionSpecs.map((spec) => spec.name))(
    "%s runs Node 22 on ARM64 with Powertools settings, no runtime source maps and a retained log group",
    (name) => {
      const resources = template.toJSON().Resources;
      const props = resources[logicalId(fnOf(name))].Properties;
      expect(props.Runtime).toBe("nodejs22.x");
      expect(props.Architectures).toEqual(["arm64"]);
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: "patron",
        POWERTOOLS_METRICS_NAMESPACE: "Patron",
      });
      // --enable-source-maps costs CPU on every cold start; the maps stay in the asset for offline use.
      expect(props.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      const logGroupId = logicalId(fnOf(name).logGroup);
      expect(props.LoggingConfig.LogGroup).toEqual({ Ref: logGroupId });
      expect(resources[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    },
  );
});

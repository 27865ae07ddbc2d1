import { beforeAll, describe, expect, it } from "vitest";
import { erasureBoundDays, parseDataRetention } from "../../infra/data-retention";
import { SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

// An erasure cannot reach the bus archive or CloudWatch logs; their retention is configurable and bounds how
// long an erased member's PII can outlive the erasure (stated as the ErasureBoundDays output).

type Resource = { Type: string; Properties: Record<string, unknown>; id?: string };

let resources: Resource[];
let outputs: Record<string, { Value: unknown }>;
beforeAll(() => {
  const { template } = synthPatron({ dataRetention: { archiveDays: 21, logDays: "30" } });
  const json = template.toJSON() as {
    Resources: Record<string, Resource>;
    Outputs: Record<string, { Value: unknown }>;
  };
  resources = Object.entries(json.Resources).map(([id, r]) => ({ ...r, id }));
  outputs = json.Outputs;
}, SYNTH_TIMEOUT_MS);

describe("data retention", () => {
  it("keeps archived events and every log group for the configured days, and states the erasure bound", () => {
    const archives = resources.filter((r) => r.Type === "AWS::Events::Archive");
    expect(archives.map((a) => a.Properties.RetentionDays)).toEqual([21]);
    // Every log group but the console upload's (CDK's BucketDeployment: it logs file copies, never member data).
    const logGroups = resources.filter(
      (r) => r.Type === "AWS::Logs::LogGroup" && !r.id?.startsWith("CustomCDKBucketDeployment"),
    );
    expect(logGroups.length).toBeGreaterThan(5);
    const otherwise = logGroups.filter((group) => group.Properties.RetentionInDays !== 30);
    expect(otherwise.map((group) => group.id)).toEqual([]);
    // Point-in-time recovery's 35 days outlast both.
    expect(outputs.ErasureBoundDays?.Value).toBe("35");
  });

  it("defaults by environment and refuses values CloudWatch or EventBridge would not take", () => {
    expect(parseDataRetention(undefined, true)).toEqual({ archiveDays: 90, logDays: 90 });
    expect(parseDataRetention({}, false)).toEqual({ archiveDays: 14, logDays: 14 });
    expect(erasureBoundDays(parseDataRetention({ archiveDays: 400 }, true))).toBe(400);
    expect(() => parseDataRetention({ logDays: 10 }, false)).toThrow(/logRetentionDays/);
    expect(() => parseDataRetention({ archiveDays: 0 }, false)).toThrow(/archiveRetentionDays/);
    expect(() => parseDataRetention({ archiveDays: "a week" }, false)).toThrow(/whole number/);
  });
});

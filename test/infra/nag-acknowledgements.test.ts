import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { SYNTH_TIMEOUT_MS, synthPatron } from "./synth-patron";

/*
 * Synthesizes with acknowledgements recorded but not applied: then the findings cdk-nag reports
 * must be exactly the acknowledged ones. No stale or over-broad acknowledgement survives, and each
 * one carries a real reason.
 */

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

interface Finding {
  readonly path: string;
  readonly id: string;
}

const acknowledgements: Acknowledgement[] = [];
let findings: Finding[] = [];

beforeAll(() => {
  const spy = vi.spyOn(Validations.prototype, "acknowledge").mockImplementation(function (
    this: Validations,
    ...rules
  ) {
    const scope = (this as unknown as { scope: IConstruct }).scope;
    for (const rule of rules)
      acknowledgements.push({ path: scope.node.path, id: rule.id, reason: rule.reason });
  });
  try {
    const { app } = synthPatron();
    findings = new AwsSolutionsChecks().validateScope(app).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        path: resource.constructPath ?? `<no construct path: ${resource.resourceLogicalId}>`,
        id: violation.ruleName,
      })),
    );
  } finally {
    spy.mockRestore();
  }
}, SYNTH_TIMEOUT_MS);

const covers = (ack: Acknowledgement, finding: Finding) =>
  ack.id === finding.id && finding.path.startsWith(`${ack.path}/`);

describe("cdk-nag acknowledgements", () => {
  it("exist (the app has deliberate exceptions)", () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
  });

  it("each carry a reason of at least a sentence", () => {
    for (const ack of acknowledgements) {
      expect(ack.reason.trim().length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
    }
  });

  it("each suppress a finding cdk-nag really reports on that construct", () => {
    for (const ack of acknowledgements) {
      expect(
        findings.some((finding) => covers(ack, finding)),
        `${ack.id} at ${ack.path}`,
      ).toBe(true);
    }
  });

  it("cover every finding", () => {
    for (const finding of findings) {
      expect(
        acknowledgements.some((ack) => covers(ack, finding)),
        `${finding.id} at ${finding.path}`,
      ).toBe(true);
    }
  });
});

import { type RetentionConfigInput, retentionConfigSchema } from "../../../domain/retention/retention-config";
import { newRetentionState, type RetentionState } from "../../../domain/retention/retention-state";
import type { MemberFacts } from "../../../domain/retention/triggers";

export function config(input: RetentionConfigInput = {}) {
  return retentionConfigSchema.parse(input);
}

export function retention(overrides: Partial<RetentionState> = {}): RetentionState {
  return { ...newRetentionState("2025-01-01"), ...overrides };
}

export function facts(overrides: Partial<MemberFacts> = {}): MemberFacts {
  return {
    memberId: "m-1",
    retention: retention(),
    spendablePoints: 0,
    expiries: [],
    ...overrides,
  };
}

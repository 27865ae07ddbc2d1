import { describe, expect, it } from "vitest";
import * as z from "zod";
import { defaultRetentionConfig, retentionConfigSchema } from "../../../domain/retention/retention-config";

function issues(input: unknown): string[] {
  const result = retentionConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

/** Every property of every object in the JSON Schema, with its path. */
function properties(schema: Record<string, unknown>, path = ""): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, child] of Object.entries(props)) {
    out.push([`${path}${name}`, child]);
    out.push(...properties(child, `${path}${name}.`));
    const items = child.items as Record<string, unknown> | undefined;
    if (items) out.push(...properties(items, `${path}${name}[].`));
  }
  return out;
}

describe("retention config", () => {
  it("is complete from {} and the defaults are the documented ones", () => {
    expect(retentionConfigSchema.parse({})).toEqual(defaultRetentionConfig);
    expect(defaultRetentionConfig.messaging.frequencyCap).toEqual({ maxMessages: 1, perDays: 7 });
    expect(defaultRetentionConfig.triggers.winBack.steps.map((s) => s.afterDays)).toEqual([0, 14, 30]);
    expect(defaultRetentionConfig.holdout.appliesTo).toEqual(["at-risk-nudge", "win-back"]);
    expect(defaultRetentionConfig.dueBuckets.shards).toBe(16);
  });

  it("keeps nested defaults when a marketer sets one field", () => {
    const parsed = retentionConfigSchema.parse({ triggers: { winBack: { endAfterDays: 10 } } });
    expect(parsed.triggers.winBack.steps).toHaveLength(3);
    expect(parsed.triggers.winBack.endAfterDays).toBe(10);
    expect(parsed.triggers.birthday.enabled).toBe(true);
  });

  it("describes every field for the marketer's editor", () => {
    const json = z.toJSONSchema(retentionConfigSchema, { io: "input" }) as Record<string, unknown>;
    const fields = properties(json);
    expect(fields.length).toBeGreaterThan(50);
    expect(fields.filter(([, s]) => typeof s.description !== "string").map(([p]) => p)).toEqual([]);
  });

  it("names the field and the reason for bad input", () => {
    expect(issues({ lifecycle: { atRiskFactor: 3, lapsedFactor: 2 } })).toEqual([
      "lifecycle.lapsedFactor: lapsedFactor must be greater than atRiskFactor",
    ]);
    expect(issues({ triggers: { winBack: { steps: [{ afterDays: 5 }, { afterDays: 5 }] } } })).toEqual([
      "triggers.winBack.steps: win-back steps must have strictly increasing afterDays",
    ]);
    expect(issues({ messaging: { defaultTimeZone: "Mars/Olympus" } })).toEqual([
      "messaging.defaultTimeZone: must be an IANA time zone such as Europe/Berlin",
    ]);
    expect(issues({ messaging: { quietHours: { startHour: 8, endHour: 8 } } })).toEqual([
      "messaging.quietHours.endHour: quiet hours need different start and end hours",
    ]);
    expect(
      issues({ offers: { catalogue: [{ id: "half", kind: "percent-off", value: 95 }] } }).map(
        (i) => i.split(":")[0],
      ),
    ).toEqual(["offers.catalogue.0.value"]);
    expect(
      issues({ triggers: { winBack: { steps: Array.from({ length: 7 }, (_, i) => ({ afterDays: i })) } } }),
    ).toHaveLength(1);
    expect(issues({ holdout: { percent: 80 } })[0]).toMatch(/^holdout\.percent: /);
    expect(issues({ unknown: true })[0]).toMatch(/unknown/i);
  });

  it("checks that the service-recovery gesture is a catalogue offer every member may get", () => {
    const catalogue = [
      { id: "sorry", kind: "bonus-points", value: 300, triggers: ["service-recovery"] },
      { id: "bday", kind: "bonus-points", value: 100, triggers: ["birthday"] },
      { id: "vip", kind: "amount-off", value: 500, segments: ["champions"] },
    ];
    const gesture = (id: string) =>
      issues({ offers: { catalogue }, triggers: { serviceRecovery: { gestureOfferId: id } } });
    expect(gesture("sorry")).toEqual([]);
    const at = "triggers.serviceRecovery.gestureOfferId";
    expect(gesture("missing")).toEqual([`${at}: offer "missing" is not in offers.catalogue`]);
    expect(gesture("bday")).toEqual([
      `${at}: offer "bday" may only carry birthday; add "service-recovery" to its triggers`,
    ]);
    expect(gesture("vip")).toEqual([
      `${at}: offer "vip" is limited to some segments, categories or win-back steps; the gesture must suit every member`,
    ]);
    expect(gesture("Not A Slug")[0]).toMatch(new RegExp(`^${at}: `));
  });
});

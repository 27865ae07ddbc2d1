import { describe, expect, it } from "vitest";
import { profileView } from "../../../functions/retention/profile-view";

describe("profile view: the member's quiet hours", () => {
  it("reads HH:MM quiet hours as minutes of the day", () => {
    expect(profileView({ quietHours: { start: "22:30", end: "07:15" } }).quietHours).toEqual({
      startMinute: 22 * 60 + 30,
      endMinute: 7 * 60 + 15,
    });
    expect(profileView({ quietHours: { start: "00:00", end: "23:59" } }).quietHours).toEqual({
      startMinute: 0,
      endMinute: 23 * 60 + 59,
    });
  });

  it("keeps a window whose start equals its end (it holds nothing back)", () => {
    expect(profileView({ quietHours: { start: "22:00", end: "22:00" } }).quietHours).toEqual({
      startMinute: 22 * 60,
      endMinute: 22 * 60,
    });
  });

  it("ignores no preference and anything that is not two valid HH:MM strings", () => {
    for (const quietHours of [
      undefined,
      null,
      "22:00-07:00",
      22,
      [],
      {},
      { start: "22:00" },
      { start: "22:00", end: null },
      { start: "7:00", end: "08:00" },
      { start: "24:00", end: "07:00" },
      { start: "22:60", end: "07:00" },
      { start: "22:00", end: "07:00:00" },
      { start: 1320, end: 420 },
      { startHour: 22, endHour: 7 },
    ])
      expect(profileView({ quietHours })).not.toHaveProperty("quietHours");
    expect(profileView(undefined)).not.toHaveProperty("quietHours");
  });
});

describe("profile view: undeliverable marks", () => {
  const profile = (email: string, marks: Record<string, unknown>) => profileView({ email, ...marks });

  it("applies a mark SES made for an address only while the member still has that address", () => {
    const bounced = { emailBounced: "old@example.com" };
    expect(profile("old@example.com", bounced).bounced).toBe(true);
    expect(profile("Old@Example.com", bounced).bounced).toBe(true);
    expect(profile("new@example.com", bounced).bounced).toBe(false);
    expect(profile("new@example.com", { emailComplained: "old@example.com" }).complained).toBe(false);
    expect(profile("new@example.com", { emailSuppressed: "new@example.com" }).suppressed).toBe(true);
  });

  it("applies a mark set by hand (true) to any address", () => {
    const marks = { emailBounced: true, emailComplained: true, emailSuppressed: true };
    expect(profile("any@example.com", marks)).toMatchObject({
      bounced: true,
      complained: true,
      suppressed: true,
    });
  });
});

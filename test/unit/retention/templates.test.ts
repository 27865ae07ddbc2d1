import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  languageOf,
  type MessageInput,
  renderMessage,
} from "../../../domain/messaging/templates";
import { unsubscribeHeaders } from "../../../domain/messaging/unsubscribe";
import { type Branding, brandingSchema } from "../../../domain/program/branding-schema";
import type { TriggerDetails } from "../../../domain/retention/triggers";

const url = "https://loyalty.example.com/u/abc123?sig=x&y=1";
const branding: Branding = brandingSchema.parse({
  displayName: "Corner",
  postalAddress: "Corner Ltd\n1 High Street, Bath BA1 1AA",
  supportContact: "help@corner.example",
  shopUrl: "https://shop.corner.example/",
});

function message(details: TriggerDetails, overrides: Partial<MessageInput> = {}): MessageInput {
  return {
    trigger: {
      kind: details.family === "win-back" ? `win-back-step-${details.step}` : details.family,
      details,
    },
    locale: "en",
    programName: "Corner Rewards",
    currency: "EUR",
    minorUnitsPerMajor: 100,
    member: {
      firstName: "Ada",
      tierName: "Gold",
      points: 12_345,
      nextTier: { name: "Platinum", pointsToGo: 1_655 },
      expiring: { points: 250, expiresOn: "2025-07-01" },
    },
    unsubscribeUrl: url,
    branding,
    ...overrides,
  };
}

const tierWarning: TriggerDetails = {
  family: "tier-downgrade-warning",
  tierId: "gold",
  keepsUntil: "2026-01-01",
  metric: "spendMinor",
  shortfall: 8_050,
};

describe("message templates", () => {
  it("renders an English tier warning with the member's facts, the offer and the unsubscribe link", () => {
    const out = renderMessage(
      message(tierWarning, {
        offer: {
          offer: {
            id: "ten",
            kind: "percent-off",
            value: 10,
            minSpendMinor: 0,
            segments: [],
            categories: [],
            triggers: [],
          },
          costMinor: 300,
          budgetMinor: 400,
        },
      }),
    );
    expect(out.language).toBe("en");
    expect(out.subject).toBe("Keep your Gold status");
    expect(out.text).toBe(
      [
        "Hi Ada,",
        "",
        "Spend €80.50 before January 1, 2026 to keep your Gold status.",
        "",
        "Your offer: 10% off your next order",
        "",
        "Shop now: https://shop.corner.example/",
        "",
        "Your status: Gold, 12,345 points",
        "1,655 more points to reach Platinum",
        "250 points expire on July 1, 2025",
        "",
        "--",
        "You receive this e-mail as a member of Corner Rewards.",
        "Corner Ltd",
        "1 High Street, Bath BA1 1AA",
        "Questions? Contact us: help@corner.example",
        `Unsubscribe: ${url}`,
        "",
      ].join("\n"),
    );
    expect(out.html).toMatch(
      /<a href="https:\/\/loyalty\.example\.com\/u\/abc123\?sig=x&amp;y=1" style="[^"]*">Unsubscribe<\/a>/,
    );
    expect(out.html).toContain(">1,655 more points to reach Platinum</div>");
    expect(out.html).toContain(">Corner Ltd, 1 High Street, Bath BA1 1AA</div>");
    expect(out.html).toContain('href="mailto:help@corner.example"');
    expect(out.warnings).toEqual([]);
  });

  it("renders German with German number, money and date formats, and falls back to English", () => {
    const out = renderMessage(message(tierWarning, { locale: "de-AT" }));
    expect(out.language).toBe("de");
    expect(out.subject).toBe("Behalten Sie Ihren Gold-Status");
    // Intl separates the currency sign with a no-break space.
    expect(out.text).toContain("Kaufen Sie vor dem 1. Jänner 2026 für €\u00a080,50 ein");
    expect(out.text).toContain("Ihr Status: Gold, 12\u00a0345 Punkte"); // Austrian grouping
    const de = renderMessage(
      message({ family: "points-expiring", points: 1_200, expiresOn: "2025-07-01" }, { locale: "de" }),
    );
    expect(de.subject).toBe("1.200 Punkte verfallen am 1. Juli 2025");
    expect(
      renderMessage(message({ family: "birthday", birthdayOn: "2025-03-01" }, { locale: "fr-FR" })).language,
    ).toBe("en");
    expect(languageOf(undefined)).toBe("en");
    expect(languageOf("DE_ch")).toBe("de");
  });

  it("has wording for every trigger in every language", () => {
    const all: TriggerDetails[] = [
      { family: "at-risk-nudge" },
      { family: "win-back", step: 1, of: 3 },
      { family: "win-back", step: 3, of: 3 },
      { family: "points-expiring", points: 10, expiresOn: "2025-07-01" },
      tierWarning,
      { ...tierWarning, metric: "statusPoints", shortfall: 40 } as TriggerDetails,
      { family: "service-recovery", complaintId: "c-1" },
      { family: "birthday", birthdayOn: "2025-03-01" },
      { family: "milestone", milestoneId: "ten-visits" },
    ];
    const subjects = new Set<string>();
    for (const locale of ["en", "de"]) {
      for (const d of all) {
        const out = renderMessage(message(d, { locale, milestoneName: "10 visits" }));
        expect(out.subject.length).toBeGreaterThan(5);
        expect(out.text).toContain(url);
        subjects.add(out.subject);
      }
    }
    expect(subjects.size).toBeGreaterThanOrEqual(14);
    expect(renderMessage(message({ family: "win-back", step: 3, of: 3 })).subject).toBe(
      "Last chance: your offer from Corner Rewards",
    );
  });

  it("the service-recovery apology does not claim the case is solved: it goes out when a case opens", () => {
    for (const locale of ["en", "de"]) {
      const out = renderMessage(message({ family: "service-recovery", complaintId: "c-1" }, { locale }));
      expect(out.text).not.toMatch(/resolved|gelöst/);
      expect(out.text).toMatch(/sorry|leid/);
    }
  });

  it("escapes every member-provided value in the HTML", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, tier) => {
        const evil = `<script>alert(1)</script>${name}`;
        const out = renderMessage(
          message(
            { family: "birthday", birthdayOn: "2025-03-01" },
            {
              member: { firstName: evil, tierName: `"${tier}'<b>`, points: 1 },
              programName: "<img src=x onerror=alert(1)>",
            },
          ),
        );
        expect(out.html).not.toContain("<script>");
        expect(out.html).not.toContain("<img");
        expect(out.html).not.toContain("<b>");
        expect(out.html).toContain(escapeHtml(evil));
        expect(
          renderMessage(
            message(
              { family: "birthday", birthdayOn: "2025-03-01" },
              { member: { firstName: evil, tierName: tier, points: 1 } },
            ),
          ),
        ).toEqual(
          renderMessage(
            message(
              { family: "birthday", birthdayOn: "2025-03-01" },
              { member: { firstName: evil, tierName: tier, points: 1 } },
            ),
          ),
        );
      }),
      { numRuns: 50 },
    );
  });

  it("requires an https one-click unsubscribe URL and builds the RFC 8058 headers", () => {
    expect(unsubscribeHeaders(url)).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(() => unsubscribeHeaders("http://x.example/u")).toThrow(/^unsubscribeUrl: must use https/);
    expect(() =>
      renderMessage(message({ family: "at-risk-nudge" }, { unsubscribeUrl: "mailto:x@example.com" })),
    ).toThrow(/^unsubscribeUrl: /);
    expect(() => unsubscribeHeaders("not a url")).toThrow(/^unsubscribeUrl: must be an absolute URL/);
  });
});

// The wording of every retention e-mail, per language. Values arrive already formatted for the locale; the
// renderer escapes them for HTML, so these strings stay plain text.
import type { TriggerDetails } from "../retention/triggers";

export type Language = "en" | "de";

export interface Wording {
  greeting: (name: string | undefined) => string;
  subject: (details: TriggerDetails, v: Values) => string;
  body: (details: TriggerDetails, v: Values) => string;
  status: (tier: string, points: string) => string;
  toNextTier: (points: string, tier: string) => string;
  expiring: (points: string, date: string) => string;
  offerLabel: string;
  offer: {
    "percent-off": (v: string) => string;
    "amount-off": (v: string) => string;
    "bonus-points": (v: string) => string;
    /** `v`: the catalogue reward's name, with its copies when more than one. */
    reward: (v: string) => string;
  };
  footer: (program: string) => string;
  unsubscribe: string;
  /** Label of the call-to-action button (it opens the shop). */
  cta: (details: TriggerDetails) => string;
  codeLabel: string;
  validUntil: (date: string) => string;
  supportLabel: string;
}

/** Formatted values a message may mention. */
export interface Values {
  program: string;
  tier: string;
  points: string;
  date: string;
  amount: string;
  milestone: string;
  step: number;
  of: number;
}

const en: Wording = {
  greeting: (name) => (name ? `Hi ${name},` : "Hi there,"),
  subject: (d, v) => {
    switch (d.family) {
      case "at-risk-nudge":
        return `We miss you at ${v.program}`;
      case "win-back":
        return v.step === v.of ? `Last chance: your offer from ${v.program}` : `Come back to ${v.program}`;
      case "points-expiring":
        return `${v.points} points expire on ${v.date}`;
      case "tier-downgrade-warning":
        return `Keep your ${v.tier} status`;
      case "service-recovery":
        return "Thank you for your patience";
      case "birthday":
        return `Happy birthday from ${v.program}!`;
      case "milestone":
        return `You reached a milestone at ${v.program}`;
    }
  },
  body: (d, v) => {
    switch (d.family) {
      case "at-risk-nudge":
        return "It has been a while since your last visit. Here is something to welcome you back.";
      case "win-back":
        return "We would love to see you again, so we have put something aside for you.";
      case "points-expiring":
        return `${v.points} of your points expire on ${v.date}. Use them before then.`;
      case "tier-downgrade-warning":
        return d.metric === "spendMinor"
          ? `Spend ${v.amount} before ${v.date} to keep your ${v.tier} status.`
          : `Collect ${v.amount} more status points before ${v.date} to keep your ${v.tier} status.`;
      case "service-recovery":
        return "We are sorry about the trouble you had with us, and we want to make it right. Please accept this with our thanks for your patience.";
      case "birthday":
        return "Happy birthday! Here is a gift to celebrate with us.";
      case "milestone":
        return `Congratulations on reaching ${v.milestone}!`;
    }
  },
  status: (tier, points) => `Your status: ${tier}, ${points} points`,
  toNextTier: (points, tier) => `${points} more points to reach ${tier}`,
  expiring: (points, date) => `${points} points expire on ${date}`,
  offerLabel: "Your offer",
  offer: {
    "percent-off": (v) => `${v}% off your next order`,
    "amount-off": (v) => `${v} off your next order`,
    "bonus-points": (v) => `${v} bonus points on your next order`,
    reward: (v) => `${v}, unlocked with your next order`,
  },
  footer: (program) => `You receive this e-mail as a member of ${program}.`,
  unsubscribe: "Unsubscribe",
  cta: (d) => (d.family === "points-expiring" ? "Use your points" : "Shop now"),
  codeLabel: "Your code",
  validUntil: (date) => `Valid until ${date}`,
  supportLabel: "Questions? Contact us:",
};

const de: Wording = {
  greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
  subject: (d, v) => {
    switch (d.family) {
      case "at-risk-nudge":
        return `Wir vermissen Sie bei ${v.program}`;
      case "win-back":
        return v.step === v.of
          ? `Letzte Chance: Ihr Angebot von ${v.program}`
          : `Kommen Sie zurück zu ${v.program}`;
      case "points-expiring":
        return `${v.points} Punkte verfallen am ${v.date}`;
      case "tier-downgrade-warning":
        return `Behalten Sie Ihren ${v.tier}-Status`;
      case "service-recovery":
        return "Danke für Ihre Geduld";
      case "birthday":
        return `Alles Gute zum Geburtstag von ${v.program}!`;
      case "milestone":
        return `Sie haben einen Meilenstein bei ${v.program} erreicht`;
    }
  },
  body: (d, v) => {
    switch (d.family) {
      case "at-risk-nudge":
        return "Ihr letzter Besuch ist eine Weile her. Als Willkommensgruß haben wir etwas für Sie.";
      case "win-back":
        return "Wir würden uns freuen, Sie wiederzusehen, und haben etwas für Sie reserviert.";
      case "points-expiring":
        return `${v.points} Ihrer Punkte verfallen am ${v.date}. Lösen Sie sie vorher ein.`;
      case "tier-downgrade-warning":
        return d.metric === "spendMinor"
          ? `Kaufen Sie vor dem ${v.date} für ${v.amount} ein, um Ihren ${v.tier}-Status zu behalten.`
          : `Sammeln Sie vor dem ${v.date} noch ${v.amount} Statuspunkte, um Ihren ${v.tier}-Status zu behalten.`;
      case "service-recovery":
        return "Es tut uns leid, dass Sie Ärger mit uns hatten, und wir möchten es wiedergutmachen. Bitte nehmen Sie dies als Dank für Ihre Geduld an.";
      case "birthday":
        return "Alles Gute zum Geburtstag! Feiern Sie mit diesem Geschenk.";
      case "milestone":
        return `Herzlichen Glückwunsch zu ${v.milestone}!`;
    }
  },
  status: (tier, points) => `Ihr Status: ${tier}, ${points} Punkte`,
  toNextTier: (points, tier) => `Noch ${points} Punkte bis ${tier}`,
  expiring: (points, date) => `${points} Punkte verfallen am ${date}`,
  offerLabel: "Ihr Angebot",
  offer: {
    "percent-off": (v) => `${v} % Rabatt auf Ihren nächsten Einkauf`,
    "amount-off": (v) => `${v} Rabatt auf Ihren nächsten Einkauf`,
    "bonus-points": (v) => `${v} Bonuspunkte auf Ihren nächsten Einkauf`,
    reward: (v) => `${v}, freigeschaltet mit Ihrem nächsten Einkauf`,
  },
  footer: (program) => `Sie erhalten diese E-Mail als Mitglied von ${program}.`,
  unsubscribe: "Abmelden",
  cta: (d) => (d.family === "points-expiring" ? "Punkte einlösen" : "Jetzt einkaufen"),
  codeLabel: "Ihr Code",
  validUntil: (date) => `Gültig bis ${date}`,
  supportLabel: "Fragen? Kontaktieren Sie uns:",
};

export const WORDING: Readonly<Record<Language, Wording>> = { en, de };

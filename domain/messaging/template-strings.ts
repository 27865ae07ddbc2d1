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

/** The wording in `language`; every text holds its translations side by side, so none can lack one. */
function wording(language: Language): Wording {
  const say = <T>(texts: Record<Language, T>): T => texts[language];
  return {
    greeting: (name) =>
      say({ en: name ? `Hi ${name},` : "Hi there,", de: name ? `Hallo ${name},` : "Hallo," }),
    subject: (d, v) => {
      switch (d.family) {
        case "at-risk-nudge":
          return say({ en: `We miss you at ${v.program}`, de: `Wir vermissen Sie bei ${v.program}` });
        case "win-back":
          return v.step === v.of
            ? say({
                en: `Last chance: your offer from ${v.program}`,
                de: `Letzte Chance: Ihr Angebot von ${v.program}`,
              })
            : say({ en: `Come back to ${v.program}`, de: `Kommen Sie zurück zu ${v.program}` });
        case "points-expiring":
          return say({
            en: `${v.points} points expire on ${v.date}`,
            de: `${v.points} Punkte verfallen am ${v.date}`,
          });
        case "tier-downgrade-warning":
          return say({ en: `Keep your ${v.tier} status`, de: `Behalten Sie Ihren ${v.tier}-Status` });
        case "service-recovery":
          return say({ en: "Thank you for your patience", de: "Danke für Ihre Geduld" });
        case "birthday":
          return say({
            en: `Happy birthday from ${v.program}!`,
            de: `Alles Gute zum Geburtstag von ${v.program}!`,
          });
        case "milestone":
          return say({
            en: `You reached a milestone at ${v.program}`,
            de: `Sie haben einen Meilenstein bei ${v.program} erreicht`,
          });
      }
    },
    body: (d, v) => {
      switch (d.family) {
        case "at-risk-nudge":
          return say({
            en: "It has been a while since your last visit. Here is something to welcome you back.",
            de: "Ihr letzter Besuch ist eine Weile her. Als Willkommensgruß haben wir etwas für Sie.",
          });
        case "win-back":
          return say({
            en: "We would love to see you again, so we have put something aside for you.",
            de: "Wir würden uns freuen, Sie wiederzusehen, und haben etwas für Sie reserviert.",
          });
        case "points-expiring":
          return say({
            en: `${v.points} of your points expire on ${v.date}. Use them before then.`,
            de: `${v.points} Ihrer Punkte verfallen am ${v.date}. Lösen Sie sie vorher ein.`,
          });
        case "tier-downgrade-warning":
          return d.metric === "spendMinor"
            ? say({
                en: `Spend ${v.amount} before ${v.date} to keep your ${v.tier} status.`,
                de: `Kaufen Sie vor dem ${v.date} für ${v.amount} ein, um Ihren ${v.tier}-Status zu behalten.`,
              })
            : say({
                en: `Collect ${v.amount} more status points before ${v.date} to keep your ${v.tier} status.`,
                de: `Sammeln Sie vor dem ${v.date} noch ${v.amount} Statuspunkte, um Ihren ${v.tier}-Status zu behalten.`,
              });
        case "service-recovery":
          return say({
            en: "We are sorry about the trouble you had with us, and we want to make it right. Please accept this with our thanks for your patience.",
            de: "Es tut uns leid, dass Sie Ärger mit uns hatten, und wir möchten es wiedergutmachen. Bitte nehmen Sie dies als Dank für Ihre Geduld an.",
          });
        case "birthday":
          return say({
            en: "Happy birthday! Here is a gift to celebrate with us.",
            de: "Alles Gute zum Geburtstag! Feiern Sie mit diesem Geschenk.",
          });
        case "milestone":
          return say({
            en: `Congratulations on reaching ${v.milestone}!`,
            de: `Herzlichen Glückwunsch zu ${v.milestone}!`,
          });
      }
    },
    status: (tier, points) =>
      say({ en: `Your status: ${tier}, ${points} points`, de: `Ihr Status: ${tier}, ${points} Punkte` }),
    toNextTier: (points, tier) =>
      say({ en: `${points} more points to reach ${tier}`, de: `Noch ${points} Punkte bis ${tier}` }),
    expiring: (points, date) =>
      say({ en: `${points} points expire on ${date}`, de: `${points} Punkte verfallen am ${date}` }),
    offerLabel: say({ en: "Your offer", de: "Ihr Angebot" }),
    offer: {
      "percent-off": (v) =>
        say({ en: `${v}% off your next order`, de: `${v} % Rabatt auf Ihren nächsten Einkauf` }),
      "amount-off": (v) =>
        say({ en: `${v} off your next order`, de: `${v} Rabatt auf Ihren nächsten Einkauf` }),
      "bonus-points": (v) =>
        say({
          en: `${v} bonus points on your next order`,
          de: `${v} Bonuspunkte auf Ihren nächsten Einkauf`,
        }),
      reward: (v) =>
        say({
          en: `${v}, unlocked with your next order`,
          de: `${v}, freigeschaltet mit Ihrem nächsten Einkauf`,
        }),
    },
    footer: (program) =>
      say({
        en: `You receive this e-mail as a member of ${program}.`,
        de: `Sie erhalten diese E-Mail als Mitglied von ${program}.`,
      }),
    unsubscribe: say({ en: "Unsubscribe", de: "Abmelden" }),
    cta: (d) =>
      d.family === "points-expiring"
        ? say({ en: "Use your points", de: "Punkte einlösen" })
        : say({ en: "Shop now", de: "Jetzt einkaufen" }),
    codeLabel: say({ en: "Your code", de: "Ihr Code" }),
    validUntil: (date) => say({ en: `Valid until ${date}`, de: `Gültig bis ${date}` }),
    supportLabel: say({ en: "Questions? Contact us:", de: "Fragen? Kontaktieren Sie uns:" }),
  };
}

export const WORDING: Readonly<Record<Language, Wording>> = { en: wording("en"), de: wording("de") };

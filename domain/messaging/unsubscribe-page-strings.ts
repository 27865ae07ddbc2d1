// The wording of the pages a person sees after following the unsubscribe link in an e-mail, in the languages
// the e-mails are written in. Plain text: the renderer escapes it for HTML.
import type { ConsentChannel } from "../member/profile-facts";
import type { Language } from "./template-strings";

export interface UnsubscribePageWording {
  /** What the member stops (or starts again) receiving, e.g. "marketing e-mails". */
  channel: Record<ConsentChannel, string>;
  /** Who sends them: the program's name, or a plain "us" when none is in effect. */
  sender: (program: string | undefined) => string;
  confirm: {
    title: (sender: string) => string;
    heading: string;
    text: (what: string, sender: string) => string;
    button: string;
  };
  unsubscribed: {
    heading: string;
    text: (what: string, sender: string) => string;
    again: string;
    button: string;
  };
  resubscribed: { heading: string; text: (what: string, sender: string) => string; button: string };
  invalid: { heading: string; text: string };
}

const en: UnsubscribePageWording = {
  channel: {
    email: "marketing e-mails",
    sms: "marketing text messages",
    push: "marketing push notifications",
  },
  sender: (program) => program ?? "us",
  confirm: {
    title: (sender) => `Unsubscribe from ${sender}`,
    heading: "Unsubscribe?",
    text: (what, sender) =>
      `You will no longer receive ${what} from ${sender}. Your membership and your points stay as they are.`,
    button: "Unsubscribe",
  },
  unsubscribed: {
    heading: "You are unsubscribed",
    text: (what, sender) => `You will no longer receive ${what} from ${sender}.`,
    again: "Changed your mind?",
    button: "Re-subscribe",
  },
  resubscribed: {
    heading: "You are subscribed again",
    text: (what, sender) => `You will receive ${what} from ${sender} again.`,
    button: "Unsubscribe",
  },
  invalid: {
    heading: "This link does not work",
    text: "The link is incomplete or no longer valid. Please use the link in a recent e-mail, or change your preferences in the app.",
  },
};

const de: UnsubscribePageWording = {
  channel: {
    email: "Werbe-E-Mails",
    sms: "Werbe-SMS",
    push: "Werbe-Push-Benachrichtigungen",
  },
  sender: (program) => program ?? "uns",
  confirm: {
    title: (sender) => `Abmelden von ${sender}`,
    heading: "Abmelden?",
    text: (what, sender) =>
      `Sie erhalten dann keine ${what} mehr von ${sender}. Ihre Mitgliedschaft und Ihre Punkte bleiben erhalten.`,
    button: "Abmelden",
  },
  unsubscribed: {
    heading: "Sie sind abgemeldet",
    text: (what, sender) => `Sie erhalten keine ${what} mehr von ${sender}.`,
    again: "Doch anders entschieden?",
    button: "Wieder anmelden",
  },
  resubscribed: {
    heading: "Sie sind wieder angemeldet",
    text: (what, sender) => `Sie erhalten wieder ${what} von ${sender}.`,
    button: "Abmelden",
  },
  invalid: {
    heading: "Dieser Link funktioniert nicht",
    text: "Der Link ist unvollständig oder nicht mehr gültig. Bitte verwenden Sie den Link aus einer aktuellen E-Mail oder ändern Sie Ihre Einstellungen in der App.",
  },
};

export const UNSUBSCRIBE_PAGE_WORDING: Readonly<Record<Language, UnsubscribePageWording>> = { en, de };

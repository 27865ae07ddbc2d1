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

/** The wording in `language`; every text holds its translations side by side, so none can lack one. */
function wording(language: Language): UnsubscribePageWording {
  const say = <T>(texts: Record<Language, T>): T => texts[language];
  return {
    channel: {
      email: say({ en: "marketing e-mails", de: "Werbe-E-Mails" }),
      sms: say({ en: "marketing text messages", de: "Werbe-SMS" }),
      push: say({ en: "marketing push notifications", de: "Werbe-Push-Benachrichtigungen" }),
    },
    sender: (program) => program ?? say({ en: "us", de: "uns" }),
    confirm: {
      title: (sender) => say({ en: `Unsubscribe from ${sender}`, de: `Abmelden von ${sender}` }),
      heading: say({ en: "Unsubscribe?", de: "Abmelden?" }),
      text: (what, sender) =>
        say({
          en: `You will no longer receive ${what} from ${sender}. Your membership and your points stay as they are.`,
          de: `Sie erhalten dann keine ${what} mehr von ${sender}. Ihre Mitgliedschaft und Ihre Punkte bleiben erhalten.`,
        }),
      button: say({ en: "Unsubscribe", de: "Abmelden" }),
    },
    unsubscribed: {
      heading: say({ en: "You are unsubscribed", de: "Sie sind abgemeldet" }),
      text: (what, sender) =>
        say({
          en: `You will no longer receive ${what} from ${sender}.`,
          de: `Sie erhalten keine ${what} mehr von ${sender}.`,
        }),
      again: say({ en: "Changed your mind?", de: "Doch anders entschieden?" }),
      button: say({ en: "Re-subscribe", de: "Wieder anmelden" }),
    },
    resubscribed: {
      heading: say({ en: "You are subscribed again", de: "Sie sind wieder angemeldet" }),
      text: (what, sender) =>
        say({
          en: `You will receive ${what} from ${sender} again.`,
          de: `Sie erhalten wieder ${what} von ${sender}.`,
        }),
      button: say({ en: "Unsubscribe", de: "Abmelden" }),
    },
    invalid: {
      heading: say({ en: "This link does not work", de: "Dieser Link funktioniert nicht" }),
      text: say({
        en: "The link is incomplete or no longer valid. Please use the link in a recent e-mail, or change your preferences in the app.",
        de: "Der Link ist unvollständig oder nicht mehr gültig. Bitte verwenden Sie den Link aus einer aktuellen E-Mail oder ändern Sie Ihre Einstellungen in der App.",
      }),
    },
  };
}

export const UNSUBSCRIBE_PAGE_WORDING: Readonly<Record<Language, UnsubscribePageWording>> = {
  en: wording("en"),
  de: wording("de"),
};

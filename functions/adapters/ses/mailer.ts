import { SESv2Client, SESv2ServiceException, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { withoutSdkLogger } from "../../shared/sdk-logger";

// Sends one e-mail with SESv2 `SendEmail` (simple content, so SES builds the MIME message and adds our
// headers) through Patron's configuration set, whose bounce and complaint events reach ses-feedback. Each
// e-mail is tagged with ids only (never the address), so feedback can be matched without a PII lookup.

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers: Record<string, string>;
  /** Message tags; values are restricted to ASCII letters, digits, "_" and "-". */
  tags: Record<string, string>;
}

export type SendOutcome =
  | { status: "sent"; messageId: string }
  /** Throttled, paused or a transient failure: try again later. */
  | { status: "retry"; error: string }
  /** SES refused this message for good (bad address, rejected content). */
  | { status: "rejected"; error: string };

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendOutcome>;
}

const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/** Errors after which the same message can never succeed. */
const PERMANENT = new Set([
  "MessageRejected",
  "BadRequestException",
  "MailFromDomainNotVerifiedException",
  "NotFoundException",
]);

/** A tag value for any id: base64url keeps it inside SES's tag alphabet. */
export function tagValue(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function fromTagValue(value: string): string {
  return Buffer.from(value, "base64url").toString("utf8");
}

export function createSesMailer(options: {
  client: Pick<SESv2Client, "send">;
  senderAddress: string;
  configurationSetName?: string;
}): Mailer {
  return {
    async send(email) {
      for (const [name, value] of Object.entries(email.tags)) {
        if (!TAG_VALUE.test(name) || !TAG_VALUE.test(value))
          throw new Error(`tag ${name} is not a valid SES tag`);
      }
      try {
        const result = await options.client.send(
          new SendEmailCommand({
            FromEmailAddress: options.senderAddress,
            Destination: { ToAddresses: [email.to] },
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: "UTF-8" },
                Body: {
                  Text: { Data: email.text, Charset: "UTF-8" },
                  Html: { Data: email.html, Charset: "UTF-8" },
                },
                Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
              },
            },
            EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
            ...(options.configurationSetName && { ConfigurationSetName: options.configurationSetName }),
          }),
        );
        if (!result.MessageId) return { status: "retry", error: "SES answered without a MessageId" };
        return { status: "sent", messageId: result.MessageId };
      } catch (error) {
        const name = error instanceof SESv2ServiceException ? error.name : (error as Error).name;
        if (PERMANENT.has(name)) return { status: "rejected", error: name };
        // Throttling, sending paused, 5xx and network errors: the message is owed, not lost.
        return { status: "retry", error: name || "unknown error" };
      }
    },
  };
}

/** The SESv2 client; `endpoint` points it at aws-ses-v2-local. The SDK retries throttles a little itself. */
export function createSesClient(options: { endpoint?: string; region?: string } = {}): SESv2Client {
  return withoutSdkLogger(
    new SESv2Client({
      maxAttempts: 2,
      ...(options.region && { region: options.region }),
      ...(options.endpoint && {
        endpoint: options.endpoint,
        region: options.region ?? "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    }),
  );
}

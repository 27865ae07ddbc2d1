// How the program's e-mails look and whom they name: the retailer's name, logo and colours, the postal address
// and support contact in the footer, and the shop the call-to-action button opens. Every field has a default,
// so programs written before branding existed still parse (and render a plain, neutral e-mail).
import * as z from "zod";

/** An absolute https URL: host, optional port, optional path; stated as a pattern so the JSON Schema says it. */
const HTTPS_URL = /^https:\/\/[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?([/?#][^\s"<>]*)?$/;

const httpsUrl = (what: string) =>
  z
    .string()
    .max(500, { error: `${what} must be at most 500 characters` })
    .regex(HTTPS_URL, `${what} must be an absolute https URL`);

const hexColour = (what: string, fallback: string) =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, `${what} must be a hex colour such as #1f6feb`)
    .default(fallback)
    .describe(`${what} (#rrggbb)`);

export const brandingSchema = z
  .strictObject({
    displayName: z
      .string()
      .max(80, { error: "displayName must be at most 80 characters" })
      .default("")
      .describe("Brand name in the e-mail header (and the logo's alt text); empty: the program name"),
    logoUrl: httpsUrl("logoUrl")
      .optional()
      .describe("Logo shown in the e-mail header (https, ideally a 320 px wide PNG); none: the name as text"),
    primaryColor: hexColour("primaryColor", "#1f6feb").describe(
      "Colour of the button, the code and the accents; button text is black or white, whichever reads better",
    ),
    backgroundColor: hexColour("backgroundColor", "#f4f5f7").describe("Colour around the e-mail's card"),
    // US bulk-sender rules (CAN-SPAM) require a valid physical postal address in every commercial e-mail. It
    // is not required here because programs written before branding must keep parsing and sending; instead
    // an e-mail rendered without it reports the warning "postal-address-missing", which the e-mail preview
    // (POST /program/preview-email) and the console show, so the marketer sees it before members do.
    postalAddress: z
      .string()
      .trim()
      .max(300, { error: "postalAddress must be at most 300 characters" })
      .default("")
      .describe("Sender's postal address in the e-mail footer (one or more lines); required by US law"),
    supportContact: z
      .union(
        [
          z.email({ error: "supportContact must be an e-mail address or an https URL" }),
          httpsUrl("supportContact"),
        ],
        {
          error: "supportContact must be an e-mail address or an https URL",
        },
      )
      .optional()
      .describe("Where members get help: an e-mail address or an https URL, shown in the footer"),
    shopUrl: httpsUrl("shopUrl")
      .optional()
      .describe("Where the call-to-action button goes (the online shop); none: no button"),
  })
  .describe("Branding of the program's e-mails");

export type Branding = z.output<typeof brandingSchema>;
export type BrandingInput = z.input<typeof brandingSchema>;

// Compiles the retention e-mail's MJML layout (domain/messaging/email-layout.mjml) to the HTML skeleton the
// renderer fills, and writes it as data (domain/messaging/email-layout.json, read by email-layout-html.ts), so
// domain/ stays pure and MJML is needed at build time only. `npm run email:layout` after editing the layout;
// test/unit/messaging/email-layout.test.ts fails when the committed data and the layout drift apart. It is data,
// not code: MJML expands every mj-text into the same table scaffold, which nobody edits or reads as code.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import mjml from "mjml";

const root = join(import.meta.dirname, "..", "..");
export const LAYOUT_SOURCE = join(root, "domain", "messaging", "email-layout.mjml");
export const LAYOUT_DATA = join(root, "domain", "messaging", "email-layout.json");

/** The layout's colour sentinels (valid colours, so MJML validates them) and the placeholders they become. */
const COLOUR_SENTINELS: Readonly<Record<string, string>> = {
  "#010101": "{{primaryColor}}",
  "#020202": "{{onPrimaryColor}}",
  "#030303": "{{backgroundColor}}",
  "#040404": "{{primaryInkColor}}",
  "#050505": "{{brandInkColor}}",
  "#060606": "{{quietInkColor}}",
};

/** The HTML skeleton: MJML's output with strict validation, no web fonts, colour sentinels as placeholders. */
export async function compileEmailLayout(source: string): Promise<string> {
  // No web fonts: the system font stack renders everywhere and the e-mail loads nothing but the logo.
  // Strict validation throws on the first invalid element or attribute.
  const result = await mjml(source, { validationLevel: "strict", keepComments: true, fonts: {} }).catch(
    (error: unknown) => {
      throw new Error(`email-layout.mjml: ${error instanceof Error ? error.message.trim() : String(error)}`);
    },
  );
  let html = result.html;
  for (const [sentinel, placeholder] of Object.entries(COLOUR_SENTINELS)) {
    html = html.replaceAll(sentinel, placeholder);
  }
  // Block markers on lines of their own, so a dropped block leaves no blank line behind; MJML's blank and
  // trailing-space lines go (they only weigh on every e-mail sent).
  return `${html
    .replace(/[ \t]*(<!--(?:if|end):[a-zA-Z]+-->)/g, "\n$1\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .join("\n")}\n`;
}

/** The data file: the HTML's lines (one string each, so a change to the layout diffs line by line). */
export function layoutData(html: string): string {
  const data = {
    generatedBy:
      "scripts/email/compile-email-layout.ts from email-layout.mjml: do not edit; run npm run email:layout",
    lines: html.replace(/\n$/, "").split("\n"),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const html = await compileEmailLayout(readFileSync(LAYOUT_SOURCE, "utf8"));
  writeFileSync(LAYOUT_DATA, layoutData(html));
  console.log(`wrote ${LAYOUT_DATA} (${html.length} characters of HTML)`);
}

// The retention e-mail's HTML skeleton, filled by email-body.ts. `npm run email:layout` compiles
// email-layout.mjml into email-layout.json (generated data: do not edit), one string per line of HTML.
import layout from "./email-layout.json" with { type: "json" };

export const EMAIL_LAYOUT_HTML = `${layout.lines.join("\n")}\n`;

// Fills the compiled e-mail layout (email-layout-html.ts): drops every block <!--if:name-->…<!--end:name-->
// the message lacks (and the markers of those it keeps), then puts an HTML-escaped value in each {{name}}. A
// placeholder without a value or a block without a decision is a programming error, so it throws rather than
// sending "{{code}}" to a member.
import { escapeHtml } from "./html-escape";

export interface LayoutFill {
  values: Readonly<Record<string, string>>;
  blocks: Readonly<Record<string, boolean>>;
}

/** A block whose body holds no other block's start, i.e. an innermost one; its markers are lines of their own. */
const INNERMOST_BLOCK = /^<!--if:([a-zA-Z]+)-->\n((?:(?!<!--if:)[\s\S])*?)^<!--end:\1-->\n/gm;
const PLACEHOLDER = /\{\{([a-zA-Z]+)\}\}/g;

export function fillLayout(layout: string, fill: LayoutFill): string {
  let html = layout;
  for (let previous = ""; previous !== html; ) {
    previous = html;
    html = html.replace(INNERMOST_BLOCK, (_, name: string, body: string) => {
      const keep = fill.blocks[name];
      if (keep === undefined) throw new Error(`e-mail layout: no decision for block "${name}"`);
      return keep ? body : "";
    });
  }
  if (/<!--(if|end):/.test(html)) throw new Error("e-mail layout: unbalanced block markers");
  return html.replace(PLACEHOLDER, (_, name: string) => {
    const value = fill.values[name];
    if (value === undefined) throw new Error(`e-mail layout: no value for {{${name}}}`);
    return escapeHtml(value);
  });
}

// Shows a rendered e-mail inside the console, styled as sent, under the console's strict Content-Security-Policy
// (style-src 'self', img-src 'self' data:). An <iframe srcdoc> would inherit that policy and lose every inline
// style (logging a violation for each), so the e-mail goes into a shadow root instead: its HTML is parsed
// inert with style attributes and <style> elements renamed, imported, and the styles applied through the
// CSSOM (element.style, a constructed style sheet), which the policy does not govern. The shadow root keeps the
// e-mail's style rules away from the console's and the console's away from the e-mail. Nothing in it runs:
// parsed scripts never execute and the policy forbids inline handlers (the renderer escapes every value
// anyway). Remote images (the logo) stay blocked by img-src: their alt text shows instead.

const STYLE_ELEMENT = /<style\b[^>]*>([\s\S]*?)<\/style>/g;
const STYLE_ATTRIBUTE = /\sstyle="([^"]*)"/g;
const IMAGE_SOURCE = /(<img\b[^>]*?)\ssrc="[^"]*"/g;

export function showEmail(host: HTMLElement, html: string): void {
  const inert = html
    .replace(STYLE_ELEMENT, "<template data-style-sheet>$1</template>")
    .replace(STYLE_ATTRIBUTE, ' data-inline-style="$1"')
    .replace(IMAGE_SOURCE, "$1");
  const parsed = new DOMParser().parseFromString(inert, "text/html");
  for (const script of parsed.querySelectorAll("script")) script.remove();
  const rules = [...parsed.querySelectorAll("template[data-style-sheet]")].map((t) => t.innerHTML);
  // The e-mail's <body> becomes a <div> carrying its language and background.
  const page = document.createElement("div");
  page.lang = parsed.documentElement.lang;
  page.dataset.inlineStyle = parsed.body.dataset.inlineStyle ?? "";
  page.append(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)));
  for (const element of [page, ...page.querySelectorAll<HTMLElement>("[data-inline-style]")]) {
    element.style.cssText = element.dataset.inlineStyle ?? "";
    element.removeAttribute("data-inline-style");
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join("\n"));
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
  root.adoptedStyleSheets = [sheet];
  root.replaceChildren(page);
}

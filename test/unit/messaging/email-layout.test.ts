import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMAIL_LAYOUT_HTML } from "../../../domain/messaging/email-layout-html";
import { fillLayout } from "../../../domain/messaging/fill-layout";
import {
  compileEmailLayout,
  LAYOUT_DATA,
  LAYOUT_SOURCE,
  layoutData,
} from "../../../scripts/email/compile-email-layout";

describe("the compiled e-mail layout", () => {
  it("is exactly what the MJML source compiles to (run `npm run email:layout` after editing it)", async () => {
    const html = await compileEmailLayout(readFileSync(LAYOUT_SOURCE, "utf8"));
    expect(EMAIL_LAYOUT_HTML).toBe(html);
    expect(readFileSync(LAYOUT_DATA, "utf8")).toBe(layoutData(html));
  });

  it("loads no web font and names every branding colour by placeholder", () => {
    expect(EMAIL_LAYOUT_HTML).not.toMatch(/fonts\.googleapis|@import/);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(EMAIL_LAYOUT_HTML).not.toContain(`#0${n}0${n}0${n}`);
    for (const colour of ["primaryColor", "onPrimaryColor", "backgroundColor", "primaryInkColor"]) {
      expect(EMAIL_LAYOUT_HTML).toContain(`{{${colour}}}`);
    }
  });

  it("refuses a layout that fails MJML's strict validation", async () => {
    await expect(
      compileEmailLayout("<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>"),
    ).rejects.toThrow(/^email-layout\.mjml: /);
  });
});

describe("filling the layout", () => {
  const layout =
    "<p>{{a}}</p>\n<!--if:outer-->\n<b>{{b}}</b>\n<!--if:inner-->\n<i>in</i>\n<!--end:inner-->\n<!--end:outer-->\n";

  it("keeps or drops blocks, nested ones included, and escapes every value", () => {
    expect(
      fillLayout(layout, { values: { a: "<x>", b: '"&"' }, blocks: { outer: true, inner: false } }),
    ).toBe("<p>&lt;x&gt;</p>\n<b>&quot;&amp;&quot;</b>\n");
    expect(fillLayout(layout, { values: { a: "1", b: "2" }, blocks: { outer: false, inner: true } })).toBe(
      "<p>1</p>\n",
    );
    expect(fillLayout(layout, { values: { a: "1", b: "2" }, blocks: { outer: true, inner: true } })).toBe(
      "<p>1</p>\n<b>2</b>\n<i>in</i>\n",
    );
  });

  it("throws on a placeholder without a value or a block without a decision", () => {
    expect(() => fillLayout(layout, { values: { a: "1" }, blocks: { outer: true, inner: true } })).toThrow(
      "no value for {{b}}",
    );
    expect(() => fillLayout(layout, { values: { a: "1", b: "2" }, blocks: { outer: true } })).toThrow(
      'no decision for block "inner"',
    );
  });
});

// Readable text colours for the program's brand colours (WCAG 2 relative luminance and contrast ratio), so a
// pale primary colour does not give a white-on-yellow button or a code nobody can read.

const INK = "#1f2328";
const QUIET_INK = "#57606a";
const WHITE = "#ffffff";

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The colours the layout needs, from the two the marketer picks (both #rrggbb). */
export function layoutColours(primary: string, background: string) {
  const readable = (colour: string, on: string, minimum: number, otherwise: string) =>
    contrastRatio(colour, on) >= minimum ? colour : otherwise;
  const onDark = (on: string) => (contrastRatio(WHITE, on) >= contrastRatio(INK, on) ? WHITE : INK);
  return {
    primaryColor: primary,
    backgroundColor: background,
    // Button label: white or near-black, whichever stands out more on the button.
    onPrimaryColor: onDark(primary),
    // The code (32 px bold, "large text": 3:1) on the white card.
    primaryInkColor: readable(primary, WHITE, 3, INK),
    // The brand name as text (24 px bold) on the page background.
    brandInkColor: readable(primary, background, 3, onDark(background)),
    // Footer lines (12 px) on the page background need 4.5:1.
    quietInkColor: readable(QUIET_INK, background, 4.5, onDark(background)),
  };
}

// Label colors. Boxes are drawn over photographs, not over the theme, so one palette serves both
// themes: the colour-blind-safe Okabe–Ito colours (with grey), plus white; every box also gets a
// dark halo, which keeps light colours visible on light images.

export interface CanvasLabel {
  readonly name: string;
  /** #rrggbb */
  readonly color: string;
}

export const LABEL_PALETTE: readonly string[] = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#ffffff', '#999999'];

/** Each name gets the palette colour of its place in the list (the digit key it answers to). */
export function labelsWithColors(names: readonly string[]): CanvasLabel[] {
  return names.map((name, index) => ({ name, color: LABEL_PALETTE[index % LABEL_PALETTE.length] ?? '#ffffff' }));
}

/** A label missing from the list (imported data) still keeps one colour, derived from its text. */
export function colorOfLabel(labels: readonly CanvasLabel[], name: string): string {
  const known = labels.find((label) => label.name === name);
  if (known) return known.color;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return LABEL_PALETTE[hash % LABEL_PALETTE.length] ?? '#ffffff';
}

function channel(hex: string, at: number): number {
  const value = parseInt(hex.slice(at, at + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** Black or white, whichever contrasts more with a #rrggbb background (WCAG relative luminance). */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  const luminance = 0.2126 * channel(background, 1) + 0.7152 * channel(background, 3) + 0.0722 * channel(background, 5);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}

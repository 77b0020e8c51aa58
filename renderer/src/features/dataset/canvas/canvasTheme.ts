// The canvas paints with the app's theme variables (app.css), read when the theme changes.

export interface CanvasTheme {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly accent: string;
  readonly font: string;
  readonly mono: string;
}

export function readCanvasTheme(element: Element): CanvasTheme {
  const style = getComputedStyle(element);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: css('--surface-2', '#eef1f5'),
    text: css('--text', '#1c2430'),
    muted: css('--text-muted', '#5b6675'),
    accent: css('--accent', '#5b4bdb'),
    font: css('--font-ui', 'sans-serif'),
    mono: css('--font-mono', 'monospace'),
  };
}

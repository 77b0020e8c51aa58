/** Line icons drawn in currentColor, 24×24; decorative, so hidden from screen readers by their users. */
const paths = {
  guide: 'M4 5h11a3 3 0 0 1 3 3v11H7a3 3 0 0 1-3-3zM8 9h6M8 13h6M18 8h2v11',
  terminal: 'M3 5h18v14H3zM7 10l3 2-3 2M12 15h5',
  dataset: 'M3 5h18v14H3zM7 8h6v5H7zM14 11h4v5h-4zM7 16h3',
  loss: 'M3 4v16h18M6 7c3 0 3 8 6 8s3-4 6-4 2 1 3 1',
  server: 'M4 4h16v6H4zM4 14h16v6H4zM7 7h.01M7 17h.01',
  sidebar: 'M3 4h18v16H3zM9 4v16',
  panel: 'M3 4h18v16H3zM15 4v16',
  keyboard: 'M3 6h18v12H3zM6 9h1M9 9h1M12 9h1M15 9h1M18 9h0M7 15h10',
  close: 'M6 6l12 12M18 6L6 18',
  plus: 'M12 5v14M5 12h14',
  import: 'M5 4h9l5 5v11H5zM14 4v5h5M12 11v6M9 14l3 3 3-3',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13 7l4 4',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  chevron: 'M9 6l6 6-6 6',
  upload: 'M12 16V4M7 9l5-5 5 5M4 15v5h16v-5',
  download: 'M12 4v12M7 11l5 5 5-5M4 15v5h16v-5',
  warning: 'M12 3l10 18H2zM12 10v5M12 18h.01',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
    </svg>
  );
}

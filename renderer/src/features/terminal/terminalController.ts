// One terminal view, outside React: the xterm instance, its addons and the flow of characters in
// both directions. React mounts it on an element and talks to it through methods and callbacks;
// output goes straight from the router into xterm, so bytes never enter React state.

import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalSettings } from '../../../../shared/settings/settings';
import { matchShortcut, matchTerminalShortcut } from '../shell/shortcuts';
import { AckBatcher } from './ackBatcher';
import { openExternalLink } from './externalLink';
import { formatHash, OutputTally } from './outputTally';
import { needsPasteConfirmation } from './pasteText';
import { searchDecorations, terminalTheme, themeMode } from './terminalTheme';
import type { TerminalSink } from './terminalDataRouter';

/** Where a view's input, size and acknowledgements go: one terminal in the main process. */
export interface TerminalLink {
  send(data: string): void;
  resize(cols: number, rows: number): void;
  ack(chars: number): void;
}

export interface TerminalControllerEvents {
  /** A paste with line breaks waits for the user; confirmed, it goes to paste(). */
  pasteNeedsConfirmation(text: string, bracketed: boolean): void;
  searchRequested(): void;
  searchResults(index: number, count: number): void;
  /** Ctrl+= / Ctrl+- / Ctrl+0: the font size is a setting shared by every terminal. */
  zoomRequested(step: 1 | -1 | 0): void;
}

/** The pty follows the view's size, but not on every frame of a drag: each resize redraws the remote screen. */
const RESIZE_DEBOUNCE_MS = 120;
/** Selecting by drag changes the selection on every mouse move; copy once it settles. */
const COPY_DEBOUNCE_MS = 150;

export class TerminalController implements TerminalSink {
  private readonly terminal: Terminal;
  private readonly fitAddon = new FitAddon();
  private readonly searchAddon = new SearchAddon();
  private tally = new OutputTally();
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  private readonly mac = /mac/i.test(navigator.platform);
  private link: TerminalLink | null = null;
  private acks: AckBatcher | null = null;
  private settings: TerminalSettings;
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private copyTimer: ReturnType<typeof setTimeout> | undefined;
  private fitFrame = 0;
  private sentSize = '';

  constructor(
    private readonly host: HTMLElement,
    settings: TerminalSettings,
    private readonly events: TerminalControllerEvents,
  ) {
    this.settings = settings;
    const style = getComputedStyle(host);
    this.terminal = new Terminal({
      // The unicode (CJK width) and decoration (search highlight) APIs are "proposed" in xterm.
      allowProposedApi: true,
      fontFamily: style.getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: settings.fontSize,
      scrollback: settings.scrollback,
      theme: terminalTheme(style, themeMode(document.documentElement)),
      cursorBlink: true,
      macOptionIsMeta: true,
      // OSC 8 hyperlinks go through the same gate as detected URLs.
      linkHandler: { activate: (_event, uri) => openExternalLink(uri) },
    });
    this.terminal.loadAddon(this.fitAddon);
    this.terminal.loadAddon(this.searchAddon);
    this.terminal.loadAddon(new WebLinksAddon((_event, uri) => openExternalLink(uri)));
    this.terminal.loadAddon(new Unicode11Addon());
    this.terminal.unicode.activeVersion = '11';
    this.terminal.open(host);

    this.terminal.onData((data) => this.link?.send(data));
    this.terminal.onResize(({ cols, rows }) => this.scheduleRemoteResize(cols, rows));
    this.terminal.onSelectionChange(() => this.scheduleCopy());
    this.terminal.attachCustomKeyEventHandler((event) => this.handleKey(event));
    this.searchAddon.onDidChangeResults(({ resultIndex, resultCount }) => this.events.searchResults(resultIndex, resultCount));
    // Capture runs before xterm's own paste listeners on its textarea and element.
    host.addEventListener('paste', this.interceptPaste, true);

    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
    this.resizeObserver.observe(host);
    this.themeObserver = new MutationObserver(() => this.applyTheme());
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.fit();
    this.publishTally();
  }

  /** The size to open a pty with: what fits the element now (80×24 while it is hidden). */
  size(): { cols: number; rows: number } {
    return { cols: this.terminal.cols, rows: this.terminal.rows };
  }

  /**
   * From now on input, size and acknowledgements go to this terminal (its pty opened at `opened`);
   * output arrives through write().
   */
  attach(link: TerminalLink, opened: { cols: number; rows: number }): void {
    this.link = link;
    this.acks = new AckBatcher((chars) => link.ack(chars));
    this.tally = new OutputTally();
    this.publishTally();
    this.sentSize = `${opened.cols}x${opened.rows}`;
    // The view may have been resized while the terminal was opening.
    this.scheduleRemoteResize(this.terminal.cols, this.terminal.rows);
  }

  /** The terminal ended: keep its screen, stop sending to it. */
  detach(): void {
    this.link = null;
    this.acks = null;
    clearTimeout(this.resizeTimer);
  }

  /** Output from the remote shell. Acknowledged (and counted) once xterm has parsed it, so a slow view slows the server. */
  write(data: string): void {
    const { acks, tally } = this;
    this.terminal.write(data, () => {
      tally.add(data);
      this.publishTally();
      acks?.parsed(data.length);
    });
  }

  /** A line of the app's own (e.g. "reopened"), dimmed; it is not output and is neither counted nor acknowledged. */
  writeNote(text: string): void {
    this.terminal.write(`\r\n\x1b[2m${text}\x1b[22m\r\n`);
  }

  paste(text: string): void {
    this.terminal.paste(text);
    this.terminal.focus();
  }

  focus(): void {
    this.terminal.focus();
  }

  applySettings(settings: TerminalSettings): void {
    this.settings = settings;
    if (this.terminal.options.fontSize !== settings.fontSize) this.terminal.options.fontSize = settings.fontSize;
    if (this.terminal.options.scrollback !== settings.scrollback) this.terminal.options.scrollback = settings.scrollback;
    this.scheduleFit();
  }

  findNext(term: string): void {
    this.searchAddon.findNext(term, { decorations: searchDecorations(themeMode(document.documentElement)), incremental: true });
  }

  findPrevious(term: string): void {
    this.searchAddon.findPrevious(term, { decorations: searchDecorations(themeMode(document.documentElement)) });
  }

  clearSearch(): void {
    this.searchAddon.clearDecorations();
    this.terminal.focus();
  }

  dispose(): void {
    this.detach();
    clearTimeout(this.copyTimer);
    cancelAnimationFrame(this.fitFrame);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.host.removeEventListener('paste', this.interceptPaste, true);
    this.terminal.dispose();
  }

  private handleKey(event: KeyboardEvent): boolean {
    // The app's own shortcuts (Ctrl+Shift+1…) must reach the window, not the shell.
    if (matchShortcut(event, this.mac)) return false;
    const shortcut = matchTerminalShortcut(event, this.mac);
    if (!shortcut) return true;
    // Paste is left to the browser, which fires the paste event interceptPaste() sees.
    if (shortcut.action === 'paste') return false;
    event.preventDefault();
    if (event.type !== 'keydown') return false;
    if (shortcut.action === 'search') this.events.searchRequested();
    else if (shortcut.action === 'copy') this.copySelection();
    else this.events.zoomRequested(shortcut.action === 'zoomIn' ? 1 : shortcut.action === 'zoomOut' ? -1 : 0);
    return false;
  }

  private readonly interceptPaste = (event: ClipboardEvent): void => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (!needsPasteConfirmation(text)) return;
    event.preventDefault();
    event.stopPropagation();
    this.events.pasteNeedsConfirmation(text, this.terminal.modes.bracketedPasteMode);
  };

  private scheduleCopy(): void {
    clearTimeout(this.copyTimer);
    if (!this.settings.copyOnSelect || !this.terminal.hasSelection()) return;
    this.copyTimer = setTimeout(() => this.copySelection(), COPY_DEBOUNCE_MS);
  }

  private copySelection(): void {
    const text = this.terminal.getSelection();
    if (!text) return;
    // Refused without focus or permission (a page in the background): the selection stays, Ctrl+Shift+C can retry.
    navigator.clipboard.writeText(text).catch(() => undefined);
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fit());
  }

  private fit(): void {
    // A hidden tab measures 0×0; it keeps its size until shown again.
    if (this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    this.fitAddon.fit();
  }

  private scheduleRemoteResize(cols: number, rows: number): void {
    clearTimeout(this.resizeTimer);
    const link = this.link;
    if (!link) return;
    this.resizeTimer = setTimeout(() => {
      const size = `${cols}x${rows}`;
      if (size === this.sentSize) return;
      this.sentSize = size;
      link.resize(cols, rows);
    }, RESIZE_DEBOUNCE_MS);
  }

  private applyTheme(): void {
    this.terminal.options.theme = terminalTheme(getComputedStyle(this.host), themeMode(document.documentElement));
  }

  /** What this view has parsed since the terminal opened, on the element for anyone to compare (see outputTally.ts). */
  private publishTally(): void {
    this.host.dataset.receivedChars = String(this.tally.chars);
    this.host.dataset.receivedHash = formatHash(this.tally.hash);
  }
}

/**
 * The tour's screen, as a pure state machine: keys in, a screen of rows out. A header row always
 * shows the page's `§N title` and its position; the body scrolls; a footer row shows the keys and
 * where the reader is. The terminal glue (tour.ts) feeds it keys and sizes and writes its rows;
 * the tests drive it directly at any size.
 */
import { cut, displayWidth, pad } from './text.ts';
import type { Style } from './style.ts';

/** What the pager needs to know about a page: its header. */
export interface PageInfo {
  section: string;
  title: string;
}

/** Keys, by the names node:readline gives them (plus '?' and the letters); 'other' is any other key. */
export type Key = 'up' | 'down' | 'pageup' | 'pagedown' | 'space' | 'left' | 'right' | 'return' | 'home' | 'end' | 'escape' | 'q' | 'l' | '?' | 'g' | 'G' | 'j' | 'k' | 'b' | 'n' | 'p' | 'other';

/** Which screen is showing. */
export type Mode = 'page' | 'list' | 'help';

/** The keys, as the `?` screen lists them. */
export const KEYS: [string, string][] = [
  ['↓ / j, ↑ / k', 'scroll one line'],
  ['space, PgDn / PgUp, b', 'scroll one screen (space at the end: next chapter)'],
  ['g / G, End', 'top / bottom of the chapter'],
  ['→ / Enter / n', 'next chapter'],
  ['← / p', 'previous chapter'],
  ['l / Home', 'chapter list (Enter opens, Esc goes back)'],
  ['?', 'this screen (any key closes it)'],
  ['q / Ctrl-C', 'quit (the terminal is restored)'],
];

/**
 * The pager: which page, how far scrolled, and the list and help screens. `body(index, width)`
 * returns a page's lines, already painted and each at most `width` columns wide.
 */
export class Pager {
  mode: Mode = 'page';
  index = 0;
  scroll = 0;
  /** The highlighted line of the chapter list. */
  cursor = 0;
  private listTop = 0;
  private helpFrom: Mode = 'page';

  constructor(
    readonly pages: readonly PageInfo[],
    private readonly body: (index: number, width: number) => string[],
    private readonly style: Style,
    public columns = 80,
    public rows = 24,
  ) {}

  /** The terminal changed size: keep the reader's place, clamped to the new bounds. */
  resize(columns: number, rows: number): void {
    this.columns = Math.max(1, columns);
    this.rows = Math.max(1, rows);
    this.clamp();
  }

  /** Opens page `index` at its top. */
  open(index: number): void {
    this.index = Math.min(Math.max(0, index), this.pages.length - 1);
    this.scroll = 0;
    this.mode = 'page';
  }

  /** Rows available between the header and the footer. */
  get bodyHeight(): number {
    return Math.max(1, this.rows - 2);
  }

  private lines(): string[] {
    return this.body(this.index, this.columns);
  }

  private maxScroll(): number {
    return Math.max(0, this.lines().length - this.bodyHeight);
  }

  private clamp(): void {
    this.scroll = Math.min(Math.max(0, this.scroll), this.maxScroll());
  }

  /** Handles one key; returns 'quit' when the reader asked to leave. */
  key(key: Key): 'quit' | undefined {
    if (key === 'q') return 'quit';
    if (this.mode === 'help') {
      this.mode = this.helpFrom;
      return undefined;
    }
    if (key === '?') {
      this.helpFrom = this.mode;
      this.mode = 'help';
      return undefined;
    }
    if (this.mode === 'list') {
      this.listKey(key);
      return undefined;
    }
    const page = this.bodyHeight;
    switch (key) {
      case 'down':
      case 'j':
        this.scroll++;
        break;
      case 'up':
      case 'k':
        this.scroll--;
        break;
      case 'space':
        if (this.scroll >= this.maxScroll()) {
          if (this.index < this.pages.length - 1) this.open(this.index + 1);
          return undefined;
        }
        this.scroll += page - 1;
        break;
      case 'pagedown':
        this.scroll += page - 1;
        break;
      case 'pageup':
      case 'b':
        this.scroll -= page - 1;
        break;
      case 'g':
        this.scroll = 0;
        break;
      case 'G':
      case 'end':
        this.scroll = this.maxScroll();
        break;
      case 'right':
      case 'return':
      case 'n':
        if (this.index < this.pages.length - 1) this.open(this.index + 1);
        return undefined;
      case 'left':
      case 'p':
        if (this.index > 0) this.open(this.index - 1);
        return undefined;
      case 'l':
      case 'home':
        this.mode = 'list';
        this.cursor = this.index;
        return undefined;
      default:
        return undefined;
    }
    this.clamp();
    return undefined;
  }

  private listKey(key: Key): void {
    const last = this.pages.length - 1;
    const step = Math.max(1, this.bodyHeight - 1);
    if (key === 'down' || key === 'j') this.cursor++;
    else if (key === 'up' || key === 'k') this.cursor--;
    else if (key === 'pagedown' || key === 'space') this.cursor += step;
    else if (key === 'pageup' || key === 'b') this.cursor -= step;
    else if (key === 'home' || key === 'g') this.cursor = 0;
    else if (key === 'end' || key === 'G') this.cursor = last;
    else if (key === 'return' || key === 'right') this.open(this.cursor);
    else if (key === 'escape' || key === 'left' || key === 'l') this.mode = 'page';
    this.cursor = Math.min(Math.max(0, this.cursor), last);
  }

  /** The screen: exactly `rows` painted rows, none wider than `columns`. */
  screen(): string[] {
    const width = this.columns;
    let header: string;
    let body: string[];
    let footer: string;
    if (this.mode === 'help') {
      header = this.bar('Keys', 'any key closes this screen');
      const keyWidth = Math.max(...KEYS.map(([k]) => displayWidth(k)));
      body = ['', ...KEYS.map(([k, what]) => cut(` ${pad(k, keyWidth)}  ${what}`, width))];
      footer = this.footer('q quit', '');
    } else if (this.mode === 'list') {
      header = this.bar('Chapters', `${this.cursor + 1}/${this.pages.length}`);
      const h = this.bodyHeight;
      if (this.cursor < this.listTop) this.listTop = this.cursor;
      if (this.cursor >= this.listTop + h) this.listTop = this.cursor - h + 1;
      this.listTop = Math.min(this.listTop, Math.max(0, this.pages.length - h));
      body = this.pages.slice(this.listTop, this.listTop + h).map((page, k) => {
        const i = this.listTop + k;
        const label = cut(`${i === this.cursor ? '▶' : ' '} ${pad(`§${page.section}`, 4)} ${page.title}`, width);
        return i === this.cursor ? this.style.inverse(pad(label, width)) : i === this.index ? this.style.title(label) : label;
      });
      footer = this.footer('↑↓ choose  Enter open  Esc back  q quit', '');
    } else {
      const page = this.pages[this.index] as PageInfo;
      header = this.bar(`§${page.section}  ${page.title}`, `${this.index + 1}/${this.pages.length}`);
      const lines = this.lines();
      this.clamp();
      body = lines.slice(this.scroll, this.scroll + this.bodyHeight);
      const end = Math.min(lines.length, this.scroll + this.bodyHeight);
      const atEnd = end >= lines.length;
      const where = lines.length <= this.bodyHeight ? 'all' : `${this.scroll + 1}–${end}/${lines.length}${atEnd ? ' end' : ''}`;
      const last = this.index === this.pages.length - 1;
      const hints = atEnd && !last ? 'space/→ next  ← prev  l list  ? keys  q quit' : '↓↑ space scroll  ←→ chapter  l list  ? keys  q quit';
      footer = this.footer(hints, where);
    }
    const rows = this.rows;
    if (rows === 1) return [header];
    const out = [header];
    for (let i = 0; i < rows - 2; i++) out.push(body[i] ?? '');
    out.push(footer);
    return out;
  }

  /** The header: a title on the left, a position on the right, in inverse video, full width. */
  private bar(left: string, right: string): string {
    const width = this.columns;
    const r = displayWidth(right) + 2 <= width ? ` ${right} ` : '';
    const l = cut(` ${left}`, width - displayWidth(r) - (r === '' ? 0 : 1));
    return this.style.inverse(l + ' '.repeat(Math.max(0, width - displayWidth(l) - displayWidth(r))) + r);
  }

  /** The footer: key hints (cut first when space is short) and the scroll position. */
  private footer(hints: string, where: string): string {
    const width = this.columns;
    const r = where === '' || displayWidth(where) + 1 > width ? '' : where;
    const room = width - displayWidth(r) - (r === '' ? 0 : 2);
    const l = room > 0 ? cut(hints, room) : '';
    return this.style.dim(l + ' '.repeat(Math.max(0, width - displayWidth(l) - displayWidth(r))) + r);
  }
}

/** `text` without ANSI escape codes (what the terminal shows). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

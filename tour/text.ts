/**
 * Text for a terminal: how many columns a string takes, wrapping to a width, and tables that fit.
 * The tour measures plain text and paints it afterwards, so escape codes never count as columns.
 */

/** Code points that take no column: combining marks, zero-width joiner, variation selectors. */
function isZeroWidth(cp: number): boolean {
  return (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Code points a terminal draws two columns wide: CJK, fullwidth forms and emoji pictographs. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns one code point takes. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) as number;
  if (cp < 0x20 || isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Columns `text` takes on a terminal (plain text: no escape codes). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** The longest prefix of `text` that fits in `width` columns, and the rest. */
export function splitAt(text: string, width: number): [string, string] {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width) break;
    used += w;
    i += ch.length;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** `text` cut to `width` columns, ending in "…" when something was cut. */
export function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  return splitAt(text, width - 1)[0] + '…';
}

/** `text` padded with spaces to `width` columns. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Splits `text` into lines of at most `width` columns: at spaces when it can (prose), inside a
 * word only when one word is longer than the line. Tabs are expanded first.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  let rest = text.replace(/\t/g, '  ');
  const lines: string[] = [];
  while (displayWidth(rest) > w) {
    let [head, tail] = splitAt(rest, w);
    const space = head.lastIndexOf(' ');
    // Break at the last space if it keeps at least a third of the line (else the word is too long).
    if (tail !== '' && !tail.startsWith(' ') && space > w / 3) {
      tail = head.slice(space + 1) + tail;
      head = head.slice(0, space);
    }
    lines.push(head.trimEnd());
    rest = tail.startsWith(' ') && head.trim() !== '' ? tail.slice(1) : tail;
    if (head === '') {
      // A single character wider than the line: emit it alone rather than loop forever.
      const ch = String.fromCodePoint(rest.codePointAt(0) as number);
      lines[lines.length - 1] = ch;
      rest = rest.slice(ch.length);
    }
  }
  lines.push(rest);
  return lines;
}

/** A table: a header row and rows of cells, rendered to fit a width. */
export interface Table {
  head: string[];
  rows: string[][];
}

/**
 * Renders `table` in at most `width` columns: columns as wide as their content when that fits,
 * otherwise the widest columns shrink and their cells wrap. The first line is the header, the
 * second a rule under it.
 */
export function renderTable(table: Table, width: number): string[] {
  const n = table.head.length;
  const all = [table.head, ...table.rows];
  const gap = 2;
  const widths = Array.from({ length: n }, (_, c) => Math.max(...all.map((row) => displayWidth(row[c] ?? ''))));
  const budget = Math.max(n, width - gap * (n - 1));
  const total = (): number => widths.reduce((a, b) => a + b, 0);
  // Shrink the widest column one column at a time until the table fits: first never below a
  // column's longest word (cells wrap at spaces), then, if it must, below that (words break).
  const longestWord = Array.from({ length: n }, (_, c) => Math.max(...all.flatMap((row) => (row[c] ?? '').split(' ').map(displayWidth))));
  for (const floor of [longestWord, widths.map(() => 1)]) {
    while (total() > budget) {
      const shrinkable = widths.map((w, c) => (w > (floor[c] as number) ? w : -1));
      const widest = shrinkable.indexOf(Math.max(...shrinkable));
      if ((shrinkable[widest] as number) < 0) break;
      widths[widest] = (widths[widest] as number) - 1;
    }
  }
  const lines: string[] = [];
  const emit = (row: string[]): void => {
    const cells = widths.map((w, c) => wrap(row[c] ?? '', w));
    const height = Math.max(...cells.map((cell) => cell.length));
    for (let k = 0; k < height; k++) {
      lines.push(cells.map((cell, c) => (c === n - 1 ? (cell[k] ?? '') : pad(cell[k] ?? '', widths[c] as number))).join(' '.repeat(gap)).trimEnd());
    }
  };
  emit(table.head);
  lines.push(widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)));
  for (const row of table.rows) emit(row);
  return lines;
}

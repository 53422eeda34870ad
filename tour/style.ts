/** ANSI styles for the tour, or identity functions when color is off (NO_COLOR, no TTY, tests). */

/** One style per kind of text the tour shows. */
export interface Style {
  title(s: string): string;
  dim(s: string): string;
  code(s: string): string;
  out(s: string): string;
  py(s: string): string;
  bad(s: string): string;
  inverse(s: string): string;
}

const ansi =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string): string => s;

/** Colors for a terminal (`color: true`) or plain text. */
export function makeStyle(color: boolean): Style {
  if (!color) return { title: plain, dim: plain, code: plain, out: plain, py: plain, bad: plain, inverse: plain };
  return { title: ansi(1, 22), dim: ansi(2, 22), code: ansi(36, 39), out: ansi(32, 39), py: ansi(33, 39), bad: ansi(31, 39), inverse: ansi(7, 27) };
}

// @ts-check
/**
 * Which lines of a doc comment are implementation notes: a paragraph, list item or `Word:` line
 * (`Fields: ...`, `Invariant: ...`) that names a `_`-prefixed member in a code span. Shared by the
 * declaration build (scripts/build.ts) and the TypeDoc plugin, so neither publishes them; the
 * notes stay in the source, for whoever reads the implementation.
 */

/** A code span naming an internal: `_waiters`, `loop._currentTask` (code blocks are left alone). */
const INTERNAL_SPAN = /`(?!``)[^`\n]*?(?<![\w$])_[A-Za-z][^`\n]*`/;
const LIST_ITEM = /^\s*(?:- |\d+\. )/;
/** Notes after an `@example`: a blank line, then `Fields:` / `Invariant:` to the next tag. */
const TAIL_NOTES = /\n\n(?:Fields|Invariants?)\b[^\n]*:[\s\S]*?(?=\n@|\s*$)/;
/** A line that starts an item of its own: a list item, or `Fields:` / `Invariant:`-style notes. */
const ITEM_START = /^\s*(?:- |\d+\. |[A-Z][\w ()',-]{0,40}: )/;

/**
 * For each line of a comment (its text, `*` prefixes removed), whether it is kept. Blank lines
 * left next to each other or at the end by a removed note are dropped too.
 * @param {string[]} lines
 * @returns {boolean[]}
 */
export function keptLines(lines) {
  /** @type {{ from: number, to: number, blank: boolean }[]} */
  const items = [];
  let previousBlank = true;
  let fenced = false;
  lines.forEach((line, i) => {
    const fence = line.trimStart().startsWith('```');
    const blank = line.trim() === '';
    if (!fenced && (blank || previousBlank || ITEM_START.test(line))) items.push({ from: i, to: i + 1, blank });
    else /** @type {(typeof items)[number]} */ (items.at(-1) ?? items[items.push({ from: i, to: i, blank: false }) - 1]).to = i + 1;
    if (fence) fenced = !fenced;
    previousBlank = blank && !fenced;
  });
  const isInternal = (/** @type {(typeof items)[number]} */ item) => !item.blank && lines.slice(item.from, item.to).some((l) => !l.trimStart().startsWith('```') && INTERNAL_SPAN.test(l));
  const internal = items.map(isInternal);
  // A lead-in ending in ':' whose list items are all internal goes with them.
  for (let i = 0; i < items.length; i++) {
    const item = /** @type {(typeof items)[number]} */ (items[i]);
    if (internal[i] || !(lines[item.to - 1] ?? '').trimEnd().endsWith(':')) continue;
    let j = i + 1;
    while (j < items.length && internal[j]) j++;
    const next = items[j];
    if (j > i + 1 && (next === undefined || next.blank || !LIST_ITEM.test(lines[next.from] ?? ''))) internal[i] = true;
  }
  const keep = lines.map(() => true);
  items.forEach((item, i) => {
    if (internal[i]) for (let k = item.from; k < item.to; k++) keep[k] = false;
  });
  // Collapse the blank lines left where a note was, and trailing ones.
  let last = '';
  for (let k = 0; k < lines.length; k++) {
    if (!keep[k]) continue;
    const blank = (lines[k] ?? '').trim() === '';
    if (blank && (last === '' || last === 'blank')) keep[k] = false;
    else last = blank ? 'blank' : 'text';
  }
  for (let k = lines.length - 1; k >= 0 && (!keep[k] || (lines[k] ?? '').trim() === ''); k--) keep[k] = false;
  return keep;
}

/**
 * A `/** ... *\/` comment without its implementation notes (the first line and block tags keep their layout).
 * @param {string} comment the whole comment, delimiters included
 * @returns {string}
 */
export function withoutNotesInJSDoc(comment) {
  const body = comment.replace(/^\/\*\*/, '').replace(/\*\/$/, '');
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  const tagAt = lines.findIndex((l) => /^@\w/.test(l.trim()));
  const descriptionEnd = tagAt < 0 ? lines.length : tagAt;
  const keep = keptLines(lines.slice(0, descriptionEnd)).concat(lines.slice(descriptionEnd).map(() => true));
  const kept = lines.filter((_, i) => keep[i]);
  const removed = kept.filter((l) => l.trim() !== '').length !== lines.filter((l) => l.trim() !== '').length;
  if (!removed && !TAIL_NOTES.test(kept.join('\n'))) return comment;
  // Notes written after an @example end up in its code: cut them there too.
  const text = kept.join('\n').replace(TAIL_NOTES, '');
  const out = text.split('\n').filter((l, i, all) => !(i === 0 && l.trim() === '' && all.length > 1));
  while (out.length > 1 && (out.at(-1) ?? '').trim() === '') out.pop();
  return `/**\n${out.map((l) => (l.trim() === '' ? ' *' : ` * ${l}`)).join('\n')}\n */`;
}

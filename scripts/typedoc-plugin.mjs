// @ts-check
/**
 * A local TypeDoc plugin (typedoc.json `plugin`) for the API reference:
 * - modules are named as users import them: `yieldio`, `yieldio/node`, `yieldio/testing`;
 * - `_`-prefixed members (implementation fields, as the build strips them from the .d.ts) are
 *   not published: a Task's page leads with its asyncio methods (`@internal` ones go through
 *   `excludeInternal`);
 * - implementation notes stay in the source: a comment's paragraph, list item or `Word:` line
 *   that names a `_`-prefixed member (`Fields: ...`, invariants over fields) is not published;
 * - the README's own `# yieldio` heading is dropped from the front page, which already has it.
 */
import { Converter, ReflectionKind } from 'typedoc';

/** Entry-file module names (as TypeDoc derives them) → the import specifier. */
const MODULE_NAMES = { index: 'yieldio', node: 'yieldio/node', testing: 'yieldio/testing' };

/** A code span naming an internal: `_waiters`, `loop._currentTask` (code blocks are left alone). */
const INTERNAL_NAME = /(?<![\w$])_[A-Za-z]/;
const namesInternal = (/** @type {import('typedoc').CommentDisplayPart} */ part) => part.kind === 'code' && !part.text.startsWith('```') && INTERNAL_NAME.test(part.text);
const EXAMPLE_TAIL_NOTES = /\n\n(?:Fields|Invariants?)\b[^\n]*:[\s\S]*?(?=\n```$)/;
const LIST_ITEM = /^\s*(?:- |\d+\. )/;
/** A line that starts an item of its own: a list item, or `Fields:` / `Invariant:`-style notes. */
const ITEM_START = /^\s*(?:- |\d+\. |[A-Z][\w ()',-]{0,40}: )/;

/**
 * The comment without its implementation notes (items that name an internal member).
 * @param {import('typedoc').CommentDisplayPart[]} parts
 * @returns {import('typedoc').CommentDisplayPart[]}
 */
export function withoutInternalNotes(parts) {
  /** @type {import('typedoc').CommentDisplayPart[][]} */
  const lines = [[]];
  for (const part of parts) {
    if (part.kind !== 'text') {
      /** @type {import('typedoc').CommentDisplayPart[]} */ (lines.at(-1)).push(part);
      continue;
    }
    part.text.split('\n').forEach((text, i) => {
      if (i > 0) lines.push([]);
      if (text !== '') /** @type {import('typedoc').CommentDisplayPart[]} */ (lines.at(-1)).push({ ...part, text });
    });
  }
  const text = (/** @type {import('typedoc').CommentDisplayPart[]} */ line) => line.map((p) => p.text).join('');
  /** @type {{ lines: import('typedoc').CommentDisplayPart[][], blank: boolean }[]} */
  const items = [];
  let previousBlank = true;
  for (const line of lines) {
    const blank = text(line).trim() === '';
    if (blank || previousBlank || ITEM_START.test(text(line))) items.push({ lines: [line], blank });
    else /** @type {(typeof items)[number]} */ (items.at(-1)).lines.push(line);
    previousBlank = blank;
  }
  const internal = items.map((item) => !item.blank && item.lines.some((line) => line.some(namesInternal)));
  // A lead-in ending in ':' whose list items are all internal goes with them.
  for (let i = 0; i < items.length; i++) {
    const item = /** @type {(typeof items)[number]} */ (items[i]);
    if (internal[i] || !text(/** @type {import('typedoc').CommentDisplayPart[]} */ (item.lines.at(-1))).trimEnd().endsWith(':')) continue;
    let j = i + 1;
    while (j < items.length && internal[j]) j++;
    const next = items[j];
    if (j > i + 1 && (next === undefined || next.blank || !LIST_ITEM.test(text(/** @type {import('typedoc').CommentDisplayPart[]} */ (next.lines[0]))))) internal[i] = true;
  }
  const kept = items.filter((_, i) => !internal[i]).flatMap((item) => item.lines);
  // Collapse the blank lines left where a note was.
  const out = kept.filter((line, i) => text(line).trim() !== '' || (i > 0 && text(/** @type {import('typedoc').CommentDisplayPart[]} */ (kept[i - 1])).trim() !== ''));
  while (out.length > 0 && text(/** @type {import('typedoc').CommentDisplayPart[]} */ (out.at(-1))).trim() === '') out.pop();
  /** @type {import('typedoc').CommentDisplayPart[]} */
  const result = [];
  out.forEach((line, i) => {
    if (i > 0) result.push({ kind: 'text', text: '\n' });
    result.push(...line);
  });
  return result;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const module of project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = MODULE_NAMES[/** @type {keyof typeof MODULE_NAMES} */ (module.name)];
      if (name !== undefined) module.name = name;
    }
    const owners = ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeLiteral;
    const internal = Object.values(project.reflections).filter(
      (r) => r.name.startsWith('_') && r.parent !== undefined && r.parent.kindOf(owners) && !r.kindOf(ReflectionKind.TypeParameter),
    );
    for (const reflection of internal) project.removeReflection(reflection);
    for (const reflection of Object.values(project.reflections)) {
      const comments = [reflection.comment, ...('signatures' in reflection && Array.isArray(reflection.signatures) ? reflection.signatures.map((s) => s.comment) : [])];
      for (const comment of comments) {
        if (comment === undefined) continue;
        comment.summary = withoutInternalNotes(comment.summary);
        for (const tag of comment.blockTags) {
          tag.content = withoutInternalNotes(tag.content);
          // Notes written after an @example end up inside its code block: cut them there.
          if (tag.tag === '@example') for (const part of tag.content) if (part.kind === 'code') part.text = part.text.replace(EXAMPLE_TAIL_NOTES, '');
        }
      }
    }
    const first = project.readme?.[0];
    const title = `# ${project.name}\n`;
    if (first !== undefined && first.kind === 'text' && first.text.startsWith(title)) first.text = first.text.slice(title.length).trimStart();
  });
}

// @ts-check
/**
 * A local TypeDoc plugin (typedoc.json `plugin`) for the API reference:
 * - modules are named as users import them: `yieldio`, `yieldio/node`, `yieldio/testing`;
 * - `_`-prefixed members (implementation fields, as the build strips them from the .d.ts) are
 *   not published: a Task's page leads with its asyncio methods (`@internal` ones go through
 *   `excludeInternal`);
 * - implementation notes stay in the source: a comment's paragraph, list item or `Word:` line
 *   that names a `_`-prefixed member (`Fields: ...`, invariants over fields) is not published
 *   (scripts/internal-notes.mjs, shared with the declaration build);
 * - the README's own `# yieldio` heading is dropped from the front page, which already has it.
 */
import { Converter, ReflectionKind } from 'typedoc';
import { keptLines } from './internal-notes.mjs';

/** Entry-file module names (as TypeDoc derives them) → the import specifier. */
const MODULE_NAMES = { index: 'yieldio', node: 'yieldio/node', testing: 'yieldio/testing' };

const EXAMPLE_TAIL_NOTES = /\n\n(?:Fields|Invariants?)\b[^\n]*:[\s\S]*?(?=\n```$)/;

/**
 * The comment without its implementation notes (see scripts/internal-notes.mjs).
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
  // A code block is one part spanning lines: its text stands for one line here.
  const keep = keptLines(lines.map((line) => line.map((p) => (p.kind === 'code' && p.text.startsWith('```') ? 'code block' : p.text)).join('')));
  /** @type {import('typedoc').CommentDisplayPart[]} */
  const result = [];
  lines
    .filter((_, i) => keep[i])
    .forEach((line, i) => {
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

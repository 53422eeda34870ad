/**
 * The tour's engine: run a chapter's file (capturing its console output), render a chapter,
 * print them all (no TTY, or --all), or page through them with the keyboard.
 * Colors and keys take a few lines of node:readline and ANSI codes: no dependency earns its place.
 */
import { readFileSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chapters, type Chapter } from './chapters.ts';

/** The repository root (tour/ sits right under it). */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** What running a chapter's file produced. */
export interface ChapterRun {
  output: string;
  /** The error the file's main() threw, if any (the tour then exits non-zero). */
  error: unknown;
  failed: boolean;
}

const CAPTURED = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Imports the chapter's file and runs its exported main() (sync or async), capturing everything
 * it prints with console.*. The output is the file's real output, produced now.
 */
export async function runChapter(chapter: Chapter): Promise<ChapterRun> {
  const lines: string[] = [];
  const saved = CAPTURED.map((name) => console[name]);
  for (const name of CAPTURED) {
    console[name] = (...args: unknown[]): void => {
      lines.push(format(...args));
    };
  }
  let failed = false;
  let error: unknown;
  try {
    const mod = (await import(pathToFileURL(`${root}${chapter.file}`).href)) as { main?: () => unknown };
    if (typeof mod.main !== 'function') throw new TypeError(`${chapter.file} does not export a main() function`);
    await mod.main();
  } catch (e) {
    failed = true;
    error = e;
  } finally {
    CAPTURED.forEach((name, i) => {
      console[name] = saved[i] as (typeof console)[typeof name];
    });
  }
  return { output: lines.join('\n'), error, failed };
}

/** ANSI styles, or identity functions when color is off. */
export interface Style {
  title(s: string): string;
  dim(s: string): string;
  code(s: string): string;
  out(s: string): string;
  py(s: string): string;
  bad(s: string): string;
}

const ansi = (open: number, close: number) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string): string => s;

/** Colors for a terminal (`color: true`) or plain text. */
export function makeStyle(color: boolean): Style {
  if (!color) return { title: plain, dim: plain, code: plain, out: plain, py: plain, bad: plain };
  return { title: ansi(1, 22), dim: ansi(2, 22), code: ansi(36, 39), out: ansi(32, 39), py: ansi(33, 39), bad: ansi(31, 39) };
}

function rule(label: string, style: Style): string {
  return style.dim(`── ${label} ${'─'.repeat(Math.max(3, 72 - label.length))}`);
}

/** A chapter as text: title, notes, the source file, its real output, the asyncio line. */
export function renderChapter(chapter: Chapter, index: number, run: ChapterRun, style: Style): string {
  const source = readFileSync(`${root}${chapter.file}`, 'utf8').trimEnd().split('\n');
  const width = String(source.length).length;
  const parts = [
    style.title(`§${chapter.section}  ${chapter.title}`) + style.dim(`   [${index + 1}/${chapters.length}]`),
    '',
    ...chapter.notes,
    '',
    rule(chapter.file, style),
    ...source.map((line, i) => style.dim(`${String(i + 1).padStart(width)} │ `) + style.code(line)),
    rule('output (running it now)', style),
    ...(run.output === '' ? [] : run.output.split('\n').map(style.out)),
  ];
  if (run.failed) parts.push(style.bad(`✖ ${chapter.file} failed: ${run.error instanceof Error ? (run.error.stack ?? run.error.message) : String(run.error)}`));
  parts.push(rule('asyncio', style), style.py(chapter.asyncio), '');
  return parts.join('\n');
}

/** Prints every chapter in order; returns the process exit code (1 if a chapter failed). */
export async function printAll(write: (text: string) => void, style: Style): Promise<number> {
  let code = 0;
  for (let i = 0; i < chapters.length; i++) {
    const chapter = chapters[i] as Chapter;
    const run = await runChapter(chapter);
    if (run.failed) code = 1;
    write(renderChapter(chapter, i, run, style) + '\n');
  }
  return code;
}

const FOOTER = '← previous   → / Enter / space next   q quit';

/** The interactive tour: one chapter per screen, arrows / Enter to move, q to quit. */
export function interactive(): Promise<number> {
  const style = makeStyle(true);
  const stdin = process.stdin;
  emitKeypressEvents(stdin);
  stdin.setRawMode(true);
  stdin.resume();
  let index = 0;
  let busy = false;
  let code = 0;
  return new Promise((resolve) => {
    const show = async (): Promise<void> => {
      busy = true;
      const chapter = chapters[index] as Chapter;
      process.stdout.write('\x1b[2J\x1b[H');
      const run = await runChapter(chapter);
      if (run.failed) code = 1;
      process.stdout.write(renderChapter(chapter, index, run, style) + '\n' + style.dim(FOOTER) + '\n');
      busy = false;
    };
    const quit = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('keypress', onKey);
      process.stdout.write('\n');
      resolve(code);
    };
    const onKey = (_text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined): void => {
      const name = key?.name;
      if (name === 'q' || name === 'escape' || (key?.ctrl === true && name === 'c')) return quit();
      if (busy) return;
      if (name === 'right' || name === 'return' || name === 'enter' || name === 'space' || name === 'n' || name === 'down') {
        if (index === chapters.length - 1) return quit();
        index++;
        void show();
      } else if (name === 'left' || name === 'p' || name === 'up') {
        if (index > 0) index--;
        void show();
      }
    };
    stdin.on('keypress', onKey);
    void show();
  });
}

/** `npm start` (interactive on a TTY) or `npm start -- --all` / no TTY (print everything). */
export async function start(argv: string[]): Promise<number> {
  const all = argv.includes('--all');
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (all || !tty) {
    const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
    return printAll((text) => process.stdout.write(text), makeStyle(color));
  }
  return interactive();
}

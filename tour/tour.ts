/**
 * The tour's engine: run a chapter's file (capturing its console output, or running it as a test
 * file), lay a chapter out at a width, print them all (no TTY, or --all), or page through them
 * full-screen. The terminal takes plain ANSI codes and node:readline's keypress events: no
 * dependency earns its place.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { chapters, type Chapter } from './chapters.ts';
import { closing, CLOSING } from './closing.ts';
import { Pager, type Key, type PageInfo } from './pager.ts';
import { makeStyle, type Style } from './style.ts';
import { summarizeTap } from './tap.ts';
import { renderTable, wrap, type Table } from './text.ts';

export { makeStyle, type Style } from './style.ts';

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
 * Runs the chapter's file now. A `*.test.ts` file runs under `node --test` in a child process
 * (its output is the test tree). Any other file is imported and its exported main() (sync or
 * async) runs here, with everything it prints through console.* captured.
 */
export async function runChapter(chapter: Chapter): Promise<ChapterRun> {
  if (chapter.file.endsWith('.test.ts')) return runTestFile(chapter.file);
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

/** `node --import tsx --test` on one file, summarized as a tree of ✔ / ✖ (no durations). */
export function runTestFile(file: string): Promise<ChapterRun> {
  // Inside `node --test`, NODE_TEST_CONTEXT would make the child report to our runner, not to us.
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { cwd: root, env, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = summarizeTap(stdout);
      if (error === null) resolve({ output, error: undefined, failed: false });
      else resolve({ output, error: new Error(`node --test ${file} exited with ${String(error.code)}${stderr === '' ? '' : `: ${stderr.trim()}`}`), failed: true });
    });
  });
}

/** One line of a chapter before layout: plain text, how to paint it, and an optional gutter. */
interface Row {
  text: string;
  paint: keyof Style | 'plain';
  /** Printed dim before the text (source line numbers); continuation lines get a blank one. */
  gutter?: string;
  /** A horizontal rule with this label. */
  rule?: boolean;
  /** A table, laid out at the width. */
  table?: Table;
}

/** The widest a rule gets (and the width --all prints at without a terminal). */
const RULE = 76;
/** The widest the notes get on a wide terminal. */
const PROSE = 100;

/**
 * The notes as paragraphs: a note line that does not end a sentence continues on the next one,
 * so the text reflows at any width instead of keeping the breaks of the source file.
 */
export function paragraphs(notes: readonly string[]): string[] {
  const out: string[] = [];
  let open = false;
  for (const note of notes) {
    if (open && !/^\d+\. /.test(note)) out[out.length - 1] += ` ${note}`;
    else out.push(note);
    open = !/[.:!?]$/.test(note.trimEnd());
  }
  return out;
}

function chapterRows(chapter: Chapter, run: ChapterRun | undefined, reflow: boolean): Row[] {
  // Unbounded (--all into a pipe): the notes keep their lines; on a screen they reflow.
  const rows: Row[] = (reflow ? paragraphs(chapter.notes) : chapter.notes).map((text) => ({ text, paint: 'plain' as const }));
  if (chapter.table !== undefined) rows.push({ text: '', paint: 'plain' }, { text: '', paint: 'plain', table: chapter.table });
  const source = readFileSync(`${root}${chapter.file}`, 'utf8').trimEnd().split('\n');
  const digits = String(source.length).length;
  rows.push({ text: '', paint: 'plain' }, { text: chapter.file, paint: 'dim', rule: true });
  source.forEach((text, i) => rows.push({ text, paint: 'code', gutter: `${String(i + 1).padStart(digits)} │ ` }));
  rows.push({ text: chapter.file.endsWith('.test.ts') ? 'output (node --test, running it now)' : 'output (running it now)', paint: 'dim', rule: true });
  if (run === undefined) rows.push({ text: '… running', paint: 'dim' });
  else {
    if (run.output !== '') for (const text of run.output.split('\n')) rows.push({ text, paint: 'out' });
    if (run.failed) {
      // A test file's report is already above; for a main() that threw, the stack says where.
      const detail = run.error instanceof Error ? (chapter.file.endsWith('.test.ts') ? run.error.message : (run.error.stack ?? run.error.message)) : String(run.error);
      for (const text of `✖ ${chapter.file} failed: ${detail}`.split('\n')) rows.push({ text, paint: 'bad' });
    }
  }
  rows.push({ text: 'asyncio', paint: 'dim', rule: true }, { text: chapter.asyncio, paint: 'py' });
  return rows;
}

/** Wraps code or output keeping its indentation on the continuation lines (a hanging indent). */
function hang(text: string, width: number): string[] {
  const indent = /^ */.exec(text)?.[0] ?? '';
  if (indent === '' || indent.length > width / 2) return wrap(text, width);
  return wrap(text.slice(indent.length), width - indent.length).map((piece) => indent + piece);
}

function layout(rows: Row[], width: number, style: Style): string[] {
  const out: string[] = [];
  const paint = (p: Row['paint'], s: string): string => (p === 'plain' ? s : style[p](s));
  for (const row of rows) {
    if (row.rule === true) {
      const w = Math.min(width, RULE);
      const label = wrap(row.text, Math.max(1, w - 4))[0] as string;
      out.push(style.dim(`── ${label} ${'─'.repeat(Math.max(0, w - label.length - 4))}`.slice(0, Math.max(w, 0))));
    } else if (row.table !== undefined) {
      renderTable(row.table, width).forEach((line, i) => out.push(i === 0 ? style.title(line) : i === 1 ? style.dim(line) : line));
    } else if (row.gutter !== undefined) {
      const blank = `${' '.repeat(row.gutter.length - 3)} ┆ `;
      hang(row.text, width - row.gutter.length).forEach((piece, i) => out.push(style.dim(i === 0 ? row.gutter as string : blank) + paint(row.paint, piece)));
    } else {
      // Prose reads best at most PROSE columns wide, however wide the terminal.
      const pieces = row.paint === 'plain' ? wrap(row.text, Math.min(width, PROSE)) : hang(row.text, width);
      for (const piece of pieces) out.push(piece === '' ? '' : paint(row.paint, piece));
    }
  }
  return out;
}

/** A chapter's body at `width` columns: notes, table, source, output (or "running"), asyncio. */
export function chapterLines(chapter: Chapter, run: ChapterRun | undefined, style: Style, width: number): string[] {
  return layout(chapterRows(chapter, run, width < Number.MAX_SAFE_INTEGER), width, style);
}

/** A chapter as text, title first: what --all prints. */
export function renderChapter(chapter: Chapter, index: number, run: ChapterRun, style: Style, width = Infinity): string {
  const title = style.title(`§${chapter.section}  ${chapter.title}`) + style.dim(`   [${index + 1}/${chapters.length}]`);
  return [...wrap(title, width === Infinity ? Number.MAX_SAFE_INTEGER : width), '', ...chapterLines(chapter, run, style, width === Infinity ? Number.MAX_SAFE_INTEGER : width), ''].join('\n');
}

/** The closing screen (§17) as text, title first: the last thing --all prints. */
export function renderClosing(style: Style, width = Infinity): string {
  const w = width === Infinity ? 100 : width;
  return [style.title(`§${CLOSING.section}  ${CLOSING.title}`), '', ...closing(style, w), ''].join('\n');
}

/** The pages the reader moves through: every chapter, then the closing screen. */
export const pages: PageInfo[] = [...chapters.map(({ section, title }) => ({ section, title })), CLOSING];

/**
 * The page `--chapter N` opens: the first chapter of section N (17 is the closing screen), or
 * undefined when the article has no such section.
 */
export function pageOfSection(section: string): number | undefined {
  const index = pages.findIndex((page) => page.section === section);
  return index < 0 ? undefined : index;
}

/** Prints the chapters (all, or those of one section) in order; returns the exit code (1 if one failed). */
export async function printAll(write: (text: string) => void, style: Style, options: { section?: string; width?: number } = {}): Promise<number> {
  let code = 0;
  for (let i = 0; i < chapters.length; i++) {
    const chapter = chapters[i] as Chapter;
    if (options.section !== undefined && chapter.section !== options.section) continue;
    const run = await runChapter(chapter);
    if (run.failed) code = 1;
    write(renderChapter(chapter, i, run, style, options.width) + '\n');
  }
  if (options.section === undefined || options.section === CLOSING.section) write(renderClosing(style, options.width) + '\n');
  return code;
}

/** The streams the interactive tour uses: process.stdin / process.stdout, or fakes in tests. */
export interface Terminal {
  input: NodeJS.ReadableStream & { setRawMode?(mode: boolean): unknown; isRaw?: boolean };
  output: { columns?: number; rows?: number; write(text: string): unknown; on(event: 'resize', fn: () => void): unknown; off(event: 'resize', fn: () => void): unknown };
}

/** Maps a readline keypress to the pager's keys. */
export function toKey(text: string | undefined, key: { name?: string; ctrl?: boolean; shift?: boolean; sequence?: string } | undefined): Key {
  if (key?.ctrl === true) return key.name === 'c' || key.name === 'd' ? 'q' : 'other';
  const name = key?.name;
  if (name === 'g' && key?.shift === true) return 'G';
  if (name === 'enter') return 'return';
  const known: readonly string[] = ['up', 'down', 'pageup', 'pagedown', 'space', 'left', 'right', 'return', 'home', 'end', 'escape', 'q', 'l', 'g', 'j', 'k', 'b', 'n', 'p'];
  if (name !== undefined && known.includes(name)) return name as Key;
  if (text === '?') return '?';
  if (text === 'G') return 'G';
  return 'other'; // closes the keys screen; does nothing elsewhere
}

const ENTER_ALT = '\x1b[?1049h\x1b[?25l';
const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

/**
 * The full-screen tour: alternate screen, one page at a time, keys as `?` lists them. Each
 * chapter's file runs the first time its page is shown (one at a time: they share console);
 * the page shows "… running" until its output is in. Resolves with the exit code when the reader
 * quits (1 if a chapter failed), after restoring the terminal.
 */
export function interactive(terminal: Terminal, options: { start?: number; color?: boolean } = {}): Promise<number> {
  const { input, output } = terminal;
  const style = makeStyle(options.color ?? true);
  const runs = new Map<number, ChapterRun>();
  const started = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  let code = 0;
  let closed = false;

  const body = (index: number, width: number): string[] => {
    if (index >= chapters.length) return closing(style, width);
    const chapter = chapters[index] as Chapter;
    if (!started.has(index)) {
      started.add(index);
      queue = queue.then(async () => {
        const run = await runChapter(chapter);
        if (run.failed) code = 1;
        runs.set(index, run);
        if (!closed) draw();
      });
    }
    return chapterLines(chapter, runs.get(index), style, width);
  };
  const pager = new Pager(pages, body, style, output.columns ?? 80, output.rows ?? 24);
  pager.open(options.start ?? 0);

  let last: string[] = [];
  const draw = (): void => {
    const screen = pager.screen();
    let text = '';
    // Rewrite only the rows that changed; clear each row before writing so a full-width row
    // never leaves the cursor in the pending-wrap column where an erase would eat its last cell.
    screen.forEach((row, i) => {
      if (last[i] !== row) text += `\x1b[${i + 1};1H\x1b[2K${row}`;
    });
    last = screen;
    if (text !== '') output.write(text);
  };
  const onResize = (): void => {
    pager.resize(output.columns ?? 80, output.rows ?? 24);
    last = [];
    output.write('\x1b[2J');
    draw();
  };

  return new Promise((resolve) => {
    const wasRaw = input.isRaw === true;
    const restore = (): void => {
      if (closed) return;
      closed = true;
      input.off('keypress', onKey);
      output.off('resize', onResize);
      process.off('exit', restore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onTerm);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write(LEAVE_ALT);
    };
    const onTerm = (signal: NodeJS.Signals): void => {
      restore();
      // Die of it as a shell would report it (128 + the signal's number), chapters or not.
      process.exit(signal === 'SIGTERM' ? 143 : 129);
    };
    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean; shift?: boolean } | undefined): void => {
      if (pager.key(toKey(text, key)) === 'quit') {
        restore();
        // Wait for a chapter still running, so its captured console is given back first.
        void queue.then(() => resolve(code));
        return;
      }
      draw();
    };
    emitKeypressEvents(input);
    input.setRawMode?.(true);
    input.resume();
    input.on('keypress', onKey);
    output.on('resize', onResize);
    // A crash or a kill must not leave the reader's terminal raw, on the alternate screen.
    process.on('exit', restore);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onTerm);
    output.write(ENTER_ALT + '\x1b[2J');
    draw();
  });
}

const USAGE = `usage: npm start [-- --all] [-- --chapter N]
  (no options)   the tour, full screen (press ? for the keys)
  --chapter N    open at the article's section N (1-17)
  --all          print every chapter, in order (what happens anyway when stdout is not a terminal)`;

/** `npm start`: full screen on a TTY; `--all` or no TTY prints everything; `--chapter N` picks the section. */
export async function start(argv: string[], terminal?: Terminal): Promise<number> {
  let all = false;
  let section: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--all') all = true;
    else if (arg === '--chapter' || arg.startsWith('--chapter=')) {
      section = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (section === undefined || pageOfSection(section) === undefined) {
        process.stderr.write(`--chapter ${section ?? ''}: no such section; the article has sections 1 to 17\n${USAGE}\n`);
        return 2;
      }
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else {
      process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
      return 2;
    }
  }
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (terminal === undefined && (all || !tty)) {
    const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
    return printAll((text) => process.stdout.write(text), makeStyle(color), { ...(section === undefined ? {} : { section }), ...(process.stdout.isTTY === true ? { width: process.stdout.columns } : {}) });
  }
  const term = terminal ?? { input: process.stdin, output: process.stdout };
  return interactive(term, { start: section === undefined ? 0 : (pageOfSection(section) as number), color: process.env['NO_COLOR'] === undefined });
}

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import { chapters, type Chapter } from '../tour/chapters.ts';
import { closing, summaryRows, timeline } from '../tour/closing.ts';
import { Pager, stripAnsi } from '../tour/pager.ts';
import { summarizeTap } from '../tour/tap.ts';
import { displayWidth, renderTable, wrap } from '../tour/text.ts';
import { chapterLines, interactive, makeStyle, pages, renderChapter, root, runChapter, runTestFile, start, toKey, type ChapterRun, type Terminal } from '../tour/tour.ts';
import { matchSnapshot } from './snapshot.ts';

// Each chapter runs once; the snapshot tests and the pager tests share the runs.
const runs = new Map<number, Promise<ChapterRun>>();
function runOf(index: number): Promise<ChapterRun> {
  let run = runs.get(index);
  if (run === undefined) {
    run = runChapter(chapters[index] as Chapter);
    runs.set(index, run);
  }
  return run;
}

/** Lines starting with "measured" are timings taken live: their numbers differ on every run. */
function stable(output: string): string {
  return output
    .split('\n')
    .map((line) => (line.startsWith('measured') ? 'measured …' : line))
    .join('\n');
}

describe('tour chapters: each file runs and prints what the reviewed snapshot says', () => {
  chapters.forEach((chapter, i) => {
    test(`§${chapter.section} ${chapter.title} (${chapter.file})`, async () => {
      const run = await runOf(i);
      assert.equal(run.failed, false, `the chapter threw: ${String(run.error)}`);
      matchSnapshot(stable(run.output), `tour/${basename(chapter.file, '.ts')}.txt`);
    });
  });

  test('the AsyncCounter chapter prints a live measured ratio (never asserted: it is a timing)', async () => {
    const run = await runOf(chapters.findIndex((c) => c.file.endsWith('15-async-counter.ts')));
    assert.match(run.output, /^measured yieldio, 20000 items: class [\d.]+ ms, generator [\d.]+ ms, class\/generator = [\d.]+$/m);
  });
});

describe('tour structure: the whole article', () => {
  test('chapters follow the article: section numbers never go backwards, and every section 1-16 has one', () => {
    const numbers = chapters.map((c) => Number(c.section));
    assert.deepEqual([...numbers].sort((a, b) => a - b), numbers);
    assert.deepEqual([...new Set(numbers)], Array.from({ length: 16 }, (_, i) => i + 1));
    assert.equal(pages.at(-1)?.section, '17', 'the closing screen is §17');
  });

  test('every file under examples/tour is a chapter; every chapter has notes and an asyncio line', () => {
    const files = readdirSync(`${root}examples/tour`).filter((f) => f.endsWith('.ts')).map((f) => `examples/tour/${f}`).sort();
    const tourFiles = chapters.map((c) => c.file).filter((f) => f.startsWith('examples/tour/')).sort();
    assert.deepEqual(tourFiles, files);
    for (const chapter of chapters) {
      assert.notEqual(chapter.asyncio.trim(), '', chapter.file);
      assert.ok(chapter.notes.length > 0, chapter.file);
    }
  });

  test('§16 runs the tested files of examples/: scraping (15.2) and the three testing patterns (15.3)', () => {
    const files = chapters.filter((c) => c.section === '16').map((c) => c.file);
    for (const file of ['examples/scraping/backpressure.ts', 'examples/scraping/bounded.ts', 'examples/testing/db-fixture.test.ts', 'examples/testing/paginated-api.test.ts', 'examples/testing/retry-client.test.ts']) {
      assert.ok(files.includes(file), file);
    }
  });

  test('§10 and §14 carry the article\'s summary tables', () => {
    const tabled = chapters.filter((c) => c.table !== undefined).map((c) => c.section);
    assert.ok(tabled.includes('10') && tabled.includes('14'), tabled.join());
  });

  test('a rendered chapter shows the real source, the real output and the asyncio line, without color codes when plain', async () => {
    const chapter = chapters[1]!;
    const text = renderChapter(chapter, 1, await runOf(1), makeStyle(false));
    assert.ok(text.startsWith(`§2  yield: the function that suspends (PEP 255)   [2/${chapters.length}]`));
    assert.ok(text.includes(' │ function* count(): Generator<number> {'));
    assert.ok(text.includes('── output (running it now) ─'));
    assert.ok(text.includes('demo: 10 11'));
    assert.ok(text.trimEnd().endsWith(chapter.asyncio));
    assert.equal(text.includes('\x1b['), false);
  });

  test('a chapter whose main() throws is reported as failed, with the error and the stack', async () => {
    const chapter: Chapter = { section: '0', title: 'broken', file: 'test/fixtures/broken-chapter.ts', notes: [], asyncio: '-' };
    const run = await runChapter(chapter);
    assert.equal(run.failed, true);
    assert.equal((run.error as Error).message, 'this chapter is broken on purpose');
    assert.equal(run.output, 'before the failure');
    const lines = chapterLines(chapter, run, makeStyle(false), 80);
    assert.ok(lines.join(' ').includes('✖ test/fixtures/broken-chapter.ts failed: Error: this chapter is broken on purpose'), lines.join('\n'));
    assert.ok(lines.some((line) => line.includes('at Module.main')), 'the stack says where');
    for (const line of lines) assert.ok(displayWidth(line) <= 80, line);
  });

  test('a testing chapter whose tests fail shows the failing test and its message, and fails the tour', async () => {
    const run = await runTestFile('test/fixtures/failing-tests.ts');
    assert.equal(run.failed, true);
    assert.equal(run.output, ['✖ a suite', '  ✔ passes', '  ✖ fails: arithmetic is broken on purpose', 'tests: 1 passed, 1 failed'].join('\n'));
    assert.match((run.error as Error).message, /^node --test test\/fixtures\/failing-tests.ts exited with 1/);
  });

  test('summarizeTap: nesting, skips, and one-line errors', () => {
    const tap = ['# Subtest: s', '    ok 1 - a', '    ok 2 - b # SKIP', "    not ok 3 - c", "      error: 'boom'", 'not ok 1 - s'].join('\n');
    assert.equal(summarizeTap(tap), ['✖ s', '  ✔ a', '  - b', '  ✖ c: boom', 'tests: 2 passed, 1 failed'].join('\n'));
  });
});

describe('the closing screen (§17)', () => {
  test('the summary table and the PEP timeline 255 → 342 → 380 → 492 → 525 → 828, each pointing to a chapter', () => {
    assert.deepEqual(timeline().map(([, pep]) => pep), ['PEP 255', 'PEP 342', 'PEP 380', 'PEP 492', 'PEP 525', 'PEP 828']);
    for (const [, , , , where] of timeline()) assert.match(where, /^§\d+ \(\d+\/\d+\)$/);
    for (const row of summaryRows()) assert.match(row.at(-1) as string, /^§\d+ \(\d+\/\d+\)$/);
    // Each pointer names the chapter's real section and position.
    for (const [, pep, , , where] of timeline()) {
      const [, section, position] = /^§(\d+) \((\d+)\/\d+\)$/.exec(where) as RegExpExecArray;
      assert.equal(chapters[Number(position) - 1]?.section, section, `${pep} points to ${where}`);
    }
    const text = closing(makeStyle(false), 80).join('\n');
    assert.ok(text.includes('2001  PEP 255  Python 2.2') && text.includes('2016  PEP 525  Python 3.6'));
  });
});

describe('text layout', () => {
  test('wrap: at spaces, inside a word only when it is longer than the line, wide characters count two', () => {
    assert.deepEqual(wrap('the quick brown fox', 10), ['the quick', 'brown fox']);
    assert.deepEqual(wrap('abcdefghijkl', 5), ['abcde', 'fghij', 'kl']);
    assert.equal(displayWidth('🍺 Beer'), 7);
    for (const line of wrap('🍺🍺🍺🍺🍺', 3)) assert.ok(displayWidth(line) <= 3);
  });

  test('renderTable: fits the width by wrapping the widest column', () => {
    const lines = renderTable({ head: ['a', 'b'], rows: [['short', 'a rather long cell that cannot fit in twenty columns']] }, 20);
    for (const line of lines) assert.ok(displayWidth(line) <= 20, line);
    assert.ok(lines.join(' ').includes('columns'));
  });
});

/** Every page's body at `width`, with the real runs. */
async function bodyAt(): Promise<(index: number, width: number) => string[]> {
  const done = await Promise.all(chapters.map((_, i) => runOf(i)));
  const style = makeStyle(true);
  return (index, width) => (index < chapters.length ? chapterLines(chapters[index] as Chapter, done[index], style, width) : closing(style, width));
}

for (const [columns, rows] of [
  [80, 24],
  [120, 40],
] as const) {
  describe(`the pager at ${columns}×${rows}`, () => {
    let body: (index: number, width: number) => string[];
    before(async () => {
      body = await bodyAt();
    });

    const check = (screen: string[]): void => {
      assert.equal(screen.length, rows);
      for (const row of screen) assert.ok(displayWidth(stripAnsi(row)) <= columns, `row wider than ${columns}: ${JSON.stringify(stripAnsi(row))}`);
    };

    test('every page: the header shows §N and the title; paging down reaches the last output line and the asyncio line', () => {
      const pager = new Pager(pages, body, makeStyle(true), columns, rows);
      pages.forEach((page, index) => {
        pager.open(index);
        const seen: string[] = [];
        for (let guard = 0; guard < 500; guard++) {
          const screen = pager.screen();
          check(screen);
          const header = stripAnsi(screen[0] as string);
          assert.ok(header.startsWith(` §${page.section}  ${page.title.slice(0, 20)}`), `header of page ${index + 1}: ${header}`);
          assert.ok(header.trimEnd().endsWith(`${index + 1}/${pages.length}`), header);
          seen.push(...screen.slice(1, -1).map(stripAnsi));
          if (stripAnsi(screen.at(-1) as string).match(/ end$| all$/)) break;
          pager.key('pagedown');
        }
        const all = body(index, columns).map(stripAnsi);
        assert.ok(seen.includes(all.at(-1) as string), `page ${index + 1}: the last line was never on screen`);
        if (index < chapters.length) {
          const chapter = chapters[index] as Chapter;
          const lastOutput = all[all.findIndex((l) => l.startsWith('── asyncio')) - 1]; // the line above the asyncio rule
          assert.ok(lastOutput !== undefined && seen.includes(lastOutput), `page ${index + 1}: the last output line was never on screen`);
          assert.ok(seen.some((line) => line.includes(wrap(chapter.asyncio, columns)[0] as string)), `page ${index + 1}: no asyncio line`);
        }
      });
    });

    test('keys: ↓/↑ scroll a line, space pages then moves on, →/← change chapter, G/g bottom and top', () => {
      const pager = new Pager(pages, body, makeStyle(false), columns, rows);
      pager.open(1);
      pager.key('down');
      assert.equal(pager.scroll, Math.min(1, body(1, columns).length - pager.bodyHeight));
      pager.key('up');
      assert.equal(pager.scroll, 0);
      pager.key('G');
      assert.equal(pager.scroll, Math.max(0, body(1, columns).length - pager.bodyHeight));
      pager.key('space'); // at the end: the next chapter, at its top
      assert.deepEqual([pager.index, pager.scroll], [2, 0]);
      pager.key('right');
      assert.equal(pager.index, 3);
      pager.key('left');
      pager.key('left');
      assert.equal(pager.index, 1);
      pager.open(pages.length - 1);
      pager.key('right'); // the closing screen is the last page
      assert.equal(pager.index, pages.length - 1);
      assert.equal(pager.key('q'), 'quit');
    });

    test('l opens the chapter list; ↓ and Enter jump; ? shows the keys, any key closes them', () => {
      const pager = new Pager(pages, body, makeStyle(false), columns, rows);
      pager.open(0);
      pager.key('l');
      assert.equal(pager.mode, 'list');
      let screen = pager.screen();
      check(screen);
      assert.ok(screen.some((row) => row.includes('▶ §1 ')), screen.join('\n'));
      for (let i = 0; i < pages.length + 3; i++) pager.key('down'); // past the end: stays on the last
      screen = pager.screen();
      check(screen);
      assert.ok(screen.some((row) => row.startsWith('▶ §17  Summary')), 'the list scrolls to keep the cursor on screen');
      pager.key('home');
      pager.key('down');
      pager.key('return');
      assert.deepEqual([pager.mode, pager.index], ['page', 1]);
      pager.key('?');
      screen = pager.screen();
      check(screen);
      assert.ok(screen.join('\n').includes('quit (the terminal is restored)'));
      pager.key('down');
      assert.equal(pager.mode, 'page');
    });

    test('resize keeps the page and clamps the scroll; every screen still fits', () => {
      const pager = new Pager(pages, body, makeStyle(true), columns, rows);
      pager.open(pages.length - 2);
      pager.key('G');
      pager.resize(40, 10);
      assert.equal(pager.screen().length, 10);
      for (const row of pager.screen()) assert.ok(displayWidth(stripAnsi(row)) <= 40, stripAnsi(row));
      assert.ok(stripAnsi(pager.screen()[0] as string).startsWith(` §${pages[pager.index]?.section}`));
      pager.resize(columns, rows);
      assert.ok(pager.scroll <= Math.max(0, body(pager.index, columns).length - pager.bodyHeight));
      check(pager.screen());
    });
  });
}

/** A terminal screen fed with what the tour writes: cursor moves, line erases, text. */
class FakeScreen {
  cells: string[];
  alternate = false;
  private row = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.cells = Array(rows).fill('');
  }
  write(data: string): void {
    const re = /\x1b\[\?1049([hl])|\x1b\[\?25[hl]|\x1b\[(\d+);(\d+)H|\x1b\[2K|\x1b\[2J|\x1b\[[0-9;]*m|([^\x1b]+)/g;
    for (const m of data.matchAll(re)) {
      if (m[1] !== undefined) this.alternate = m[1] === 'h';
      else if (m[2] !== undefined) this.row = Number(m[2]) - 1;
      else if (m[0] === '\x1b[2K') this.cells[this.row] = '';
      else if (m[0] === '\x1b[2J') this.cells = Array(this.rows).fill('');
      else if (m[4] !== undefined) this.cells[this.row] = (this.cells[this.row] ?? '') + m[4];
    }
  }
}

describe('interactive(): a fake TTY', () => {
  test('alternate screen, header, keys through readline, resize re-renders, q restores the terminal', async () => {
    const input = new PassThrough() as PassThrough & { setRawMode(mode: boolean): void; isRaw: boolean; isTTY: boolean };
    const modes: boolean[] = [];
    input.isTTY = true;
    input.isRaw = false;
    input.setRawMode = (mode: boolean): void => {
      modes.push(mode);
      input.isRaw = mode;
    };
    let screen = new FakeScreen(80, 24);
    const output = Object.assign(new EventEmitter(), {
      columns: 80,
      rows: 24,
      write(text: string): boolean {
        screen.write(text);
        return true;
      },
    });
    const done = interactive({ input, output } as unknown as Terminal, { start: 1, color: true });
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
    await settle();
    assert.equal(screen.alternate, true);
    assert.deepEqual(modes, [true]);
    assert.ok(screen.cells[0]?.startsWith(' §2  yield: the function that suspends'), screen.cells[0]);
    input.write('\x1b[C'); // →
    await settle();
    assert.ok(screen.cells[0]?.startsWith(' §3  '), screen.cells[0]);
    input.write('\x1b[B'); // ↓ scrolls one line
    await settle();
    input.write('?');
    await settle();
    assert.ok(screen.cells.join('\n').includes('scroll one line'));
    input.write('x'); // any key closes the keys screen
    await settle();
    // Resize: the tour redraws at the new size.
    screen = new FakeScreen(100, 30);
    Object.assign(output, { columns: 100, rows: 30 });
    output.emit('resize');
    await settle();
    assert.ok(screen.cells[0]?.startsWith(' §3  '));
    assert.equal(displayWidth(screen.cells[0] as string), 100);
    assert.ok((screen.cells[29] ?? '').includes('q quit'));
    input.write('q');
    assert.equal(await done, 0);
    assert.equal(screen.alternate, false, 'q leaves the alternate screen');
    assert.deepEqual(modes, [true, false], 'raw mode is turned off again');
  });

  test('start --chapter 17 on a TTY opens the closing screen; Ctrl-C quits', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode(): void {} });
    const screen = new FakeScreen(80, 24);
    const output = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: (text: string): boolean => (screen.write(text), true) });
    const done = start(['--chapter', '17'], { input, output } as unknown as Terminal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(screen.cells[0]?.startsWith(' §17  Summary and the narrative thread'), screen.cells[0]);
    assert.ok(screen.cells.some((row) => row.startsWith('PEP  Python  Concept')), 'the summary table is on the first screen');
    input.write('\x03'); // Ctrl-C
    assert.equal(await done, 0);
    assert.equal(screen.alternate, false);
  });

  test('toKey: readline names, shifted letters and Ctrl-C', () => {
    assert.equal(toKey(undefined, { name: 'pagedown' }), 'pagedown');
    assert.equal(toKey('G', { name: 'g', shift: true }), 'G');
    assert.equal(toKey('?', { sequence: '?' }), '?');
    assert.equal(toKey(undefined, { name: 'c', ctrl: true }), 'q');
    assert.equal(toKey(undefined, { name: 'enter' }), 'return');
    assert.equal(toKey('z', { name: 'z' }), 'other');
  });
});

describe('npm start', () => {
  test('--all without a TTY prints every chapter in order, then the closing screen, and exits 0', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tour/main.ts', '--all'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.status, 0, result.stderr);
    let at = -1;
    for (const chapter of chapters) {
      const next = result.stdout.indexOf(`§${chapter.section}  ${chapter.title}`, at + 1);
      assert.ok(next > at, `chapter "${chapter.title}" missing or out of order`);
      at = next;
    }
    assert.ok(result.stdout.indexOf('§17  Summary and the narrative thread') > at);
    assert.equal(result.stdout.includes('\x1b['), false);
    assert.equal(result.stdout.includes('✖'), false);
  });

  test('--chapter N --all prints that section only; a section the article lacks is refused', async () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tour/main.ts', '--all', '--chapter', '12'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.status, 0, result.stderr);
    const titles = result.stdout.split('\n').filter((line) => /^§\d+ {2}/.test(line));
    assert.deepEqual(titles.map((t) => t.split(' ')[0]), chapters.filter((c) => c.section === '12').map(() => '§12'));
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'tour/main.ts', '--chapter', '99'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^--chapter 99: no such section; the article has sections 1 to 17\n/);
    assert.equal(await start(['--frobnicate']), 2);
  });
});

/** A tmux server of our own (its own socket: no clash with anyone's sessions) running the tour in an 80×24 pane. */
function tourInTmux(name: string): { tmux(...args: string[]): string; screen(): string; waitFor(what: string, predicate: (text: string) => boolean): Promise<string>; panePid(): number; close(): void } {
  const socket = `yieldio-tour-${name}-${process.pid}`;
  const tmux = (...args: string[]): string => {
    const result = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    assert.equal(result.status, 0, `tmux ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'tour');
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const script = `${JSON.stringify(process.execPath)} --import tsx tour/main.ts; echo "tour exited $?"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-*icanon'; sleep 120`;
  const started = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'tour', '-x', '80', '-y', '24', '-c', root, 'sh', '-c', script], { encoding: 'utf8', env });
  assert.equal(started.status, 0, started.stderr);
  return {
    tmux,
    screen,
    /** Polls the pane until `predicate` holds (a wait, not a timing assertion: the deadline is generous). */
    async waitFor(what, predicate) {
      for (let i = 0; i < 600; i++) {
        const text = screen();
        if (predicate(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`never saw ${what} in the pane:\n${screen()}`);
    },
    /** The tour's own pid: the child of the pane's shell. */
    panePid() {
      const shell = tmux('display', '-p', '-t', 'tour', '#{pane_pid}').trim();
      const child = spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      return Number(child);
    },
    close() {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
}

describe('a real pseudo-terminal: npm start inside tmux at 80×24', () => {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  const skip = probe.error !== undefined || probe.status !== 0 ? 'SKIPPED LOUDLY: tmux is not installed, so no pseudo-terminal run (apt-get install tmux)' : false;
  if (skip !== false) console.warn(`tour.test.ts: ${skip}`);

  test('the header is on screen, G reaches the end, l lists the chapters, q quits and gives the terminal back', { skip }, async () => {
    const pane = tourInTmux('keys');
    const { tmux, screen, waitFor } = pane;
    try {
      let text = await waitFor('the §1 header', (t) => t.startsWith(' §1  Iterables and iterators'));
      for (const line of text.split('\n')) assert.ok(displayWidth(line) <= 80, line);
      assert.match(text.split('\n')[0] as string, /1\/\d+\s*$/);
      tmux('send-keys', '-t', 'tour', 'G');
      text = await waitFor('the end of chapter 1', (t) => / end\s*$/m.test(t));
      assert.ok(text.includes(chapters[0]!.asyncio));
      tmux('send-keys', '-t', 'tour', 'l');
      await waitFor('the chapter list', (t) => t.startsWith(' Chapters') && t.includes('▶ §1 '));
      tmux('send-keys', '-t', 'tour', 'End', 'Enter');
      await waitFor('the closing screen', (t) => t.startsWith(' §17  Summary and the narrative thread'));
      tmux('send-keys', '-t', 'tour', 'q');
      text = await waitFor('the tour exiting', (t) => t.includes('tour exited'));
      assert.ok(text.includes('tour exited 0'), text);
      assert.equal(text.includes('§17'), false, 'the alternate screen was left: the shell screen is back');
      await waitFor('the terminal mode', (t) => /^-?icanon$/m.test(t));
      assert.match(screen(), /^icanon$/m, 'canonical mode is back (raw mode was turned off)');
    } finally {
      pane.close();
    }
  });

  test('killed with SIGTERM, the tour still restores the terminal and exits 143', { skip }, async () => {
    const pane = tourInTmux('term');
    try {
      await pane.waitFor('the §1 header', (t) => t.startsWith(' §1  Iterables and iterators'));
      process.kill(pane.panePid(), 'SIGTERM');
      const text = await pane.waitFor('the terminal mode', (t) => /^-?icanon$/m.test(t));
      assert.ok(text.includes('tour exited 143'), text);
      // Without the handler Node still resets the tty mode, but leaves the tour's screen up.
      assert.equal(text.includes('examples/tour/01-iterators.ts'), false, `the alternate screen was left:\n${text}`);
      assert.match(text, /^icanon$/m, 'canonical mode is back');
    } finally {
      pane.close();
    }
  });
});

/**
 * The closing screen (the article's §17): the journey in one table and the PEP timeline, each
 * line pointing to the chapter of the tour that showed it (found by file, so a renumbered tour
 * keeps pointing right).
 */
import { chapters } from './chapters.ts';
import type { PageInfo } from './pager.ts';
import type { Style } from './style.ts';
import { cut, displayWidth, renderTable, wrap } from './text.ts';

/** The closing screen's header. */
export const CLOSING: PageInfo = { section: '17', title: 'Summary and the narrative thread' };

/** `§N (k/n)`: the section and the position (as the header shows it) of the chapter that runs `file`; throws if none does (a stale pointer). */
export function pointer(file: string): string {
  const index = chapters.findIndex((c) => c.file === `examples/tour/${file}`);
  if (index < 0) throw new Error(`closing screen: no chapter runs examples/tour/${file}`);
  return `§${chapters[index]?.section} (${index + 1}/${chapters.length + 1})`;
}

/** The summary table (PEP, Python, concept, what it gives, mechanism, where the tour showed it). */
export function summaryRows(): string[][] {
  return [
    ['255', '2.2', 'yield', 'suspension', 'the frame freezes at yield', pointer('02-yield.ts')],
    ['342', '2.5', 'send()', 'two-way communication', 'yield becomes an expression', pointer('04-send.ts')],
    ['342', '2.5', 'throw() / close()', 'lifecycle, cancellation', 'GeneratorExit, exceptions injected', pointer('05-throw-return.ts')],
    ['380', '3.3', 'yield from', 'composition + return value', 'StopIteration.value, two-way tunnel', pointer('08-delegation.ts')],
    ['492', '3.5', 'async / await', 'a syntax of its own', '__await__ protocol, CO_COROUTINE', pointer('11-await.ts')],
    ['525', '3.6', 'async generators', 'yield inside async def', '__aiter__ __anext__ asend athrow aclose', pointer('15-protocol.ts')],
    ['828', '3.15?', 'async yield from', 'delegation for async generators', 'StopAsyncIteration.value (draft)', pointer('15-pep828.ts')],
    ['–', '', 'event loop', 'automatic orchestration', 'send() driven by I/O readiness', pointer('13-io-readiness.ts')],
  ];
}

/** The timeline: year, PEP, Python version, what came, where the tour showed it. */
export function timeline(): [string, string, string, string, string][] {
  return [
    ['2001', 'PEP 255', 'Python 2.2', 'yield (suspension)', pointer('02-yield.ts')],
    ['2005', 'PEP 342', 'Python 2.5', 'send() (two-way), throw/close (lifecycle)', pointer('04-send.ts')],
    ['2012', 'PEP 380', 'Python 3.3', 'yield from (composition + return value): StopIteration.value, the bridge to await', pointer('07-return-value.ts')],
    ['2015', 'PEP 492', 'Python 3.5', 'async/await (__await__), the event loop: send() automated on I/O readiness', pointer('12-awaitable.ts')],
    ['2016', 'PEP 525', 'Python 3.6', 'async generators (yield + await together): the circle closes', pointer('15-async-generators.ts')],
    ['2026', 'PEP 828', 'Python 3.15', 'async yield from (draft): the story repeats', pointer('15-pep828.ts')],
  ];
}

/** The closing screen's lines at `width` columns. */
export function closing(style: Style, width: number): string[] {
  const out: string[] = [];
  const prose = (text: string): void => {
    for (const line of wrap(text, Math.min(width, 100))) out.push(line);
  };
  prose('The whole journey in one table. The last column is the chapter that showed it, and its page as the header counts them (l lists the chapters).');
  out.push('');
  const table = renderTable({ head: ['PEP', 'Python', 'Concept', 'What it gives', 'Mechanism', 'Shown in'], rows: summaryRows() }, width);
  table.forEach((line, i) => out.push(i === 0 ? style.title(line) : i === 1 ? style.dim(line) : line));
  out.push('', style.title('The narrative thread'), '');
  const steps = timeline();
  steps.forEach(([year, pep, python, what, where], i) => {
    const head = `${year}  ${pep}  ${python.padEnd(11)}`.trimEnd();
    const indent = ' '.repeat(`${year}  ${pep}  `.length + 13);
    const room = Math.max(10, width - indent.length);
    // The pointer stays in one piece: on the last line if it fits there, else on a line of its own.
    const lines = wrap(what, room);
    const arrow = `→ ${where}`;
    if (displayWidth(lines.at(-1) as string) + 2 + displayWidth(arrow) <= room) lines[lines.length - 1] += `  ${arrow}`;
    else lines.push(arrow);
    if (head.length + 12 > width) {
      // Too narrow for the hanging layout: the year line, then the text under it.
      out.push(style.title(cut(head, width)), ...lines.map((line) => cut(line, width)));
    } else lines.forEach((line, k) => out.push(k === 0 ? `${style.title(head.padEnd(indent.length - 2))}  ${line}` : indent + line));
    if (i < steps.length - 1) out.push(`${' '.repeat(Math.min(indent.length, Math.max(0, width - 1)))}${style.dim('│')}`, `${' '.repeat(Math.min(indent.length, Math.max(0, width - 1)))}${style.dim('▼')}`);
  });
  out.push('');
  prose('Every step is a rung. No leaps. No magic: async/await is what fourteen years of generators became.');
  prose('A coroutine is not a function running in parallel. It is a function that decides when to stop, to make room for the others.');
  return out;
}

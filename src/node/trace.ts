/**
 * The Node side of `run(main, { trace: 'out.json' })` and `YIELDIO_TRACE=out.json`: the core
 * cannot touch the file system, so it records into a TraceRecorder and this module, registered
 * when yieldio/node is loaded, writes the file when the runner closes.
 * @asyncio none
 * @module
 */
import { writeFileSync } from 'node:fs';
import { setTraceHost, traceFormatOf, type TraceRecorder } from '../trace.ts';
import { psLoopClosed, psLoopOpened } from './ps.ts';

/**
 * Writes `recorder` to `path`: Chrome trace JSON, the terminal timeline for `.txt`, the page for `.html`.
 * @asyncio none
 */
export function writeTrace(path: string, recorder: TraceRecorder): void {
  const format = traceFormatOf(path);
  const text =
    format === 'txt' ? recorder.formatTimeline({ width: 100 }) + '\n' : format === 'html' ? recorder.toHtml({ title: `yieldio timeline: ${path}` }) : JSON.stringify(recorder.toChromeTrace());
  writeFileSync(path, text);
}

setTraceHost({
  write: writeTrace,
  // Read when a runner creates its loop, so setting the variable in-process works too.
  defaultTarget: () => process.env['YIELDIO_TRACE'],
  loopOpened: psLoopOpened,
  loopClosed: psLoopClosed,
});

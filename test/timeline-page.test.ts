/**
 * recorder.toHtml() in a real headless Chromium: the page draws a track per task and a bar per
 * step for a known program, and its screenshot matches the reviewed reference within a tolerance.
 * `UPDATE_SNAPSHOTS=1` rewrites the reference (look at it before committing). Skips loudly where
 * no chromium is installed (`apt-get install -y chromium`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { TraceRecorder, createTask, currentTask, gather, Lock, runSync, sleep } from '../src/index.ts';
import type { Coroutine } from '../src/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const reference = join(here, 'snapshots', 'trace', 'timeline-page.png');
const docsImage = join(here, '..', 'docs', 'images', 'seeing-the-loop-timeline.png');

function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
  }
  return null;
}
const chromium = findChromium();
if (chromium === null) console.warn('SKIPPED: timeline page tests: no chromium on PATH (apt-get install -y chromium)');

/** The known program: two workers share a lock; main gathers them. */
function* program(): Coroutine<number[]> {
  currentTask()?.setName('main');
  const lock = new Lock();
  function* worker(n: number): Coroutine<number> {
    yield* lock.acquire();
    try {
      yield* sleep(100 * n);
    } finally {
      lock.release();
    }
    return n;
  }
  return yield* gather(createTask(worker(1), { name: 'a' }), createTask(worker(2), { name: 'b' }));
}

function page(): string {
  const recorder = new TraceRecorder();
  runSync(program(), { trace: recorder });
  return recorder.toHtml({ title: 'yieldio timeline: two workers and a lock' });
}

function chrome(dir: string, args: string[]): string {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  return execFileSync(chromium as string, [...flags, `--user-data-dir=${join(dir, 'profile')}`, '--hide-scrollbars', '--window-size=900,300', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 120_000,
  });
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to RGBA pixels. */
function decodePng(file: Buffer): { width: number; height: number; rgba: Uint8Array } {
  assert.equal(file.subarray(1, 4).toString('latin1'), 'PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < file.length) {
    const length = file.readUInt32BE(pos);
    const type = file.subarray(pos + 4, pos + 8).toString('latin1');
    const data = file.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8');
      colorType = data[9] as number;
      assert.ok(colorType === 2 || colorType === 6, `color type ${colorType}`);
      assert.equal(data[12], 0, 'not interlaced');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + length;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const line = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i] as number;
      const a = i >= channels ? (line[i - channels] as number) : 0;
      const b = prev[i] as number;
      const c = i >= channels ? (prev[i - channels] as number) : 0;
      let p: number;
      if (filter === 0) p = 0;
      else if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (v + p) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * channels + k] as number;
      out[(y * width + x) * 4 + 3] = channels === 4 ? (line[x * channels + 3] as number) : 255;
    }
    prev.set(line);
  }
  return { width, height, rgba: out };
}

describe('recorder.toHtml() in headless Chromium', { skip: chromium === null ? 'no chromium on PATH' : false }, () => {
  test('the page is self-contained: no network, no external resources', () => {
    const html = page();
    assert.doesNotMatch(html, /<(?:script|link|img)[^>]+(?:src|href)=/i);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  test('draws a track per task and a bar per step for a known program', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yieldio-seeing-page-'));
    try {
      const file = join(dir, 'timeline.html');
      writeFileSync(file, page());
      const dom = chrome(dir, ['--dump-dom', `file://${file}`]);
      assert.match(dom, /<body data-ready="true">/, 'the script ran');
      assert.match(dom, /data-tracks="4"/);
      const tracks = [...dom.matchAll(/<g class="track" data-name="([^"]+)"/g)].map((m) => m[1]?.replace(/&#39;|&apos;/g, "'"));
      assert.deepEqual(tracks, ['event loop', "Task 'main'", "Task 'a'", "Task 'b'"]);
      const bars = dom.match(/<rect [^>]*class="step[ "]/g) ?? [];
      assert.equal(bars.length, 7); // main 2, a 2, b 3
      // what hovering shows: the step's await and its waker
      assert.match(dom, /class="step ?" data-awaits="Lock\.acquire\(\) on &lt;Lock \[locked, waiters:1\]&gt; held by Task (?:'|&#39;)a(?:'|&#39;)"/);
      assert.match(dom, /data-awaits="sleep\(200\) until t=300" data-woken-by="Task (?:'|&#39;)a(?:'|&#39;)"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the screenshot matches the reviewed reference (within a tolerance)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yieldio-seeing-shot-'));
    try {
      const file = join(dir, 'timeline.html');
      const shot = join(dir, 'shot.png');
      writeFileSync(file, page());
      chrome(dir, [`--screenshot=${shot}`, `file://${file}`]);
      assert.ok(existsSync(shot), 'chromium wrote no screenshot');
      if (process.env['UPDATE_SNAPSHOTS'] === '1') {
        copyFileSync(shot, reference);
        copyFileSync(shot, docsImage);
        return;
      }
      const actual = decodePng(readFileSync(shot));
      const expected = decodePng(readFileSync(reference));
      assert.deepEqual([actual.width, actual.height], [expected.width, expected.height]);
      // Fonts and antialiasing differ a little between machines: count clearly different pixels.
      let different = 0;
      for (let i = 0; i < actual.rgba.length; i += 4) {
        let delta = 0;
        for (let k = 0; k < 3; k++) delta = Math.max(delta, Math.abs((actual.rgba[i + k] as number) - (expected.rgba[i + k] as number)));
        if (delta > 64) different++;
      }
      const fraction = different / (actual.width * actual.height);
      assert.ok(fraction < 0.02, `${(fraction * 100).toFixed(2)}% of the pixels differ from ${reference}`);
      // And the picture is not blank: the step bars' blue is there.
      let blue = 0;
      for (let i = 0; i < actual.rgba.length; i += 4) if (actual.rgba[i] === 0x3b && actual.rgba[i + 1] === 0x7d && actual.rgba[i + 2] === 0xd8) blue++;
      assert.ok(blue > 50, `only ${blue} step-coloured pixels`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

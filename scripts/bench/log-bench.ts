/**
 * The log renderer's own figures, for `npm run bench`: a 1,000,000-line log (cut on its page) and
 * the corpus's typical sizes (shown whole), rendered cold from files shaped like real CI output
 * (scripts/bench/ci-log-gen.ts). Prints log lines per second, the page's bytes per shown log line,
 * and the heap the render needed, which must not grow with the log's size.
 *
 *   node scripts/bench/log-bench.ts
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { LogRenderer } from '../logs/lane-log.ts';
import { Random } from './code-gen.ts';
import { logLines } from './ci-log-gen.ts';

export interface LogFigures {
  name: string;
  lines: number;
  ms: number;
  linesPerSecond: number;
  htmlBytes: number;
  shownLines: number;
  bytesPerShownLine: number;
  heapGrowthMiB: number;
}

async function writeLog(file: string, count: number, seed: number): Promise<void> {
  const out = createWriteStream(file);
  for (const line of logLines(new Random(seed), count, true)) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

export async function measureLogRendering(): Promise<LogFigures[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'review-archive-log-bench-'));
  try {
    const figures: LogFigures[] = [];
    for (const [name, count, repeat] of [['typical lane logs (600 lines, shown whole) ×200', 600, 200], ['a 20,000-line log (cut)', 20_000, 1], ['a 1,000,000-line log (cut)', 1_000_000, 1]] as const) {
      const file = path.join(work, `${count}.log`);
      await writeLog(file, count, count);
      const size = (await stat(file)).size;
      const renderer = new LogRenderer(undefined);
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peakHeap = heapBefore;
      const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
      const started = performance.now();
      let htmlBytes = 0;
      let shownLines = 0;
      for (let i = 0; i < repeat; i++) {
        const rendered = await renderer.render({ relative: 'x.log', file, size, gzip: false, sha256: String(i) }, 'run-1-lane', path.join(work, `${count}-${i}.txt`), 'x.txt');
        htmlBytes += 'bytes' in rendered.html ? rendered.html.bytes.length : rendered.html.entry.length;
        shownLines += rendered.shownLines;
      }
      const ms = performance.now() - started;
      clearInterval(sampler);
      const lines = count * repeat;
      figures.push({ name, lines, ms, linesPerSecond: lines / (ms / 1000), htmlBytes, shownLines, bytesPerShownLine: htmlBytes / shownLines, heapGrowthMiB: (peakHeap - heapBefore) / 2 ** 20 });
    }
    return figures;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const figure of await measureLogRendering()) {
    console.log(`${figure.name}: ${Math.round(figure.linesPerSecond).toLocaleString('en-US')} log lines/s (${(figure.ms / 1000).toFixed(1)} s), ${figure.bytesPerShownLine.toFixed(0)} page bytes per shown line, heap +${figure.heapGrowthMiB.toFixed(0)} MiB`);
  }
}

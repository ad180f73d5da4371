import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaneLogFile } from '../../../scripts/archive/lane-logs.ts';
import { LogRenderer } from '../../../scripts/logs/lane-log.ts';
import { logLimitsFor } from '../../../scripts/logs/log-view.ts';
import { LogPool } from '../../../scripts/logs/log-pool.ts';
import { renderCiLogs } from '../../../scripts/logs/render-ci.ts';
import type { SiteRun } from '../../../scripts/schema/site.ts';
import { pageLogsHtml, renderedHtml } from '../../support/log-html.ts';
import { tempDir } from '../../support/temp-dir.ts';

const E = '\x1b';
let work: string;
beforeAll(async () => {
  work = await tempDir('ra-log-pool-');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A log file of `lines` lines with colours, a group, a progress bar and an error, named by its content. */
async function logFile(name: string, lines: number): Promise<LaneLogFile> {
  const text = Array.from({ length: lines }, (_, i) =>
    i === 0 ? '##[group]Build' : i === 5 ? '##[endgroup]' : i === lines - 2 ? 'error: boom' : i % 7 === 0 ? `\r${E}[32m${'━'.repeat(i % 9)}${E}[0m ${i}%` : `2026-03-27T00:55:${String(i % 60).padStart(2, '0')}.1234567Z ${E}[1mline${E}[0m ${i} <b>`,
  ).join('\n');
  const file = path.join(work, name);
  await writeFile(file, `${text}\n`);
  return { relative: name, file, size: text.length + 1, gzip: false, sha256: `${name}-${lines}` };
}

const run = (id: number, lanes: string[]): SiteRun => ({ id, status: 'failed', head: 'ab'.repeat(20), queuedAt: '2026-03-27T00:55:00Z', anchor: `run-${id}`, lanes: lanes.map((name) => ({ name, status: 'failed', anchor: `run-${id}-${name}` })) }) as SiteRun;

// Each case starts worker threads that load the log renderer's modules: seconds on a busy machine.
describe('LogPool: logs rendered in worker threads', { timeout: 60_000 }, () => {
  it('gives a CI page the same bytes, facts and whole-log files as rendering in this thread, and fills the same cache', async () => {
    const limits = logLimitsFor(100);
    const runs = [run(1, ['a', 'b', 'c']), run(2, ['a', 'd'])];
    const logs = new Map([
      ['0/0', await logFile('a.log', 40)],
      ['0/1', await logFile('b.log', 500)],
      ['0/2', await logFile('c.log', 3)],
      ['1/0', await logFile('a2.log', 150)],
      ['1/1', await logFile('d.log', 90)],
    ]);
    // Each into a site data folder of its own, its logs' HTML under `ci/1` there.
    const htmlFolder = (name: string) => ({ dir: path.join(work, `${name}-data`, 'ci', '1'), relative: 'ci/1' });
    const here = await renderCiLogs(runs, logs, new LogRenderer(path.join(work, 'cache-here'), limits), path.join(work, 'here'), htmlFolder('here'));
    const hereHtml = pageLogsHtml(here.logs, path.join(work, 'here-data'));
    expect(Object.keys(hereHtml)).toHaveLength(5);
    expect(hereHtml['2/run-2-d']).toContain('<a id=run-2-d-L3 href=#run-2-d-L3>3</a>');
    const pool = new LogPool({ cacheDir: path.join(work, 'cache-pool'), limits }, 2);
    try {
      const pooled = await renderCiLogs(runs, logs, new LogRenderer(path.join(work, 'cache-pool'), limits, pool), path.join(work, 'pooled'), htmlFolder('pooled'));
      expect(pageLogsHtml(pooled.logs, path.join(work, 'pooled-data'))).toEqual(hereHtml);
      expect(pooled.htmlHashes).toEqual(here.htmlHashes);
      expect(pooled.logs).toEqual(here.logs);
      expect(pooled.runs).toEqual(here.runs);
      expect(pooled.textHashes).toEqual(here.textHashes);
      expect(Object.keys(pooled.textHashes).sort()).toEqual(['1/b.txt', '2/a.txt']);
      for (const href of Object.keys(here.textHashes)) expect(await readFile(path.join(work, 'pooled', href), 'utf8')).toBe(await readFile(path.join(work, 'here', href), 'utf8'));
    } finally {
      await pool.close();
    }
    // What the workers left in the cache serves the next build without them, and without the logs.
    for (const log of logs.values()) await rm(log.file);
    const again = await renderCiLogs(runs, logs, new LogRenderer(path.join(work, 'cache-pool'), limits), path.join(work, 'again'), htmlFolder('again'));
    expect(pageLogsHtml(again.logs, path.join(work, 'again-data'))).toEqual(hereHtml);
    expect(again.logs).toEqual(here.logs);
  });

  it('fails a render whose log cannot be read, naming the file, and goes on rendering the others', async () => {
    const limits = logLimitsFor(100);
    await mkdir(path.join(work, 'gone'), { recursive: true });
    const pool = new LogPool({ cacheDir: undefined, limits }, 1);
    try {
      const renderer = new LogRenderer(undefined, limits, pool);
      const missing = { relative: 'gone.log', file: path.join(work, 'gone', 'gone.log'), size: 1, gzip: false, sha256: 'gone' };
      await expect(renderer.render(missing, 'run-1-a', path.join(work, 'gone', 'a.txt'), '1/a.txt')).rejects.toThrow(/ENOENT.*gone\.log/);
      const rendered = await renderer.render(await logFile('after.log', 10), 'run-1-b', path.join(work, 'gone', 'b.txt'), '1/b.txt');
      expect(rendered.totalLines).toBe(10);
      expect(renderedHtml(rendered.html)).toContain('<a id=run-1-b-L3 href=#run-1-b-L3>3</a>');
    } finally {
      await pool.close();
    }
  });

  it('sends a log to the thread with the fewest bytes of logs waiting, so the small ones do not wait behind a huge one', async () => {
    const limits = logLimitsFor(100);
    await mkdir(path.join(work, 'sizes'), { recursive: true });
    const pool = new LogPool({ cacheDir: undefined, limits }, 2);
    try {
      const renderer = new LogRenderer(undefined, limits, pool);
      const huge = await logFile('sizes-huge.log', 20_000);
      const small = await Promise.all([1, 2, 3].map((n) => logFile(`sizes-${n}.log`, 10 + n)));
      const rendering = [huge, ...small].map((log, i) => renderer.render(log, `run-1-l${i}`, path.join(work, 'sizes', `${i}.txt`), `1/l${i}.txt`));
      const slots = [...(pool as unknown as { pending: Map<number, { slot: number }> }).pending.values()].map((pending) => pending.slot);
      // Counted by logs, the second and the fourth would have waited behind the huge one.
      expect(slots).toEqual([0, 1, 1, 1]);
      expect((await Promise.all(rendering)).map((rendered) => rendered.totalLines)).toEqual([20_000, 11, 12, 13]);
    } finally {
      await pool.close();
    }
  });

  it('fails the logs of a thread that stops (a crash, out of memory) and renders the next ones on a new thread', async () => {
    const limits = logLimitsFor(100);
    await mkdir(path.join(work, 'crash'), { recursive: true });
    const pool = new LogPool({ cacheDir: undefined, limits }, 1);
    try {
      const renderer = new LogRenderer(undefined, limits, pool);
      const first = renderer.render(await logFile('crash-1.log', 20_000), 'run-1-a', path.join(work, 'crash', 'a.txt'), '1/a.txt');
      // What a crash looks like from here: the thread gone while its log is being rendered.
      await (pool as unknown as { workers: Worker[] }).workers[0]!.terminate();
      await expect(first).rejects.toThrow(/^a log rendering thread stopped \(exit code \d+\)$/);
      const next = await renderer.render(await logFile('crash-2.log', 10), 'run-1-b', path.join(work, 'crash', 'b.txt'), '1/b.txt');
      expect(next.totalLines).toBe(10);
    } finally {
      await pool.close();
    }
  });
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFigure } from '../../scripts/bench/figures.ts';
import { measuredRun } from '../../scripts/bench/measured-run.ts';
import { coldVersusPeer, peerTime } from '../../scripts/bench/peer-figures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `npm run bench` runs each peer under a CPU time limit (`--peer-limit`): on spf13/cobra's history
 * @pierre/diffs ran over 17 minutes of CPU without finishing, and the bench printed nothing until
 * the end. A peer stopped at the limit is reported as not finished, its ratio as a bound.
 */
describe('a peer under the bench CPU time limit', () => {
  it('is stopped once it has used its seconds of CPU, and said to be stopped, not failed', async () => {
    const started = performance.now();
    const run = await measuredRun(process.execPath, ['-e', 'for (;;) {}'], { cwd: ROOT, cpuLimitSeconds: 1 });
    expect(run.stoppedAtLimit).toBe(true);
    // The kernel counts CPU time: the spinning child used about its second, and not much more.
    if (run.cpuMs !== undefined) expect(run.cpuMs).toBeGreaterThan(800);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('finishes as usual within its limit, with its output and figures', async () => {
    const run = await measuredRun(process.execPath, ['-e', 'console.log(JSON.stringify({ ms: 1 }))'], { cwd: ROOT, cpuLimitSeconds: 30 });
    expect(run.stoppedAtLimit).toBeUndefined();
    expect(JSON.parse(run.stdout)).toEqual({ ms: 1 });
  }, 60_000);

  it('still fails the bench when it fails for another reason than the limit', async () => {
    await expect(measuredRun(process.execPath, ['-e', 'process.exit(3)'], { cwd: ROOT, cpuLimitSeconds: 30 })).rejects.toThrow(/failed \(3\)/);
  }, 60_000);

  it('is printed as not finished in N s, with the ratio to it as a bound', () => {
    const cold = { ms: 100_000, cpuMs: 150_000 };
    const stopped = { ms: 700_000, cpuMs: 600_500, stoppedAtLimit: true, limitSeconds: 600, stoppedAt: '1070-pull-1070' };
    expect(peerTime(stopped)).toBe('did not finish in 600 s of CPU (stopped after 700.0 s wall, at 1070-pull-1070)');
    const [wall, cpu] = coldVersusPeer('@pierre/diffs', cold, stopped, 0.55);
    // 100 s against more than 700 s: under 0.14×, which meets a 0.55× target whatever the rest would have taken.
    expect(formatFigure(wall!)).toBe('cold build vs @pierre/diffs: < 0.14× its time  target ≤ 0.55×  met');
    expect(cpu!.value).toBe('< 0.25×');
    // A bound above the target decides nothing.
    const [undecided] = coldVersusPeer('@pierre/diffs', { ms: 500_000 }, stopped, 0.55);
    expect(formatFigure(undecided!)).toBe('cold build vs @pierre/diffs: < 0.71× its time  target ≤ 0.55×  not known');
  });

  it('that finished is compared as before', () => {
    const [wall] = coldVersusPeer('diff2html-cli', { ms: 100_000 }, { ms: 200_000, cpuMs: 190_000, limitSeconds: 600 }, 0.3);
    expect(formatFigure(wall!)).toBe('cold build vs diff2html-cli: 0.50× its time  target ≤ 0.30×  NOT MET');
  });
});

/**
 * `npm run bench` (ingest part): the full history of a repository with about 450 merges must
 * ingest in under 60 s on 2 cores. Without a repository, a synthetic one is generated.
 * Run alone: `node scripts/bench/ingest-bench.ts [--repo PATH]`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingest } from '../ingest/run-ingest.ts';
import { createSyntheticRepo } from '../ingest/synthetic-repo.ts';
import { formatFigures, type Figure } from './figures.ts';

const COLD_TARGET_SECS = 60;
const SYNTHETIC = { merges: 450, open: 20 };

export async function benchIngest(options: { repo?: string }): Promise<Figure[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'ra-ingest-bench-'));
  try {
    const figures: Figure[] = [];
    let repo = options.repo;
    if (!repo) {
      repo = path.join(work, 'synthetic');
      const started = performance.now();
      const summary = await createSyntheticRepo(repo, SYNTHETIC);
      figures.push({ name: 'synthetic repository (git fast-import)', value: `${summary.merges} merges, ${summary.open} open, ${summary.commits} commits in ${seconds(performance.now() - started)}` });
    }
    const out = path.join(work, 'content');

    const cold = await timed(() => ingest({ repo: repo, out }));
    if (!cold.result.ok) throw new Error(`ingest failed: ${JSON.stringify(cold.result.problems)}`);
    const branches = cold.result.summary.branches;
    figures.push({ name: `cold ingest, ${branches} branches, wall time`, value: seconds(cold.ms), target: `< ${COLD_TARGET_SECS} s`, met: cold.ms < COLD_TARGET_SECS * 1000 });
    figures.push({ name: 'cold ingest, per branch', value: `${(cold.ms / Math.max(1, branches)).toFixed(1)} ms` });

    const warm = await timed(() => ingest({ repo: repo, out }));
    if (!warm.result.ok) throw new Error(`re-ingest failed: ${JSON.stringify(warm.result.problems)}`);
    figures.push({ name: `warm re-ingest, nothing changed (${warm.result.summary.written} written), wall time`, value: seconds(warm.ms) });

    const files = (await readdir(out, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    figures.push({ name: 'archive written', value: `${files} files` });
    return figures;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { repo: { type: 'string' } } });
  const figures = await benchIngest({ repo: values.repo });
  console.log(formatFigures('ingest', figures));
  process.exitCode = figures.every((figure) => figure.met !== false) ? 0 : 1;
}

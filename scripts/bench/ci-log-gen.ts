import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { Random } from './code-gen.ts';

/**
 * CI logs shaped like real ones for the bench corpus (kept apart from corpus.ts, which writes the
 * diffs): GitHub Actions timestamps, `##[group]` sections, cargo/pytest/go/npm-like lines with
 * ANSI colours, progress bars redrawn with `\r`, and an error block in failed lanes. Sizes are
 * heavy-tailed between 200 and 20,000 lines, plus `hugeLogs` logs of 1,000,000 lines.
 */
export interface CorpusLogOptions {
  seed?: number;
  /** Runs per branch with CI. */
  runs: [number, number];
  lanes: [number, number];
  hugeLogs: number;
}

export const DEFAULT_CORPUS_LOGS: CorpusLogOptions = { runs: [2, 4], lanes: [5, 15], hugeLogs: 2 };

const E = '\x1b';
const LANE_NAMES = ['check-rust', 'check-go', 'pytest', 'typecheck', 'unit', 'integration', 'lint', 'e2e', 'build-apple', 'build-android', 'fixture', 'docs', 'bench-smoke', 'migrations', 'fuzz-short'];

export function* logLines(random: Random, count: number, failed: boolean): Generator<string> {
  let time = Date.UTC(2026, 10, 12, 8, 57, 0);
  const stamp = () => {
    time += random.int(1, 400);
    return `${new Date(time).toISOString().slice(0, 23)}0000Z `;
  };
  let emitted = 0;
  while (emitted < count - 8) {
    yield `${stamp()}##[group]Run step ${emitted}`;
    const body = Math.min(count - 8 - emitted, random.int(5, 400));
    for (let i = 0; i < body; i++) {
      const kind = random.int(0, 9);
      if (kind === 0) yield `${stamp()}${E}[1m${E}[32m   Compiling${E}[0m crate-${random.int(1, 900)} v0.${random.int(1, 40)}.${random.int(0, 9)}`;
      else if (kind === 1) yield `${stamp()}test module_${random.int(1, 99)}::tests::case_${random.int(1, 9999)} ... ${E}[32mok${E}[0m`;
      else if (kind === 2) yield `${stamp()}ok  \tgithub.com/bench/corpus/pkg${random.int(1, 80)}\t0.${random.int(10, 999)}s`;
      else if (kind === 3) yield `${stamp()}${[0, 25, 50, 75, 100].map((p) => `\r${E}[38;5;197m${'━'.repeat(p / 5)}${E}[0m ${p}%`).join('').slice(1)}`;
      else if (kind === 4) yield `${stamp()}${E}[33mwarning${E}[0m: unused import \`crate::util::${random.int(1, 99)}\``;
      else yield `${stamp()}  ${'x'.repeat(random.int(10, 120))}`;
    }
    emitted += body + 2;
    yield `${stamp()}##[endgroup]`;
  }
  if (failed) {
    yield `${stamp()}thread 'tests::case_${random.int(1, 99)}' panicked at src/lib.rs:${random.int(1, 900)}:9:`;
    yield `${stamp()}assertion \`left == right\` failed`;
    yield `${stamp()}test result: ${E}[31mFAILED${E}[0m. 41 passed; 1 failed`;
    yield `${stamp()}##[error]Process completed with exit code 101.`;
  } else {
    for (let i = 0; i < 4; i++) yield `${stamp()}done ${i}`;
  }
}

export async function writeLog(file: string, lines: Iterable<string>): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let count = 0;
  for (const line of lines) {
    count++;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return count;
}

/**
 * Gives every branch of a corpus that has a ci.yaml several runs with logs (replacing its ci.yaml).
 * Returns the number of logs and log lines written, and how many of them have 1,000,000 lines.
 */
export async function addCorpusLogs(contentDir: string, options: CorpusLogOptions = DEFAULT_CORPUS_LOGS): Promise<{ logs: number; lines: number; huge: number }> {
  const random = new Random(options.seed ?? 20261201);
  const branchesDir = path.join(contentDir, 'branches');
  const folders = (await readdir(branchesDir)).sort();
  let hugeLeft = options.hugeLogs;
  // Spread over the corpus: the first branch with CI at or after each step gets one.
  const hugeStep = Math.max(1, Math.floor(folders.length / Math.max(1, options.hugeLogs)));
  let nextHuge = 0;
  let logs = 0;
  let lines = 0;
  for (const [index, folder] of folders.entries()) {
    const dir = path.join(branchesDir, folder);
    if (!(await readdir(dir)).includes('ci.yaml')) continue;
    const id = Number(folder.split('-')[0]);
    const yaml = ['runs:'];
    const runCount = random.int(options.runs[0], options.runs[1]);
    for (let r = 0; r < runCount; r++) {
      const runId = id * 10 + r;
      const failedRun = r < runCount - 1 || random.chance(0.25);
      yaml.push(`  - id: ${runId}`, `    status: ${failedRun ? 'failed' : 'success'}`, `    head: ${'ab'.repeat(20)}`, `    queued_at: 2026-11-12T08:${String(r).padStart(2, '0')}:00Z`, '    lanes:');
      const laneCount = random.int(options.lanes[0], options.lanes[1]);
      for (let l = 0; l < laneCount; l++) {
        const name = LANE_NAMES[l]!;
        const failed = failedRun && l === 0;
        // Heavy-tailed: most logs a few hundred lines, some near 20,000; a few 1 M-line logs over the whole corpus.
        const huge = hugeLeft > 0 && index >= nextHuge && r === 0 && l === 1;
        if (huge) {
          hugeLeft--;
          nextHuge = index + hugeStep;
        }
        const count = huge ? 1_000_000 : Math.max(200, Math.min(20_000, Math.round(random.logNormal(600, 1.2))));
        const log = `ci/${runId}/${name}.log`;
        lines += await writeLog(path.join(dir, ...log.split('/')), logLines(random, count, failed));
        logs++;
        yaml.push(`      - { name: ${name}, status: ${failed ? 'failed' : 'success'}, duration_secs: ${random.int(10, 900)}, log: ${log} }`);
      }
    }
    await writeFile(path.join(dir, 'ci.yaml'), `${yaml.join('\n')}\n`);
  }
  return { logs, lines, huge: options.hugeLogs - hugeLeft };
}

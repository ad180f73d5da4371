import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { structuredPatch } from 'diff';
import { codeBlock, editLine, pickLanguage, Random, sourceFile } from './code-gen.ts';

/**
 * A reproducible archive of real-world-shaped branches for `npm run bench`: heavy-tailed branch
 * sizes (most small, a few huge), source in several languages, edits that change words inside
 * lines, new, deleted and renamed files, tutorials with evidence, CI runs. Same options, same bytes.
 */
export interface CorpusOptions {
  dir: string;
  branches: number;
  /** Total diff lines to aim for across all branches (the sizes are scaled to it). */
  targetLines: number;
  seed?: number;
}

export interface CorpusSummary {
  branches: number;
  diffLines: number;
  files: number;
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

function header(oldPath: string | null, newPath: string | null, kind: 'added' | 'deleted' | 'modified' | 'renamed', similarity = 0): string[] {
  const a = oldPath ?? newPath!;
  const b = newPath ?? oldPath!;
  const lines = [`diff --git a/${a} b/${b}`];
  if (kind === 'added') lines.push('new file mode 100644', `index 0000000..${sha(b).slice(0, 7)}`, '--- /dev/null', `+++ b/${b}`);
  else if (kind === 'deleted') lines.push('deleted file mode 100644', `index ${sha(a).slice(0, 7)}..0000000`, `--- a/${a}`, '+++ /dev/null');
  else {
    if (kind === 'renamed') lines.push(`similarity index ${similarity}%`, `rename from ${a}`, `rename to ${b}`);
    lines.push(`index ${sha(a).slice(0, 7)}..${sha(b).slice(0, 7)} 100644`, `--- a/${a}`, `+++ b/${b}`);
  }
  return lines;
}

interface FileDiff {
  text: string[];
  path: string;
  hunkHeaders: string[];
  lines: number;
}

function wholeFile(path: string, lines: string[], kind: 'added' | 'deleted'): FileDiff {
  const sign = kind === 'added' ? '+' : '-';
  const hunk = kind === 'added' ? `@@ -0,0 +1,${lines.length} @@` : `@@ -1,${lines.length} +0,0 @@`;
  return { path, text: [...header(kind === 'added' ? null : path, kind === 'added' ? path : null, kind), hunk, ...lines.map((l) => sign + l)], hunkHeaders: [hunk], lines: lines.length };
}

/** Edits a generated file until its diff has about `budget` lines; returns the git-style diff. */
function editedFile(random: Random, filePath: string, blocks: Parameters<typeof codeBlock>[1], budget: number, renameTo?: string): FileDiff {
  const before = sourceFile(random, blocks, Math.max(40, Math.round(budget * random.int(2, 5))));
  const after = [...before];
  let planned = 0;
  while (planned < budget) {
    const at = random.int(0, Math.max(0, after.length - 1));
    if (random.chance(0.6)) {
      const count = Math.min(random.int(1, 6), after.length - at);
      for (let i = 0; i < count; i++) after[at + i] = editLine(random, after[at + i]!);
      planned += 2 * count + 6;
    } else if (random.chance(0.75)) {
      const block = codeBlock(random, blocks);
      after.splice(at, 0, ...block);
      planned += block.length + 6;
    } else {
      const count = Math.min(random.int(2, 12), after.length - at);
      after.splice(at, count);
      planned += count + 6;
    }
  }
  const newPath = renameTo ?? filePath;
  const patch = structuredPatch(filePath, newPath, `${before.join('\n')}\n`, `${after.join('\n')}\n`, '', '', { context: 3 });
  const text = header(filePath, newPath, renameTo ? 'renamed' : 'modified', 90);
  const hunkHeaders: string[] = [];
  let lines = 0;
  for (const hunk of patch.hunks) {
    const hunkHeader = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
    hunkHeaders.push(hunkHeader);
    text.push(hunkHeader, ...hunk.lines);
    lines += hunk.lines.length;
  }
  return { text, path: newPath, hunkHeaders, lines };
}

function branchDiff(random: Random, id: number, budget: number): FileDiff[] {
  const fileCount = Math.max(1, Math.min(60, Math.round((budget / 150) * (0.5 + random.next()))));
  const files: FileDiff[] = [];
  const dir = random.pick(['app', 'core', 'cli', 'server', 'mobile', 'shared', 'infra']);
  for (let n = 0; n < fileCount; n++) {
    const language = pickLanguage(random);
    const share = Math.max(3, Math.round(budget / fileCount));
    const filePath = `${dir}/${random.pick(['src', 'lib', 'pkg'])}/b${id}_${n}_${random.pick(['model', 'view', 'store', 'codec', 'api', 'jobs'])}.${language.extension}`;
    const roll = random.next();
    if (roll < 0.2) files.push(wholeFile(filePath, sourceFile(random, language.blocks, share), 'added'));
    else if (roll < 0.23) files.push(wholeFile(filePath, sourceFile(random, language.blocks, share), 'deleted'));
    else if (roll < 0.25) files.push(editedFile(random, filePath, language.blocks, share, filePath.replace('/src/', '/moved/')));
    else files.push(editedFile(random, filePath, language.blocks, share));
  }
  return files;
}

function branchMarkdown(random: Random, id: number, files: FileDiff[]): { branch: string; steps: string[]; ci?: string } {
  const merged = random.chance(0.85);
  const updated = new Date(START + id * (DAY / 3) + random.int(0, DAY / 4)).toISOString().replace('.000Z', 'Z');
  const head = sha(`head${id}`);
  const steps = random.chance(0.6)
    ? // An edit can cancel itself out and leave a file without hunks: nothing to cite there.
      files.filter((file) => file.hunkHeaders.length > 0).slice(0, random.int(1, 3)).map((file, n) =>
        [
          '---',
          `title: Step ${n + 1} of branch ${id}`,
          `intent: Read the change to \`${file.path}\` first, it carries the rest.`,
          `files: [${JSON.stringify(file.path)}]`,
          'evidence:',
          `  - file: ${JSON.stringify(file.path)}`,
          `    hunk: "${file.hunkHeaders[0]}"`,
          '---',
          '',
          'The change keeps the old behaviour for existing callers and adds the new path beside it.',
          '',
          '```ts',
          `const ${'step'}${n} = await load(${id});`,
          '```',
          '',
        ].join('\n'),
      )
    : [];
  const front = [
    '---',
    `id: ${id}`,
    `name: feature/bench-${id}`,
    `title: Benchmark branch ${id} touching ${files.length} file${files.length === 1 ? '' : 's'}`,
    `state: ${merged ? 'merged' : random.pick(['open', 'closed'])}`,
    'target: main',
    ...(merged ? [`merge_commit: ${sha(`merge${id}`)}`] : []),
    `head: ${head}`,
    `base: ${sha(`base${id}`)}`,
    `author: ${random.pick(['Ada Example', 'Bo Example', 'Cy Example', 'Di Example'])}`,
    `updated: ${updated}`,
    `tutorial: ${steps.length ? 'ready' : random.pick(['none', 'pending', 'failed'])}`,
    '---',
    '',
    `This branch changes ${files.length} files. It is part of the benchmark corpus, generated from seed data.`,
    '',
  ].join('\n');
  const ci = random.chance(0.8)
    ? [
        'runs:',
        `  - id: ${id * 10}`,
        `    status: ${random.pick(['success', 'success', 'success', 'failed'])}`,
        `    head: ${head}`,
        `    queued_at: ${updated}`,
        `    queued_secs: ${random.int(1, 90)}`,
        `    ran_secs: ${random.int(30, 900)}`,
        '    lanes:',
        ...['lint', 'unit', 'integration'].flatMap((lane) => [`      - name: ${lane}`, `        status: ${random.pick(['success', 'success', 'failed'])}`]),
        '',
      ].join('\n')
    : undefined;
  return { branch: front, steps, ci };
}

/** Writes the corpus archive into `options.dir` (which should be empty) and says what it holds. */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusSummary> {
  const random = new Random(options.seed ?? 20261125);
  // Heavy-tailed sizes, scaled so they add up to the target.
  const raw = Array.from({ length: options.branches }, () => Math.min(40, random.logNormal(1, 1.1)));
  const scale = options.targetLines / raw.reduce((sum, size) => sum + size, 0);
  await mkdir(path.join(options.dir, 'branches'), { recursive: true });
  // With a url, as a team's archive would have: the build then also writes rss.xml and the sitemap.
  await writeFile(path.join(options.dir, 'archive.yaml'), 'repo: bench/corpus\ntitle: Benchmark corpus\nurl: https://reviews.example.org/\n');
  let diffLines = 0;
  let fileCount = 0;
  for (let index = 0; index < options.branches; index++) {
    const id = index + 1;
    const files = branchDiff(random, id, Math.max(4, Math.round(raw[index]! * scale * 0.92)));
    const { branch, steps, ci } = branchMarkdown(random, id, files);
    const dir = path.join(options.dir, 'branches', `${id}-bench-${id}`);
    await mkdir(path.join(dir, 'steps'), { recursive: true });
    await writeFile(path.join(dir, 'branch.md'), branch);
    await writeFile(path.join(dir, 'diff.patch'), `${files.map((f) => f.text.join('\n')).join('\n')}\n`);
    await Promise.all(steps.map((step, n) => writeFile(path.join(dir, 'steps', `${String(n + 1).padStart(2, '0')}-step.md`), step)));
    if (ci) await writeFile(path.join(dir, 'ci.yaml'), ci);
    diffLines += files.reduce((sum, f) => sum + f.lines, 0);
    fileCount += files.length;
  }
  return { branches: options.branches, diffLines, files: fileCount };
}

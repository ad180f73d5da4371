import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { sampleContentDir } from './build-site.ts';

/**
 * The bundled sample archive as its files say, read at test time so the e2e tests follow the data.
 * Deliberately independent of scripts/archive: the tests compare the site with the files
 * themselves, not with what the pipeline made of them.
 */

export interface SampleLane {
  name: string;
  status: string;
  duration_secs?: number;
}

export interface SampleRun {
  id: number;
  status: string;
  head: string;
  queued_at: string;
  queued_secs?: number;
  ran_secs?: number;
  rerun_of?: number;
  lanes: SampleLane[];
}

export interface SampleStep {
  /** The NN of `NN-<slug>.md`. */
  order: number;
  title: string;
  intent: string;
  files: string[];
  evidence: Array<{ file: string; hunk?: string; lines?: number | string }>;
  /** The markdown body: the step's explanation. */
  body: string;
}

export interface SampleBranch {
  id: number;
  name: string;
  title: string;
  /** The title as a reader sees it: its `code spans` shown as code, without their backticks. */
  shownTitle: string;
  /** The contents of the title's code spans, in order. */
  titleCode: string[];
  state: 'open' | 'merged' | 'closed';
  target: string;
  merge_commit?: string;
  head: string;
  updated: string;
  tutorial: 'ready' | 'pending' | 'failed' | 'none';
  /** CI runs, oldest first; empty when the branch has no ci.yaml. */
  runs: SampleRun[];
  /** Status of the latest run, or `none`. */
  ci: string;
  steps: SampleStep[];
  /** The markdown body of branch.md. */
  summary: string;
  /** Paths of the files in diff.patch, in patch order (new path; old path for a deleted file). */
  diffFiles: string[];
  /** The text of diff.patch; empty when there is none. */
  patch: string;
  /** The branch page's path below the site root, e.g. `branch/7/`. */
  pagePath: string;
}

export interface Sample {
  repo: string;
  title: string;
  branches: SampleBranch[];
}

export interface SampleDiffFile {
  /** The new path; the old path for a deleted file. */
  path: string;
  /** Hunk headers without git's function context, e.g. `@@ -7,16 +6,18 @@`. */
  hunks: string[];
  binary: boolean;
}

/** The files of a unified diff, from its `diff --git` blocks, in patch order. */
export function diffFiles(patch: string): SampleDiffFile[] {
  const files: SampleDiffFile[] = [];
  for (const block of patch.split(/^(?=diff --git )/m)) {
    if (!block.startsWith('diff --git ')) continue;
    const newPath = /^\+\+\+ b\/(.+)$/m.exec(block)?.[1] ?? /^rename to (.+)$/m.exec(block)?.[1] ?? /^copy to (.+)$/m.exec(block)?.[1];
    const oldPath = /^--- a\/(.+)$/m.exec(block)?.[1];
    const header = /^diff --git a\/(.+?) b\/(.+)$/m.exec(block);
    const isDeleted = /^deleted file mode/m.test(block) || /^\+\+\+ \/dev\/null/m.test(block);
    const filePath = ((isDeleted ? (oldPath ?? header?.[1]) : (newPath ?? header?.[2])) ?? '').trim();
    if (!filePath) continue;
    const hunks = [...block.matchAll(/^(@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@)/gm)].map((m) => m[1]!);
    files.push({ path: filePath, hunks, binary: /^(Binary files |GIT binary patch)/m.test(block) });
  }
  return files;
}

/** File paths of a unified diff, in patch order (new path; old path for a deleted file). */
export function diffFilePaths(patch: string): string[] {
  return diffFiles(patch).map((file) => file.path);
}

function readBranch(dir: string): SampleBranch {
  const { data, content: summary } = matter(readFileSync(path.join(dir, 'branch.md'), 'utf8'));
  const ciPath = path.join(dir, 'ci.yaml');
  const runs: SampleRun[] = existsSync(ciPath) ? ((parseYaml(readFileSync(ciPath, 'utf8')) as { runs?: SampleRun[] })?.runs ?? []) : [];
  for (const run of runs) run.lanes ??= [];
  const stepsDir = path.join(dir, 'steps');
  const steps: SampleStep[] = existsSync(stepsDir)
    ? readdirSync(stepsDir)
        .filter((name) => /^\d+-.+\.md$/.test(name))
        .sort()
        .map((name) => {
          const { data: front, content: body } = matter(readFileSync(path.join(stepsDir, name), 'utf8'));
          return { order: Number(/^(\d+)/.exec(name)![1]), title: String(front.title), intent: String(front.intent), files: front.files ?? [], evidence: front.evidence ?? [], body };
        })
    : [];
  const patchPath = path.join(dir, 'diff.patch');
  const patch = existsSync(patchPath) ? readFileSync(patchPath, 'utf8') : '';
  const id = Number(data.id);
  const toIso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
  return {
    id,
    name: String(data.name),
    title: String(data.title),
    // The sample's titles hold only simple spans (one backtick each side), so a regex will do here.
    shownTitle: String(data.title).replace(/`([^`]+)`/g, '$1'),
    titleCode: [...String(data.title).matchAll(/`([^`]+)`/g)].map((match) => match[1]!),
    state: data.state,
    target: String(data.target),
    merge_commit: data.merge_commit === undefined ? undefined : String(data.merge_commit),
    head: String(data.head),
    updated: toIso(data.updated),
    tutorial: data.tutorial ?? 'none',
    runs: runs.map((run) => ({ ...run, queued_at: toIso(run.queued_at) })),
    ci: runs.at(-1)?.status ?? 'none',
    steps,
    summary,
    diffFiles: diffFilePaths(patch),
    patch,
    pagePath: `branch/${id}/`,
  };
}

let cached: Sample | undefined;

/** Reads `content/archive.yaml` and every `content/branches/<id>-<name>/`. */
export function loadSample(contentDir = sampleContentDir): Sample {
  if (cached && contentDir === sampleContentDir) return cached;
  const config = parseYaml(readFileSync(path.join(contentDir, 'archive.yaml'), 'utf8')) as { repo: string; title: string };
  const branchesDir = path.join(contentDir, 'branches');
  const branches = readdirSync(branchesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+-/.test(entry.name))
    .map((entry) => readBranch(path.join(branchesDir, entry.name)))
    .sort((a, b) => a.id - b.id);
  const sample = { repo: config.repo, title: config.title, branches };
  if (contentDir === sampleContentDir) cached = sample;
  return sample;
}

/**
 * Code lines of a patch that start with spaces (indented code), without their `+`/`-`/` ` prefix:
 * a page that shows them must keep that indentation.
 */
export function indentedLines(patch: string, limit = 20): string[] {
  const lines = patch
    .split('\n')
    .filter((line) => /^[+ -] {2,}\S/.test(line) && !line.startsWith('+++') && !line.startsWith('---') && !line.includes('\t'))
    .map((line) => line.slice(1).replace(/\r$/, ''))
    .filter((line) => line.trim().length >= 8);
  return [...new Set(lines)].slice(0, limit);
}

/** The sample, or why it cannot be read: test files list their cases before any test runs. */
export function trySample(): { sample: Sample; error?: undefined } | { sample: Sample; error: string } {
  try {
    return { sample: loadSample() };
  } catch (error) {
    return { sample: { repo: '', title: '', branches: [] }, error: `Cannot read the sample archive in content/: ${String(error)}` };
  }
}

/**
 * Words a reader sees from a markdown text: the first line of prose, with markup removed,
 * cut to a few words. Enough to recognise the text on the page without rendering markdown.
 */
export function proseExcerpt(markdown: string, words = 4): string | undefined {
  const line = markdown
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^(#|```|~~~|[-*+>|]|\d+[.)]\s|<)/.test(l));
  if (!line) return undefined;
  const text = line
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*`~]/g, '')
    // `_` marks emphasis only at word edges; inside words (predict_tides) it is text.
    .replace(/(^|[^\w])_+|_+(?=[^\w]|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return text.split(' ').slice(0, words).join(' ') || undefined;
}

/** Newest first by `updated`, ties by descending id: the order of the feed's "Branch history". */
export function newestFirst(branches: readonly SampleBranch[]): SampleBranch[] {
  return [...branches].sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated) || b.id - a.id);
}

/**
 * The first branch matching `predicate`; fails with a message naming what the sample lacks,
 * because each of these situations is something the sample archive is meant to show.
 */
export function sampleBranch(description: string, predicate: (branch: SampleBranch) => boolean): SampleBranch {
  const branch = loadSample().branches.find(predicate);
  if (!branch) throw new Error(`The sample archive in content/ has no ${description}; add one so the site shows this case.`);
  return branch;
}

/**
 * A duration as the CI panel shows it (`42s`, `2m 11s`, `1h 3m`); mirrors the spec's example
 * `queued 42s · ran 2m 11s` and accepts `2m 0s` for `2m`.
 */
export function durationPattern(secs: number): string {
  const total = Math.round(secs);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h(?: ${m}m)?(?: ${s}s)?`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m(?: 0s)?`;
  return `${s}s`;
}

/** A word that one step's explanation in the sample says and nothing else does: the search tests look for it. */
export const ONE_STEP_WORD = 'vouches';

/**
 * The one step whose explanation (body) says `word`, with its anchor on the branch page; throws
 * when the word is also in a branch's name, title or summary, a step's title or intent, or in
 * several steps, because a search for it would then find more than that step.
 */
export function stepSaying(word: string): { branch: SampleBranch; step: SampleStep; anchor: string } {
  const says = (text: string) => new RegExp(`\\b${word}\\b`, 'i').test(text);
  const elsewhere = loadSample().branches.filter((b) => says(`${b.name} ${b.title} ${b.summary}`) || b.steps.some((s) => says(`${s.title} ${s.intent}`)));
  const found = loadSample().branches.flatMap((branch) => branch.steps.flatMap((step, i) => (says(step.body) ? [{ branch, step, anchor: `step-${i + 1}` }] : [])));
  if (elsewhere.length || found.length !== 1) {
    throw new Error(
      `The sample archive should say "${word}" in exactly one step's explanation and nowhere else; it is in ${found.length} step bodies and elsewhere in branches ${elsewhere.map((b) => `#${b.id}`).join(', ') || 'none'}.`,
    );
  }
  return found[0]!;
}

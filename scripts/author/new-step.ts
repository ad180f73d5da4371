/**
 * What `npm run new -- step` writes: the next step file of a branch, its front matter filled with
 * the branch's changed files and every hunk of its diff, one per line, so the author picks the
 * step's evidence by deleting lines instead of copying `@@` headers by hand. Pure functions; the
 * command line (new.ts) reads the branch folder and writes the file.
 */
import { stringify } from 'yaml';
import type { ParsedPatch } from '../diff/types.ts';
import { stepFileName } from '../ingest/archive-files.ts';
import { slugify } from '../render/html.ts';

/** `NN-<slug>.md`, as the archive loader reads step names. */
const STEP_FILE = /^(\d+)-.+\.md$/;

/** The number after the highest step number in the folder (steps are ordered by number, gaps allowed); 1 for none. */
export function nextStepNumber(fileNames: readonly string[]): number {
  let highest = 0;
  for (const name of fileNames) {
    const match = STEP_FILE.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** A file-name slug of a title: `Check the checksum first` → `check-the-checksum-first`, at most 50 characters, cut at a dash. */
export function stepSlug(title: string): string {
  // Accents go (`café` → `cafe`) rather than split a word: slugify keeps page anchors as they are.
  const slug = slugify(title.normalize('NFKD').replace(/\p{M}/gu, ''));
  if (slug === 'x' && !/x/i.test(title)) return 'step';
  if (slug.length <= 50) return slug;
  const cut = slug.slice(0, 51);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 10 ? cut.slice(0, lastDash) : cut.slice(0, 50)).replace(/-+$/, '');
}

export function newStepFileName(existing: readonly string[], title: string): string {
  return stepFileName(nextStepNumber(existing), stepSlug(title));
}

/** The path a step names a file by: its new path, or the old one for a deleted file. */
function stepPath(file: ParsedPatch['files'][number]): string {
  return (file.newPath ?? file.oldPath)!;
}

/** The diff's changed files, in diff order. */
export function changedFiles(patch: ParsedPatch): string[] {
  return patch.files.map(stepPath);
}

/** YAML on one line, quoted only where YAML needs it: any path or function context (quotes, `#`, `: `) reads back exactly. */
function yamlInline(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

/** One YAML flow mapping per hunk of the diff, `{ file: src/a.ts, hunk: "@@ … @@ context" }`, in diff order. */
export function hunkEvidenceLines(patch: ParsedPatch): string[] {
  return patch.files.flatMap((file) => file.hunks.map((hunk) => yamlInline({ file: stepPath(file), hunk: hunk.header })));
}

/** The whole new step file. `patch` undefined: the diff is empty or does not parse, so no files or evidence are offered. */
export function formatNewStep(title: string, patch: ParsedPatch | undefined): string {
  const files = patch ? changedFiles(patch) : [];
  const evidence = patch ? hunkEvidenceLines(patch) : [];
  const lines = [
    '---',
    `title: ${yamlInline(title)}`,
    '# Why this step exists, in a sentence or two (Markdown).',
    'intent: Say why this step exists.',
  ];
  if (files.length) {
    lines.push('# The branch\'s changed files: delete the ones this step is not about.', 'files:', ...files.map((file) => `  - ${yamlInline(file)}`));
  } else lines.push('files: []');
  if (evidence.length) {
    lines.push('# Every hunk of diff.patch, in order: delete the lines this step does not show.', 'evidence:', ...evidence.map((entry) => `  - ${entry}`));
  } else lines.push('evidence: []');
  lines.push('---', '', 'Explain why the code is the way it is; the evidence already shows what it is.', '');
  return lines.join('\n');
}

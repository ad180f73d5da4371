/**
 * `npm run import -- github|gitlab|pika ...`: forge and pika-git exports into the archive.
 * See the README, "From GitHub / GitLab" and "Leaving pika-git".
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../build/cli-args.ts';
import { pluralize } from '../render/format.ts';
import { folderProblem } from '../build/output-guard.ts';
import { formatReport, type Problem } from '../build/report.ts';
import type { ForgeImportResult } from './forge/run-forge-import.ts';
import { importGithub } from './github/import-github.ts';
import { importGitlab } from './gitlab/import-gitlab.ts';
import { parseImportArgs, type ImportArgs } from './import-args.ts';
import { findExports } from './pika/read-export.ts';
import { importPika } from './run-import.ts';

async function main(): Promise<number> {
  let args: ImportArgs;
  try {
    args = parseImportArgs(process.argv.slice(2));
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(usage ? error.message : `review-archive: ${(error as Error).message}`);
    return usage && error.helpAsked ? 0 : 2;
  }
  const misplaced = placeProblems(args);
  if (misplaced.length) {
    console.error(formatReport(misplaced, 'review-archive: cannot import; nothing was written.'));
    return 1;
  }
  if (args.source !== 'pika') return importFromForge(args);
  const found = 'dir' in args ? await findExports(args.dir) : { exports: [args.files], problems: [] };
  let result;
  try {
    result = found.problems.length ? { ok: false as const, problems: found.problems } : await importPika({ exports: found.exports, repo: args.repo, out: args.out });
  } catch (error) {
    console.error(`review-archive: import failed; branch folders already in place stayed whole.\n${(error as Error).stack ?? String(error)}`);
    return 2;
  }
  if (!result.ok) {
    console.error(formatReport(result.problems, 'review-archive: cannot import; nothing was written.'));
    return 1;
  }
  const changed = result.folders.filter((f) => f.written).length;
  console.log(`review-archive: imported ${pluralize(result.folders.length, 'pika-git branch', 'pika-git branches')} into ${args.out} (${changed} written, ${result.folders.length - changed} unchanged)`);
  return 0;
}

/** Folders the import cannot use, known before any export is read: a file in the way, a place that takes no folders. */
function placeProblems(args: ImportArgs): Problem[] {
  const problems: Problem[] = [];
  const unwritable = folderProblem(args.out, 'the import writes the archive there');
  if (unwritable) problems.push({ file: args.out, field: '--out', message: unwritable });
  if (args.source !== 'pika' && statSync(args.dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    problems.push({ file: args.dir, message: `is a file, not a folder: pass the folder npm run export -- ${args.source} wrote` });
  }
  return problems;
}

async function importFromForge(args: Extract<ImportArgs, { source: 'github' | 'gitlab' }>): Promise<number> {
  const started = performance.now();
  let result: ForgeImportResult;
  try {
    const run = args.source === 'github' ? importGithub : importGitlab;
    result = await run({ dir: args.dir, repo: args.repo, out: args.out });
  } catch (error) {
    console.error(`review-archive: import failed; branch folders already in place stayed whole.\n${(error as Error).stack ?? String(error)}`);
    return 2;
  }
  if (!result.ok) {
    console.error(formatReport(result.problems, `review-archive: cannot import ${args.dir}: ${pluralize(result.problems.length, 'problem')}; nothing was written.`));
    return 1;
  }
  const { summary } = result;
  for (const note of groupNotes(summary.notes)) console.error(`  note: ${note}`);
  const noun = args.source === 'github' ? ['pull request', 'pull requests'] : ['merge request', 'merge requests'];
  const missing = summary.withoutDiff ? `, ${summary.withoutDiff} without a diff` : '';
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`review-archive: imported ${pluralize(summary.branches, noun[0]!, noun[1])} into ${args.out} (${summary.written} written, ${summary.unchanged} unchanged${missing}) in ${secs} s`);
  return 0;
}

/**
 * The same note for many branches (no diff without --repo) is said once, with the count and the
 * first few folders, so the notes that matter are not lost in hundreds of lines.
 */
export function groupNotes(notes: readonly string[]): string[] {
  const byMessage = new Map<string, string[]>();
  const order: string[] = [];
  for (const note of notes) {
    const match = /^(branches\/[^:]+): (.*)$/.exec(note);
    const message = match ? match[2]! : note;
    if (!byMessage.has(message)) {
      byMessage.set(message, []);
      order.push(message);
    }
    byMessage.get(message)!.push(match ? match[1]! : '');
  }
  return order.map((message) => {
    const folders = byMessage.get(message)!.filter(Boolean);
    if (folders.length <= 3) return folders.length ? folders.map((folder) => `${folder}: ${message}`).join('\n  note: ') : message;
    return `${folders.length} branches (${folders.slice(0, 3).join(', ')}, …): ${message}`;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

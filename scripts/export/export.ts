/**
 * `npm run export -- github OWNER/NAME --dir DIR [--since DATE]` and
 * `npm run export -- gitlab GROUP/PROJECT --dir DIR [--since DATE]`: raw API answers, saved for
 * `npm run import`. See the README, "From GitHub / GitLab".
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, UsageError } from '../build/cli-args.ts';
import { folderProblem } from '../build/output-guard.ts';
import { exportGithub } from './github-export.ts';
import { exportGitlab } from './gitlab-export.ts';

export const EXPORT_USAGE = `Usage: npm run export -- github OWNER/NAME --dir DIR [--since DATE]
       npm run export -- gitlab GROUP/PROJECT --dir DIR [--since DATE]

  Saves pull (merge) requests, reviews, comments, checks and job logs through gh api (glab api),
  with your existing gh (glab) login. Run it again to resume or to bring DIR up to date.
  --dir DIR      where the answers go (the folder npm run import reads)
  --since DATE   only pull requests updated on or after DATE (2026-01-31, or a date-time)`;

export interface ExportArgs {
  forge: 'github' | 'gitlab';
  project: string;
  dir: string;
  since?: Date;
}

/** @throws UsageError with the message to print (and the usage); `helpAsked` when that is all it is */
export function parseExportArgs(argv: string[]): ExportArgs {
  const { values, positionals } = parseCommandLine(
    argv,
    { dir: { type: 'string' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    { command: 'export', usage: EXPORT_USAGE, allowPositionals: true },
  );
  if (values.help) throw new UsageError(EXPORT_USAGE, true);
  const [forge, project, ...extra] = positionals;
  if (forge !== 'github' && forge !== 'gitlab') throw new UsageError(`${forge === undefined ? 'the forge is missing' : `"${forge}" is not a forge this exporter knows`}: the first word must be github or gitlab\n\n${EXPORT_USAGE}`);
  const shape = forge === 'github' ? /^[\w.-]+\/[\w.-]+$/ : /^[\w.-]+(\/[\w.-]+)+$/;
  if (!project || !shape.test(project)) throw new UsageError(`${project ? `"${project}"` : 'the project'} must be ${forge === 'github' ? 'OWNER/NAME' : 'GROUP/PROJECT'}\n\n${EXPORT_USAGE}`);
  if (extra.length) throw new UsageError(`unexpected ${extra.join(' ')}\n\n${EXPORT_USAGE}`);
  if (!values.dir) throw new UsageError(`--dir is required: the folder the export goes into\n\n${EXPORT_USAGE}`);
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since "${values.since}" is not a date: write 2026-01-31 or 2026-01-31T12:00:00Z`);
  }
  return { forge, project, dir: values.dir, since };
}

async function main(): Promise<number> {
  let args: ExportArgs;
  try {
    args = parseExportArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return error.helpAsked ? 0 : 2;
  }
  const unusable = folderProblem(args.dir);
  if (unusable) {
    console.error(`review-archive export: --dir ${args.dir}: ${unusable}`);
    return 2;
  }
  mkdirSync(args.dir, { recursive: true });
  const run = args.forge === 'github' ? exportGithub : exportGitlab;
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run({ project: args.project, dir: args.dir, since: args.since, progress: process.stderr });
  } catch (error) {
    // A disk that fills up or a folder made read-only halfway: what was saved stays, and the same
    // command resumes from it.
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    console.error(`review-archive export: could not save into ${args.dir}: ${(error as Error).message}. What was saved is kept; run the same command again to resume`);
    return 1;
  }
  const noun = args.forge === 'github' ? 'pull requests' : 'merge requests';
  for (const failure of result.failures) console.error(`  failed: ${failure}`);
  console.log(`review-archive: exported ${result.pulls} ${noun} of ${args.project} into ${args.dir} (${result.fetched} files fetched, ${result.kept} already there${result.failures.length ? `, ${result.failures.length} failed: run the same command again to retry them` : ''})`);
  return result.failures.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

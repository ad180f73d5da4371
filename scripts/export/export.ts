/**
 * `npm run export -- github OWNER/NAME --dir DIR [--since DATE]` and
 * `npm run export -- gitlab GROUP/PROJECT --dir DIR [--since DATE]`: raw API answers, saved for
 * `npm run import`. See the README, "From GitHub / GitLab".
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
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

/** @throws Error with the message to print (and the usage) */
export function parseExportArgs(argv: string[]): ExportArgs {
  const { values, positionals } = parseArgs({ args: argv, options: { dir: { type: 'string' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) throw new Error(EXPORT_USAGE);
  const [forge, project, ...extra] = positionals;
  if (forge !== 'github' && forge !== 'gitlab') throw new Error(`${forge === undefined ? 'the forge is missing' : `"${forge}" is not a forge this exporter knows`}: the first word must be github or gitlab\n\n${EXPORT_USAGE}`);
  const shape = forge === 'github' ? /^[\w.-]+\/[\w.-]+$/ : /^[\w.-]+(\/[\w.-]+)+$/;
  if (!project || !shape.test(project)) throw new Error(`${project ? `"${project}"` : 'the project'} must be ${forge === 'github' ? 'OWNER/NAME' : 'GROUP/PROJECT'}\n\n${EXPORT_USAGE}`);
  if (extra.length) throw new Error(`unexpected ${extra.join(' ')}\n\n${EXPORT_USAGE}`);
  if (!values.dir) throw new Error(`--dir is required: the folder the export goes into\n\n${EXPORT_USAGE}`);
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) throw new Error(`--since "${values.since}" is not a date: write 2026-01-31 or 2026-01-31T12:00:00Z`);
  }
  return { forge, project, dir: values.dir, since };
}

async function main(): Promise<number> {
  let args: ExportArgs;
  try {
    args = parseExportArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2;
  }
  const run = args.forge === 'github' ? exportGithub : exportGitlab;
  const result = await run({ project: args.project, dir: args.dir, since: args.since, progress: process.stderr });
  const noun = args.forge === 'github' ? 'pull requests' : 'merge requests';
  for (const failure of result.failures) console.error(`  failed: ${failure}`);
  console.log(`review-archive: exported ${result.pulls} ${noun} of ${args.project} into ${args.dir} (${result.fetched} files fetched, ${result.kept} already there${result.failures.length ? `, ${result.failures.length} failed: run the same command again to retry them` : ''})`);
  return result.failures.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

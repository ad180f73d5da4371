/**
 * `npm run ingest -- --repo PATH [--out DIR] [--target BRANCH] [--since DATE] [--limit N]`:
 * an archive from a repository's real history. See the README, "An archive from real history".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../build/cli-args.ts';
import { pluralize } from '../render/format.ts';
import { formatReport } from '../build/report.ts';
import { parseIngestArgs } from './ingest-args.ts';
import { ingest } from './run-ingest.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseIngestArgs(process.argv.slice(2));
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(usage ? error.message : `review-archive: ${(error as Error).message}`);
    return usage && error.helpAsked ? 0 : 2;
  }
  const started = performance.now();
  let result;
  try {
    result = await ingest({ ...args, progress: process.stderr });
  } catch (error) {
    // Not the input's fault (that comes back as problems): git or the file system failed.
    console.error(`review-archive: ingest failed; a new archive was not created, an existing one keeps every file whole.\n${(error as Error).stack ?? String(error)}`);
    return 2;
  }
  if (!result.ok) {
    console.error(formatReport(result.problems, 'review-archive: cannot ingest; nothing was written.'));
    return 1;
  }
  const { summary } = result;
  for (const note of summary.notes) console.error(`  note: ${note}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const retired = summary.retired ? `, ${summary.retired} no longer open` : '';
  console.log(
    `review-archive: ingested ${pluralize(summary.branches, 'branch', 'branches')} from ${args.repo} into ${args.out} (${summary.written} written, ${summary.unchanged} unchanged${retired}) in ${seconds}s`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

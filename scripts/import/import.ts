/**
 * `npm run import -- pika ...`: pika-git branch exports into the archive.
 * See the README, "Leaving pika-git".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../build/cli-args.ts';
import { pluralize } from '../render/format.ts';
import { formatReport } from '../build/report.ts';
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
    return usage && process.argv.includes('--help') ? 0 : 2;
  }
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}

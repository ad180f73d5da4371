/**
 * Child process of `npm run bench`: renders every non-empty branch diff of an archive with
 * @pierre/diffs' server rendering, `preloadPatchFile` with its default options (its dual theme),
 * one diff after another in this one process, as a server would, and prints
 * `{ ms, diffs, htmlBytes, maxRssKiB }` as JSON. Loading its highlighter and grammars happens on
 * first use, so it is inside the clock, as our build's worker start-up is inside ours.
 *
 * Before each diff it writes `rendering <branch folder>` to stderr, so that when the bench stops
 * it at its time limit the diff it was stuck on is known; a diff that took over 10 s is named too.
 *
 *   node scripts/bench/pierre-bench.ts <content-dir>
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { preloadPatchFile } from '@pierre/diffs/ssr';
import { nonEmptyDiffs } from './peer-diffs.ts';

const contentDir = process.argv[2];
if (!contentDir) {
  console.error('usage: pierre-bench.ts <content-dir>');
  process.exit(2);
}
const patches = await nonEmptyDiffs(contentDir);
let htmlBytes = 0;
const started = performance.now();
for (const file of patches) {
  const branch = path.basename(path.dirname(file));
  process.stderr.write(`rendering ${branch}\n`);
  const diffStarted = performance.now();
  const rendered = await preloadPatchFile({ patch: await readFile(file, 'utf8') });
  for (const diff of rendered) htmlBytes += diff.prerenderedHTML.length;
  const diffMs = performance.now() - diffStarted;
  if (diffMs > 10_000) process.stderr.write(`slow ${branch} ${Math.round(diffMs)} ms\n`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, diffs: patches.length, htmlBytes, maxRssKiB: process.resourceUsage().maxRSS }));

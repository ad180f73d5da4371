/**
 * Child process of `npm run bench`: highlights every file of every diff of an archive one way and
 * prints `{ ms, lines, maxRssKiB }` as JSON. Run once per way, so each gets a fresh process.
 *
 *   shiki  the plain reference: Shiki's `codeToHtml` with the same two themes, single-threaded,
 *          over each file's diff lines (grammars loaded before the clock starts)
 *   ours   our highlighter as the build uses it: worker pool, one grammar load per worker,
 *          no cache (worker start-up and grammar loading are inside the clock)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHighlighter, type BundledLanguage } from 'shiki';
import { parsePatch } from '../diff/parse-patch.ts';
import { displayPath } from '../diff/types.ts';
import { HighlightPool } from '../render/highlight-pool.ts';
import { languageForPath } from '../render/languages.ts';
import { PLAIN, THEMES } from '../render/tokenizer.ts';

interface FileWork {
  /** The branch folder the file's diff is in. */
  branch: string;
  language: string;
  hunks: Array<Array<{ kind: 'context' | 'add' | 'del'; text: string }>>;
}

async function loadWork(contentDir: string): Promise<FileWork[]> {
  const branchesDir = path.join(contentDir, 'branches');
  const work: FileWork[] = [];
  for (const name of (await readdir(branchesDir)).sort()) {
    const parsed = parsePatch(await readFile(path.join(branchesDir, name, 'diff.patch'), 'utf8'));
    if (!parsed.ok) throw new Error(`${name}: the patch does not parse`);
    for (const file of parsed.patch.files) {
      if (!file.hunks.length) continue;
      work.push({ branch: name, language: languageForPath(displayPath(file)), hunks: file.hunks.map((h) => h.lines.map(({ kind, text }) => ({ kind, text }))) });
    }
  }
  return work;
}

async function plainShiki(work: FileWork[]): Promise<number> {
  const languages = [...new Set(work.map((w) => w.language))].filter((l) => l !== PLAIN);
  const highlighter = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: languages as BundledLanguage[] });
  const started = performance.now();
  let branch: string | undefined;
  for (const file of work) {
    // Named as it starts, so that the bench can say which diff a run stopped at its time limit was on.
    if (file.branch !== branch) process.stderr.write(`rendering ${(branch = file.branch)}\n`);
    const code = file.hunks.flatMap((hunk) => hunk.map((line) => line.text)).join('\n');
    highlighter.codeToHtml(code, { lang: file.language, themes: THEMES });
  }
  return performance.now() - started;
}

async function ours(work: FileWork[]): Promise<number> {
  const started = performance.now();
  const pool = new HighlightPool();
  await Promise.all(work.map(({ language, hunks }) => pool.highlight({ language, hunks })));
  await pool.close();
  return performance.now() - started;
}

const [mode, contentDir] = process.argv.slice(2);
if ((mode !== 'shiki' && mode !== 'ours') || !contentDir) {
  console.error('usage: highlight-bench.ts shiki|ours <content-dir>');
  process.exit(2);
}
const work = await loadWork(contentDir);
const lines = work.reduce((sum, file) => sum + file.hunks.reduce((s, h) => s + h.length, 0), 0);
const ms = mode === 'shiki' ? await plainShiki(work) : await ours(work);
console.log(JSON.stringify({ ms, lines, maxRssKiB: process.resourceUsage().maxRSS }));

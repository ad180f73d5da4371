import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { parsePatch } from '../diff/parse-patch.ts';
import { displayPath, type ParsedPatch } from '../diff/types.ts';
import { Random } from './code-gen.ts';

/**
 * Review discussions for the bench corpus (scripts/bench/corpus.ts), written beside its branches:
 * a share of them get reviews, a conversation and threads on real lines of their diff (some
 * resolved, some outdated with their hunk, some with a suggestion), 0 to 200 comments each,
 * heavy-tailed like real pull requests. Same seed, same files.
 */
export interface DiscussionCorpusOptions {
  dir: string;
  /** The share of branches that get a discussion, 0 to 1. */
  share: number;
  seed?: number;
}

const REVIEWERS = ['ana', 'bo', 'chen', 'dara', 'eli', 'fatima', 'goran', 'hana'];
const REMARKS = [
  'Could this be a constant?',
  'Nice simplification.',
  'Does this handle the empty case?',
  'I would name this after what it returns.',
  'This allocates on every call; worth caching?',
  'Please add a test for the error path.',
  'Agreed, changed.',
  'Good catch, fixed in the next push.',
  'Is this still needed after the refactor?',
  'The comment above says the opposite of the code.',
];

const HOUR = 3_600_000;

/** A discussion of `comments` comments (about half of them in threads) on lines of `patch`. */
export function discussionFor(patch: ParsedPatch, random: Random, comments: number, opened: number): Record<string, unknown> {
  const at = (hours: number) => new Date(opened + Math.round(hours * HOUR)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const lines = patch.files.flatMap((file) => file.hunks.flatMap((hunk) => hunk.lines.map((line) => ({ file, hunk, line }))));
  const comment = (hours: number) => ({ author: random.pick(REVIEWERS), at: at(hours), body: random.pick(REMARKS) });
  let clock = 1;
  const tick = () => (clock += random.next() * 6);
  const threads: Array<Record<string, unknown>> = [];
  const conversation: Array<Record<string, unknown>> = [];
  let left = comments;
  while (left > 0) {
    if (lines.length && random.chance(0.5)) {
      const { file, hunk, line } = random.pick(lines);
      const side = line.newLine !== undefined ? 'new' : 'old';
      const number = (side === 'new' ? line.newLine : line.oldLine)!;
      const replies = Math.min(left, random.int(1, 4));
      const thread: Record<string, unknown> = { file: displayPath(file), side, line: number };
      if (random.chance(0.3)) thread.resolved = true;
      if (random.chance(0.1)) {
        // Made on an earlier version of the hunk: its lines moved on since.
        thread.outdated = true;
        thread.line = number + 1000;
        thread.hunk = [hunk.header, ...hunk.lines.map((l) => `${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`)].join('\n');
      }
      const list = Array.from({ length: replies }, () => comment(tick()));
      if (random.chance(0.1)) list[0]!.body = `Maybe:\n\n\`\`\`suggestion\n${line.text.trim()} // reviewed\n\`\`\``;
      threads.push({ ...thread, comments: list });
      left -= replies;
    } else {
      conversation.push(comment(tick()));
      left--;
    }
  }
  const reviews = Array.from({ length: random.int(1, 3) }, () => ({
    author: random.pick(REVIEWERS),
    state: random.pick(['approved', 'approved', 'changes_requested', 'commented'] as const),
    submitted_at: at(tick()),
    body: random.chance(0.5) ? random.pick(REMARKS) : undefined,
  }));
  return { reviews, comments: conversation, threads };
}

/** Adds discussion.yaml to a share of the corpus's branches; returns how many and their comments. */
export async function addDiscussions(options: DiscussionCorpusOptions): Promise<{ branches: number; comments: number }> {
  const random = new Random(options.seed ?? 20261201);
  const branchesDir = path.join(options.dir, 'branches');
  let branches = 0;
  let comments = 0;
  for (const folder of (await readdir(branchesDir)).sort()) {
    if (!random.chance(options.share)) continue;
    const parsed = parsePatch(await readFile(path.join(branchesDir, folder, 'diff.patch'), 'utf8'));
    if (!parsed.ok) continue;
    const count = Math.min(200, Math.floor(random.logNormal(12, 1.2)));
    const opened = Date.UTC(2025, 0, 1) + branches * 86_400_000;
    await writeFile(path.join(branchesDir, folder, 'discussion.yaml'), stringify(discussionFor(parsed.patch, random, count, opened)));
    branches++;
    comments += count;
  }
  return { branches, comments };
}

/**
 * Two one-branch archives made from a corpus branch: as it is, and with a discussion of `comments`
 * comments. Building both shows what a big discussion costs a build.
 */
export async function bigDiscussionPair(corpusDir: string, workDir: string, comments: number): Promise<{ plain: string; discussed: string; folder: string; threads: number }> {
  const { cp, mkdir } = await import('node:fs/promises');
  const folders = (await readdir(path.join(corpusDir, 'branches'))).sort((a, b) => parseInt(a) - parseInt(b));
  // A mid-sized branch: enough lines for threads to spread over, small enough that the diff is not the story.
  let chosen = folders[0]!;
  let patch: ParsedPatch | undefined;
  for (const folder of folders) {
    const parsed = parsePatch(await readFile(path.join(corpusDir, 'branches', folder, 'diff.patch'), 'utf8'));
    if (!parsed.ok) continue;
    const lines = parsed.patch.files.reduce((sum, file) => sum + file.hunks.reduce((s, h) => s + h.lines.length, 0), 0);
    if (lines >= 800 && lines <= 3000) {
      chosen = folder;
      patch = parsed.patch;
      break;
    }
  }
  if (!patch) {
    const parsed = parsePatch(await readFile(path.join(corpusDir, 'branches', chosen, 'diff.patch'), 'utf8'));
    if (!parsed.ok) throw new Error(`the corpus branch ${chosen} has a diff that does not parse`);
    patch = parsed.patch;
  }
  const archives = { plain: path.join(workDir, 'one-branch'), discussed: path.join(workDir, 'one-branch-discussed') };
  for (const dir of Object.values(archives)) {
    await mkdir(path.join(dir, 'branches'), { recursive: true });
    await cp(path.join(corpusDir, 'archive.yaml'), path.join(dir, 'archive.yaml'));
    await cp(path.join(corpusDir, 'branches', chosen), path.join(dir, 'branches', chosen), { recursive: true });
  }
  const discussion = discussionFor(patch, new Random(7), comments, Date.UTC(2025, 5, 1));
  await writeFile(path.join(archives.discussed, 'branches', chosen, 'discussion.yaml'), stringify(discussion));
  return { ...archives, folder: chosen, threads: (discussion.threads as unknown[]).length };
}

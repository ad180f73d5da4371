/**
 * `npm run new -- step BRANCH "Title"` and `npm run new -- branch …`: scaffolding for people
 * writing an archive by hand. Reads the archive, writes one new file or folder (never over an
 * existing one), and prints what it wrote. Mistakes (a missing branch, bad arguments, a path that
 * is not a repository) get one line naming what is wrong and exit status 1, never a stack trace.
 */
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { folderProblem } from '../build/output-guard.ts';
import { parsePatch } from '../diff/parse-patch.ts';
import { slugify } from '../render/html.ts';
import type { ParsedPatch } from '../diff/types.ts';
import { listBranchFolders, listNames, readTextIfExists, writeFileAtomic } from '../ingest/files.ts';
import { readCommits } from '../ingest/git/history.ts';
import { readDiffBetween } from '../ingest/git/diffs.ts';
import { openRepository, runGit, tryGit } from '../ingest/git/repository.ts';
import { NewUsageError, parseNewArgs, type NewCommand } from './new-args.ts';
import { UNKNOWN_SHA, branchFolderName, formatNewBranch, nextBranchId, patchHeaderFacts, summaryFromCommits } from './new-branch.ts';
import { formatNewStep, newStepFileName } from './new-step.ts';

/** A problem with what the user asked for; its message is printed as it is. */
class NewError extends Error {}

async function newStep(command: Extract<NewCommand, { kind: 'step' }>): Promise<string> {
  const branchesDir = path.join(command.contentDir, 'branches');
  const folders = await listBranchFolders(command.contentDir);
  const folder = [...folders].find(([name, id]) => name === command.branch || String(id) === command.branch.replace(/^#/, ''))?.[0];
  if (!folder) {
    const known = [...folders.values()].sort((a, b) => a - b);
    if (!known.length) throw new NewError(`review-archive new: ${branchesDir} has no branch folders; make one with npm run new -- branch`);
    throw new NewError(`review-archive new: no branch "${command.branch}" in ${branchesDir} (ids: ${known.slice(0, 20).join(', ')}${known.length > 20 ? `, and ${known.length - 20} more` : ''})`);
  }
  const branchDir = path.join(branchesDir, folder);
  const patchText = await readTextIfExists(path.join(branchDir, 'diff.patch'));
  const notes: string[] = [];
  let patch: ParsedPatch | undefined;
  if (patchText === undefined) notes.push(`${path.join(branchDir, 'diff.patch')} is missing, so no files or hunks were filled in`);
  else {
    const parsed = parsePatch(patchText);
    if (parsed.ok) patch = parsed.patch;
    else notes.push(`${path.join(branchDir, 'diff.patch')}:${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}; no files or hunks were filled in`);
  }
  const stepsDir = path.join(branchDir, 'steps');
  const file = path.join(stepsDir, newStepFileName(await listNames(stepsDir), command.title));
  await writeFileAtomic(file, formatNewStep(command.title, patch));
  const hunks = patch?.files.reduce((sum, diffFile) => sum + diffFile.hunks.length, 0) ?? 0;
  return [`review-archive new: wrote ${file} (${patch?.files.length ?? 0} files, ${hunks} hunks to choose from: delete the ones this step does not show)`, ...notes.map((note) => `  note: ${note}`)].join('\n');
}

async function newBranch(command: Extract<NewCommand, { kind: 'branch' }>): Promise<string> {
  const folders = await listBranchFolders(command.contentDir);
  const takenIds = new Set(folders.values());
  if (command.id !== undefined && takenIds.has(command.id)) {
    throw new NewError(`review-archive new: --id ${command.id} is taken by ${path.join(command.contentDir, 'branches', [...folders].find(([, id]) => id === command.id)![0])}`);
  }
  const id = command.id ?? nextBranchId(takenIds);
  const { patchText, facts, summary } = 'diff' in command.source ? await fromDiffFile(command.source.diff, command) : await fromRepository(command.source, command);
  const parsed = parsePatch(patchText);
  if (!parsed.ok && patchText.trim()) {
    const where = 'diff' in command.source ? command.source.diff : 'the diff git printed';
    throw new NewError(`review-archive new: ${where}:${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}`);
  }
  const branchesDir = path.join(command.contentDir, 'branches');
  const folder = branchFolderName(id, facts.name);
  const dir = path.join(branchesDir, folder);
  if (await stat(dir).then(() => true, () => false)) throw new NewError(`review-archive new: ${dir} already exists`);
  // Assembled under a dot-name, which the build ignores, and renamed in whole: a build or the dev
  // server never sees half a branch.
  const staging = path.join(branchesDir, `.${folder}.${process.pid}.new`);
  await rm(staging, { recursive: true, force: true });
  await writeFileAtomic(path.join(staging, 'branch.md'), formatNewBranch({ id, ...facts }, summary));
  await writeFileAtomic(path.join(staging, 'diff.patch'), patchText);
  await rename(staging, dir);
  const files = parsed.ok ? parsed.patch.files.length : 0;
  const lines = [`review-archive new: wrote ${dir} (branch ${id}, ${files} changed files); add steps with npm run new -- step ${id} "Title"`];
  if (facts.head === UNKNOWN_SHA || facts.base === UNKNOWN_SHA) lines.push(`  note: a diff file does not say its commits; replace the zeros in ${path.join(dir, 'branch.md')} (base, head) with the real shas`);
  return lines.join('\n');
}

type NewFacts = { name: string; title: string; target: string; head: string; base: string; author: string; updated: string };

async function fromDiffFile(diffFile: string, command: Extract<NewCommand, { kind: 'branch' }>): Promise<{ patchText: string; facts: NewFacts; summary: string }> {
  const patchText = await readFile(diffFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new NewError(`review-archive new: --diff ${diffFile}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a folder, not a diff file' : error.message}`);
  });
  const header = patchHeaderFacts(patchText);
  const title = command.title ?? header.subject ?? path.basename(diffFile).replace(/\.(patch|diff)$/, '');
  return {
    patchText,
    facts: {
      name: command.name ?? slugify(title),
      title,
      target: 'main',
      head: header.head ?? UNKNOWN_SHA,
      base: UNKNOWN_SHA,
      author: header.author ?? 'unknown',
      updated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    summary: '',
  };
}

async function fromRepository(source: { repo: string; base: string; head: string }, command: Extract<NewCommand, { kind: 'branch' }>): Promise<{ patchText: string; facts: NewFacts; summary: string }> {
  const { repo, problems } = await openRepository(source.repo);
  if (!repo) throw new NewError(`review-archive new: --repo ${problems[0]!.file}: ${problems[0]!.message}`);
  const resolve = async (option: string, ref: string) => {
    const sha = (await tryGit(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]))?.trim();
    if (!sha) throw new NewError(`review-archive new: --${option} ${ref}: no such commit or branch in ${source.repo}`);
    return sha;
  };
  const [baseRef, headSha] = [await resolve('base', source.base), await resolve('head', source.head)];
  // An open branch's diff runs from where it forked (the format's `base`), as ingest takes it.
  const base = (await tryGit(repo, ['merge-base', baseRef, headSha]))?.trim();
  if (!base) throw new NewError(`review-archive new: --base ${source.base} and --head ${source.head} share no history`);
  const [patchText, commits, subjects] = await Promise.all([
    readDiffBetween(repo, base, headSha),
    readCommits(repo, [headSha]),
    runGit(repo, ['log', '--reverse', '--format=%s', `${base}..${headSha}`, '--']),
  ]);
  const head = commits.get(headSha)!;
  // A ref given as a branch name names the branch; a sha or an expression (`main~3`) does not.
  const branchName = (ref: string) => (/^[0-9a-f]{7,40}$/.test(ref) || !/^[\w./-]+$/.test(ref) ? undefined : ref.replace(/^(refs\/heads\/|refs\/remotes\/[^/]+\/|origin\/)/, ''));
  const title = command.title ?? head.message.split('\n')[0]!.trim() ?? source.head;
  return {
    patchText,
    facts: {
      name: command.name ?? branchName(source.head) ?? `branch-${headSha.slice(0, 7)}`,
      title: title || source.head,
      target: branchName(source.base) ?? 'main',
      head: headSha,
      base,
      author: head.author || 'unknown',
      updated: head.committed,
    },
    summary: summaryFromCommits(head.message, subjects.split('\n').filter(Boolean)),
  };
}

async function main(): Promise<number> {
  try {
    const command = parseNewArgs(process.argv.slice(2));
    const unusable = folderProblem(path.join(command.contentDir, 'branches'), 'new writes into the archive there');
    if (unusable) throw new NewError(`review-archive new: --content ${command.contentDir}: ${unusable}`);
    console.log(command.kind === 'step' ? await newStep(command) : await newBranch(command));
    return 0;
  } catch (error) {
    if (error instanceof NewUsageError || error instanceof NewError) {
      console.error(error.message);
      return error instanceof NewUsageError && error.message.startsWith('Usage:') ? 0 : 1;
    }
    throw error;
  }
}

process.exitCode = await main();

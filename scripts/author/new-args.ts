import { parseCommandLine } from '../build/cli-args.ts';

export const NEW_USAGE = `Usage:
  npm run new -- step BRANCH "Title" [--content DIR]
      a new steps/NN-<slug>.md in branch BRANCH (its id, or its folder name)
  npm run new -- branch --diff FILE [--name NAME] [--title TITLE] [--id N] [--content DIR]
  npm run new -- branch --repo PATH --base A --head B [--name NAME] [--title TITLE] [--id N] [--content DIR]
      a new branch folder: branch.md and diff.patch, from a diff file or from git (A..B)

  --content DIR   the archive (default: ./content)`;

export type NewCommand =
  | { kind: 'step'; contentDir: string; branch: string; title: string }
  | {
      kind: 'branch';
      contentDir: string;
      source: { diff: string } | { repo: string; base: string; head: string };
      name?: string;
      title?: string;
      id?: number;
    };

/** A mistake on the command line: the message says what would be right. */
export class NewUsageError extends Error {}

/** Parses `npm run new` arguments; throws NewUsageError with a message naming the argument at fault. */
export function parseNewArgs(argv: string[]): NewCommand {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      content: { type: 'string', default: 'content' },
      diff: { type: 'string' },
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string' },
      name: { type: 'string' },
      title: { type: 'string' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { command: 'new', usage: NEW_USAGE, allowPositionals: true, usageError: (message) => new NewUsageError(message) },
  );
  if (values.help) throw new NewUsageError(NEW_USAGE);
  const [what, ...rest] = positionals;
  const fail = (message: string) => {
    throw new NewUsageError(`review-archive new: ${message}\n\n${NEW_USAGE}`);
  };
  if (what === 'step') {
    const branchOnly = ['diff', 'repo', 'base', 'head', 'name', 'id'].filter((key) => values[key as keyof typeof values] !== undefined);
    if (branchOnly.length) fail(`--${branchOnly[0]} is for new branch, not new step`);
    if (rest.length !== 2) fail(`new step takes a branch and a title, e.g. npm run new -- step 101 "Check the checksum" (got ${rest.length} argument${rest.length === 1 ? '' : 's'})`);
    const [branch, title] = rest as [string, string];
    if (!title.trim()) fail('the step title is empty');
    return { kind: 'step', contentDir: values.content, branch, title: title.trim() };
  }
  if (what === 'branch') {
    if (rest.length) fail(`new branch takes options only, not "${rest[0]}"`);
    const fromGit = values.repo !== undefined || values.base !== undefined || values.head !== undefined;
    if (values.diff !== undefined && fromGit) fail('give either --diff FILE or --repo PATH --base A --head B, not both');
    let source: { diff: string } | { repo: string; base: string; head: string };
    if (values.diff !== undefined) source = { diff: values.diff };
    else if (values.repo !== undefined && values.base !== undefined && values.head !== undefined) source = { repo: values.repo, base: values.base, head: values.head };
    else if (fromGit) return fail(`--repo, --base and --head go together (missing: ${['repo', 'base', 'head'].filter((key) => values[key as 'repo'] === undefined).map((key) => `--${key}`).join(', ')})`);
    else return fail('new branch needs --diff FILE, or --repo PATH --base A --head B');
    let id: number | undefined;
    if (values.id !== undefined) {
      id = Number(values.id);
      if (!/^\d+$/.test(values.id) || !Number.isSafeInteger(id) || id < 1) fail(`--id must be a positive whole number, not "${values.id}"`);
    }
    if (values.title !== undefined && !values.title.trim()) fail('--title is empty');
    if (values.name !== undefined && !values.name.trim()) fail('--name is empty');
    return { kind: 'branch', contentDir: values.content, source, name: values.name?.trim(), title: values.title?.trim(), id };
  }
  return fail(what === undefined ? 'say what to create: step or branch' : `unknown kind "${what}": step or branch`);
}

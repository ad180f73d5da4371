import { parseCommandLine, UsageError } from '../build/cli-args.ts';
import type { ExportPaths } from './pika/read-export.ts';

export const IMPORT_USAGE = `Usage: npm run import -- github DIR [--repo PATH] [--out DIR]
       npm run import -- gitlab DIR [--repo PATH] [--out DIR]
       npm run import -- pika --branch FILE [--tutorial FILE] [--ci FILE] [--diff FILE | --repo PATH] [--out DIR]
       npm run import -- pika DIR [--repo PATH] [--out DIR]

  github DIR       a GitHub export (pulls.json, pulls/<n>/..., commits/, actions/runs/),
                   as npm run export -- github OWNER/NAME --dir DIR writes it
  gitlab DIR       a GitLab export (merge_requests.json, merge_requests/<iid>/..., pipelines/, jobs/)
  pika             import pika-git branch exports
  --branch FILE    the export's branch.json
  --tutorial FILE  its tutorial.json (pika-git's TutorialDoc)
  --ci FILE        its ci.json
  --diff FILE      the branch's unified diff
  --repo PATH      a clone of the repository (bare or mirror too): the diffs come from it
  DIR              (pika) a folder holding branch.json (and tutorial.json, ci.json, diff.patch),
                   or folders that each do: every export in it is imported
  --out DIR        the archive to write into (default: ./content)`;

export type ImportArgs =
  | ({ source: 'pika'; out: string; repo?: string } & ({ dir: string } | { files: ExportPaths }))
  | { source: 'github' | 'gitlab'; out: string; repo?: string; dir: string };

const SOURCES = ['github', 'gitlab', 'pika'] as const;

/** Parses import's command line; throws UsageError with a message that says what to write instead. */
export function parseImportArgs(argv: string[]): ImportArgs {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      branch: { type: 'string' },
      tutorial: { type: 'string' },
      ci: { type: 'string' },
      diff: { type: 'string' },
      repo: { type: 'string' },
      out: { type: 'string', default: 'content' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { command: 'import', usage: IMPORT_USAGE, allowPositionals: true },
  );
  if (values.help) throw new UsageError(IMPORT_USAGE, true);
  const [source, dir, ...extra] = positionals;
  if (!SOURCES.includes(source as (typeof SOURCES)[number])) {
    throw new UsageError(`${source === undefined ? 'the source is missing' : `"${source}" is not a source this importer knows`}: the first word must be github, gitlab or pika\n\n${IMPORT_USAGE}`);
  }
  if (extra.length) throw new UsageError(`unexpected ${extra.join(' ')}: give one folder at most\n\n${IMPORT_USAGE}`);
  const flags = (['branch', 'tutorial', 'ci', 'diff'] as const).filter((flag) => values[flag] !== undefined);
  if (source === 'github' || source === 'gitlab') {
    if (flags.length) throw new UsageError(`--${flags[0]} is for pika exports; a ${source} export is a folder\n\n${IMPORT_USAGE}`);
    if (dir === undefined) throw new UsageError(`the export folder is missing: npm run import -- ${source} DIR\n\n${IMPORT_USAGE}`);
    return { source, out: values.out, repo: values.repo, dir };
  }
  const common = { source: 'pika', out: values.out, repo: values.repo } as const;
  if (dir !== undefined) {
    if (flags.length) throw new UsageError(`--${flags[0]} and a folder cannot go together: a folder's exports bring their own files\n\n${IMPORT_USAGE}`);
    return { ...common, dir };
  }
  if (!values.branch) throw new UsageError(`--branch is required (or a folder of exports)\n\n${IMPORT_USAGE}`);
  return { ...common, files: { branch: values.branch, tutorial: values.tutorial, ci: values.ci, diff: values.diff } };
}

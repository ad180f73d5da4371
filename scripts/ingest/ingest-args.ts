import { parseCommandLine, UsageError } from '../build/cli-args.ts';

export const INGEST_USAGE = `Usage: npm run ingest -- --repo PATH [--out DIR] [--target BRANCH] [--since DATE] [--limit N]

  --repo PATH      the git repository to read (normal or bare)
  --out DIR        the archive to write or bring up to date (default: ./content)
  --target BRANCH  the branch reviews were merged into (default: the branch HEAD points at)
  --since DATE     only branches updated on or after DATE (e.g. 2026-01-01)
  --limit N        only the N most recently updated branches`;

export interface IngestArgs {
  repo: string;
  out: string;
  target?: string;
  since?: Date;
  limit?: number;
}

/** Parses ingest's command line; throws UsageError with a message that says what to write instead. */
export function parseIngestArgs(argv: string[]): IngestArgs {
  const { values } = parseCommandLine(
    argv,
    {
      repo: { type: 'string' },
      out: { type: 'string', default: 'content' },
      target: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { command: 'ingest', usage: INGEST_USAGE },
  );
  if (values.help) throw new UsageError(INGEST_USAGE, true);
  if (!values.repo) throw new UsageError(`--repo is required: the repository to read\n\n${INGEST_USAGE}`);
  return { repo: values.repo, out: values.out, target: values.target, since: parseSince(values.since), limit: parseLimit(values.limit) };
}

function parseSince(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since ${text}: not a date; write it like 2026-01-31 or 2026-01-31T12:00:00Z`);
  return date;
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--limit ${text}: must be a whole number of branches, 1 or more`);
  return Number(text);
}

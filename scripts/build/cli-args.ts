import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** Always starts and ends with `/`; undefined means the path of archive.yaml's `url`, or `/`. */
  base?: string;
  /** Work files that may survive between builds: the rendered data and Astro's cache. */
  cacheDir: string;
  /** Stop after validating and rendering the archive; do not run Astro. */
  contentOnly: boolean;
}

export const USAGE = `Usage: npm run build -- [--content DIR] [--out DIR] [--base PATH] [--cache DIR] [--content-only]

  --content DIR    the archive to build (default: ./content)
  --out DIR        where the site goes (default: ./dist); replaced only when the build succeeds
  --base PATH      URL path the site is served under, e.g. /reviews/ (default: the path of
                   archive.yaml's url, or /)
  --cache DIR      work files kept between builds (default: ./.review-archive)
  --content-only   validate and render the archive, but do not build the site`;

/** Parses the build's command line; throws with a usage message on unknown flags. */
export function parseBuildArgs(argv: string[]): BuildOptions {
  const { values } = parseCommandLine(
    argv,
    {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'dist' },
      base: { type: 'string' },
      cache: { type: 'string', default: '.review-archive' },
      'content-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { command: 'build', usage: USAGE },
  );
  if (values.help) throw new UsageError(USAGE, true);
  return {
    contentDir: values.content,
    outDir: values.out,
    base: values.base === undefined ? undefined : normalizeBase(values.base),
    cacheDir: values.cache,
    contentOnly: values['content-only'],
  };
}

/** `reviews` → `/reviews/`; `/` stays `/`. */
export function normalizeBase(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** A mistake on the command line, or a request for help (then the usage is the answer and the exit code 0). */
export class UsageError extends Error {
  readonly helpAsked: boolean;
  constructor(message: string, helpAsked = false) {
    super(message);
    this.helpAsked = helpAsked;
  }
}

/**
 * Node's parseArgs, strict, with its errors turned into one line that names the command and the
 * argument at fault, followed by the usage. Node's own advice on values that start with `-`
 * rarely applies to our commands, so an unknown option is said plainly.
 */
export function parseCommandLine<const Options extends ParseArgsOptionsConfig, const Positionals extends boolean = false>(
  argv: string[],
  options: Options,
  how: { command: string; usage: string; allowPositionals?: Positionals; usageError?: (message: string) => Error },
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: (how.allowPositionals ?? false) as Positionals });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    const text = `review-archive ${how.command}: ${unknown ? `unknown option ${unknown[1]}` : message}\n\n${how.usage}`;
    throw how.usageError ? how.usageError(text) : new UsageError(text);
  }
}

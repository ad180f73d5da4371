import { parseArgs } from 'node:util';

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
  const { values } = parseArgs({
    args: argv,
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'dist' },
      base: { type: 'string' },
      cache: { type: 'string', default: '.review-archive' },
      'content-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new UsageError(USAGE);
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

export class UsageError extends Error {}

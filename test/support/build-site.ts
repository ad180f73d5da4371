import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root directory (where package.json is). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The archive the e2e tests build and read: the bundled sample, or E2E_CONTENT when set
 * (to try the e2e suite against another archive, e.g. `E2E_CONTENT=test/fixtures/archives/good`).
 */
export const sampleContentDir = path.resolve(projectRoot, process.env.E2E_CONTENT || 'content');

export interface BuildOptions {
  /** The archive to build; the bundled sample by default. */
  content?: string;
  /** Where the site goes (the build's `--out`). */
  out: string;
  /** The path the site will be served under (the build's `--base`), e.g. `/sub/dir/`. */
  base?: string;
  /**
   * The build's work directory (`--cache`). Tests pass their own temporary one, so a build
   * someone runs by hand in the same checkout (into ./.review-archive) cannot interfere.
   */
  cache?: string;
  /** Give up after this long; a build of the sample takes about half a minute. */
  timeoutMs?: number;
}

/** What Vitest adds to process.env for its tests. */
const VITEST_ENV = new Set(['TEST', 'NODE_ENV', 'FORCE_TTY', 'BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR']);

/** Lines of build output kept for an error message: enough to show the problem report. */
const OUTPUT_TAIL_LINES = 80;

/**
 * Builds an archive into a static site with the project's own entry point,
 * `node_modules/.bin/node scripts/build.ts --content <dir> --out <dir> [--base <path>]`,
 * run with the project's pinned Node first on PATH (as npm scripts do).
 * Rejects with the tail of the build's output when it fails.
 */
export async function buildSite(options: BuildOptions): Promise<void> {
  const node = path.join(projectRoot, 'node_modules/.bin/node');
  const entry = path.join(projectRoot, 'scripts/build.ts');
  if (!existsSync(entry)) throw new Error(`Cannot build the site: ${path.relative(projectRoot, entry)} does not exist yet.`);
  const args = [entry, '--content', options.content ?? sampleContentDir, '--out', options.out];
  if (options.base) args.push('--base', options.base);
  if (options.cache) args.push('--cache', options.cache);
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;

  const bin = path.join(projectRoot, 'node_modules/.bin');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', NO_COLOR: '1' };
  // Vitest puts its own Vite settings into process.env (BASE_URL, MODE, DEV, PROD, SSR, ...); Astro's
  // Vite would read them as the site's own (BASE_URL=/ undoes --base), so the build must not see them.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || VITEST_ENV.has(name)) delete env[name];

  const child = spawn(node, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut });
    });
  });

  if (result.code === 0 && !result.timedOut) return;
  const tail = output.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
  const how = result.timedOut ? `timed out after ${timeoutMs / 1000}s` : result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
  throw new Error(`The site build (node scripts/build.ts ${args.slice(1).join(' ')}) ${how}. Its output ends with:\n${tail}`);
}

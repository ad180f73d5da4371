import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What Vitest adds to process.env for its tests. */
const VITEST_ENV = new Set(['TEST', 'NODE_ENV', 'FORCE_TTY', 'BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR']);

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Node's compile cache for every script the tests run. A build keeps it in its own `--cache`, and
 * nearly every test build has a fresh one, so each compiled Astro, Vite and Shiki again: a small
 * fixture's first build took 3.3-4.2 s with that and 2.0-2.4 s with this one shared cache (its
 * CPU 4.5-5.6 s against 2.9-3.4 s). Node checks every entry against the source it compiles, so
 * sharing one between builds running together is safe. Under node_modules, so a fresh clone starts
 * without one.
 */
const SHARED_COMPILE_CACHE = path.join(projectRoot, 'node_modules/.cache/review-archive-tests/compile');

/**
 * Runs one of the project's scripts as `npm run <name> -- <args>` does: from the project root, with
 * the pinned Node first on PATH, and returns its exit code and output.
 */
export function runScript(script: string, args: string[], timeoutMs = 5 * 60_000): Promise<ScriptRun> {
  const bin = path.join(projectRoot, 'node_modules/.bin');
  const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: SHARED_COMPILE_CACHE, ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', NO_COLOR: '1' };
  // Vitest puts its own Vite settings into process.env (BASE_URL, MODE, DEV, PROD, SSR, ...); Astro's
  // Vite would read them as the site's own (BASE_URL=/ undoes --base), so the script must not see them.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || VITEST_ENV.has(name)) delete env[name];
  const child = spawn(path.join(bin, 'node'), [path.join(projectRoot, script), ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} took longer than ${timeoutMs} ms\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run build -- <args>`. */
export function runBuild(args: string[], timeoutMs?: number): Promise<ScriptRun> {
  return runScript('scripts/build/build.ts', args, timeoutMs);
}

/** Every file under `dir` with the hash of its bytes, sorted by path: two equal digests are two identical sites. */
export async function treeDigest(dir: string): Promise<Array<[string, string]>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  const digests = await Promise.all(files.map(async (file) => [file, createHash('sha256').update(await readFile(path.join(dir, file))).digest('hex')] as [string, string]));
  return digests.sort(([a], [b]) => a.localeCompare(b));
}

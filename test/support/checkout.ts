import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** What a checkout of the project holds that a build may read. */
const CHECKOUT = ['src', 'scripts', 'public', 'content', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * A fresh checkout of the project of its own in `work`, so that nothing else a test run does (the
 * dev server test writes Astro's dev files into the real one) can be taken for a build's writing,
 * and so that a test may edit its templates. node_modules is a tree of hard links: its folders are
 * the copy's own, so a file a build adds to them shows there only.
 */
export async function freshCheckout(work: string): Promise<string> {
  const checkout = path.join(work, 'checkout');
  for (const name of CHECKOUT) await cp(path.join(projectRoot, name), path.join(checkout, name), { recursive: true, preserveTimestamps: true });
  await run('cp', ['-al', path.join(projectRoot, 'node_modules'), path.join(checkout, 'node_modules')], work);
  return checkout;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm run build -- <args>` in `checkout`, with its own pinned Node, as a user runs it there. */
export function buildIn(checkout: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(path.join(checkout, 'node_modules/.bin/node'), ['--max-old-space-size=1536', 'scripts/build/build.ts', ...args], checkout, env);
}

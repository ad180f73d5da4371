import { spawn } from 'node:child_process';
import { appendFile, cp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** What a checkout of the project holds that a build may read. */
const CHECKOUT = ['src', 'scripts', 'public', 'content', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * A fresh checkout of the project of its own, so that nothing else this test run does (the dev
 * server test writes Astro's dev files into the real one) can be taken for a build's writing.
 * node_modules is a tree of hard links: its folders are the copy's own, so a file a build adds
 * to them shows here only.
 */
async function freshCheckout(work: string): Promise<string> {
  const checkout = path.join(work, 'checkout');
  for (const name of CHECKOUT) await cp(path.join(projectRoot, name), path.join(checkout, name), { recursive: true, preserveTimestamps: true });
  await run('cp', ['-al', path.join(projectRoot, 'node_modules'), path.join(checkout, 'node_modules')], work);
  return checkout;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm run build -- <args>` in `checkout`, with its own pinned Node, as a user runs it there. */
function build(checkout: string, args: string[]) {
  return run(path.join(checkout, 'node_modules/.bin/node'), ['--max-old-space-size=1536', 'scripts/build/build.ts', ...args], checkout);
}

/** Every file and folder below `dir` changed (or made) after `since`, by path relative to it. */
async function changedSince(dir: string, since: number): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const changed: string[] = [];
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file).catch(() => undefined);
    if (info && Math.max(info.mtimeMs, info.ctimeMs) > since) changed.push(path.relative(dir, file));
  }
  return changed.sort();
}

describe('builds from one checkout', () => {
  it('of two archives started together, each with its own --out and --cache, both succeed with their own sites and write nothing into the checkout', async () => {
    const work = await tempDir('ra-checkout-scratch-');
    const checkout = await freshCheckout(work);
    const fixtures = path.join(projectRoot, 'test/fixtures/archives');
    // Past the copy's own file times (cp -al gives the links a new ctime).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const started = Date.now();
    const greeterContent = path.join(work, 'greeter-content');
    await cp(path.join(fixtures, 'good'), greeterContent, { recursive: true });
    const [greeter, odd] = await Promise.all([
      build(checkout, ['--content', greeterContent, '--out', path.join(work, 'greeter'), '--cache', path.join(work, 'greeter-cache')]),
      build(checkout, ['--content', path.join(fixtures, 'unusual'), '--out', path.join(work, 'odd'), '--cache', path.join(work, 'odd-cache')]),
    ]);
    expect([greeter.code, greeter.stderr]).toEqual([0, '']);
    expect([odd.code, odd.stderr]).toEqual([0, '']);
    expect(greeter.stdout).toMatch(/built 2 branches /);
    expect(odd.stdout).toMatch(/built 1 branch /);
    expect(await readFile(path.join(work, 'greeter/index.html'), 'utf8')).toContain('Greeter reviews');
    expect(await readdir(path.join(work, 'greeter/branch'))).toEqual(['7', '8']);
    expect(await readFile(path.join(work, 'odd/index.html'), 'utf8')).toContain('Odd files');
    expect(await readdir(path.join(work, 'odd/branch'))).toEqual(['3']);
    // Astro's types and server build, Vite's dependency cache: all in each build's own cache.
    expect(await changedSince(checkout, started)).toEqual([]);
    expect((await readdir(path.join(work, 'greeter-cache/astro/work'))).sort()).toContain('.astro');

    // The cache taken to another checkout (a CI runner restores it at a new path), the old one gone:
    // the build must read this checkout's templates, not follow the cache's links to the old one.
    await rm(checkout, { recursive: true });
    await appendFile(path.join(greeterContent, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nA sentence added in the new checkout.\n');
    const moved = await runBuild(['--content', greeterContent, '--out', path.join(work, 'greeter'), '--cache', path.join(work, 'greeter-cache')]);
    expect([moved.code, moved.stderr]).toEqual([0, '']);
    expect(await readFile(path.join(work, 'greeter/branch/7/index.html'), 'utf8')).toContain('A sentence added in the new checkout.');
    expect(await readlink(path.join(work, 'greeter-cache/astro/work/src'))).toBe(path.join(projectRoot, 'src'));
  }, 600_000);
});

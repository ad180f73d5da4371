import { appendFile, cp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';
import { buildIn as build, freshCheckout, projectRoot } from '../support/checkout.ts';

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

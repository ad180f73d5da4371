import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverInterruptedSwap, SWAP_STEPS } from '../../scripts/build/site-swap.ts';
import { SITE_MARKER } from '../../scripts/build/output-guard.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A small finished site: a marker, a page and a nested file, all saying which site they belong to. */
async function makeSite(dir: string, label: string, complete: boolean): Promise<void> {
  await mkdir(path.join(dir, 'branch/7'), { recursive: true });
  await writeFile(path.join(dir, 'index.html'), `<h1>${label}</h1>`);
  await writeFile(path.join(dir, 'branch/7/index.html'), `<h1>${label} 7</h1>`);
  if (complete) await writeFile(path.join(dir, SITE_MARKER), 'site\n');
}

async function siteLabel(dir: string): Promise<string> {
  const page = await readFile(path.join(dir, 'index.html'), 'utf8');
  // A complete site has all of its pages: the nested one says the same.
  expect(await readFile(path.join(dir, 'branch/7/index.html'), 'utf8')).toBe(page.replace('</h1>', ' 7</h1>'));
  return page.replace(/<\/?h1>/g, '');
}

describe('the site swap, killed at each step', () => {
  for (const step of SWAP_STEPS) {
    it(`leaves a complete site in --out once the next build has recovered (killed after "${step}")`, async () => {
      const work = await tempDir('ra-swap-');
      const out = path.join(work, 'site');
      const staging = `${out}.staging`;
      await makeSite(out, 'old', true);
      // As the build stages it: without the marker, which the swap writes first.
      await makeSite(staging, 'new', false);

      const run = spawnSync(process.execPath, ['test/support/swap-and-die.ts', staging, out, step]);
      expect(run.signal).toBe('SIGKILL');

      const note = await recoverInterruptedSwap(out);
      const label = await siteLabel(out);
      // Until the new site is in place the old one is the last complete site; from then on, the new one.
      const newPlaced = SWAP_STEPS.indexOf(step) >= SWAP_STEPS.indexOf('new-placed');
      const restored = step === 'old-retired';
      expect(label).toBe(newPlaced || restored ? 'new' : 'old');
      expect(note === undefined).toBe(!restored);
      if (restored) expect(note).toBe(`an earlier build was stopped while replacing ${out}; the last complete site (site.staging) was put back`);
      expect(existsSync(path.join(out, SITE_MARKER))).toBe(true);
      expect((await readdir(work)).sort()).toEqual(['site']);
    });
  }

  it('puts the previous site back when the staged one was never finished', async () => {
    const work = await tempDir('ra-swap-');
    const out = path.join(work, 'site');
    await makeSite(`${out}.previous`, 'old', true);
    await makeSite(`${out}.staging`, 'half', false);
    expect(await recoverInterruptedSwap(out)).toBe(`an earlier build was stopped while replacing ${out}; the last complete site (site.previous) was put back`);
    expect(await siteLabel(out)).toBe('old');
    expect((await readdir(work)).sort()).toEqual(['site']);
  });

  it('changes nothing when there is nothing to recover', async () => {
    const work = await tempDir('ra-swap-');
    const out = path.join(work, 'site');
    await makeSite(out, 'old', true);
    expect(await recoverInterruptedSwap(out)).toBeUndefined();
    expect(await siteLabel(out)).toBe('old');
    expect(await recoverInterruptedSwap(path.join(work, 'never-built'))).toBeUndefined();
    expect((await readdir(work)).sort()).toEqual(['site']);
  });
});

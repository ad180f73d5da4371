/**
 * What a build does before it writes anything: check that `--out` and `--cache` are safe places
 * (output-guard.ts), lock them against a second build (build-lock.ts), and repair what a killed
 * build left beside `--out` (site-swap.ts). Each refusal is one line; nothing is written then.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { acquireLock } from './build-lock.ts';
import type { BuildOptions } from './cli-args.ts';
import { checkBuildPlaces, checkWritable } from './output-guard.ts';
import { recoverInterruptedSwap } from './site-swap.ts';

export type ClaimResult = { ok: true; release: () => void; notes: string[] } | { ok: false; messages: string[] };

/** The `--out` the cache's last build wrote (read loosely: a damaged state just means none). */
function lastOutDir(cacheDir: string): string | undefined {
  try {
    const outDir = (JSON.parse(readFileSync(path.join(cacheDir, 'build-state.json'), 'utf8')) as { pages?: { outDir?: unknown } }).pages?.outDir;
    return typeof outDir === 'string' ? outDir : undefined;
  } catch {
    return undefined;
  }
}

export async function claimBuildPlaces(options: BuildOptions, projectRoot: string): Promise<ClaimResult> {
  const outDir = options.contentOnly ? undefined : options.outDir;
  const places = { contentDir: options.contentDir, outDir, cacheDir: options.cacheDir, projectRoot, lastOutDir: lastOutDir(options.cacheDir) };
  const refused = checkBuildPlaces(places);
  if (!refused.length) refused.push(...(await checkWritable(places)));
  if (refused.length) return { ok: false, messages: refused };

  const cacheDir = path.resolve(options.cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  const releases: Array<() => void> = [];
  const release = () => releases.splice(0).reverse().forEach((free) => free());
  const notes: string[] = [];
  const locks: Array<[string, string]> = [[path.join(cacheDir, 'build.lock'), `the cache ${options.cacheDir}`]];
  if (outDir !== undefined) {
    const out = path.resolve(outDir);
    mkdirSync(path.dirname(out), { recursive: true });
    // Beside --out, not in it: the folder itself is replaced by every build.
    locks.push([`${out}.lock`, `the output ${outDir}`]);
  }
  for (const [file, what] of locks) {
    const lock = acquireLock(file, what);
    if (!lock.ok) {
      release();
      return { ok: false, messages: [lock.message] };
    }
    releases.push(lock.release);
    if (lock.note) notes.push(lock.note);
  }
  if (outDir !== undefined) {
    const restored = await recoverInterruptedSwap(path.resolve(outDir));
    if (restored) notes.push(restored);
  }
  return { ok: true, release, notes };
}

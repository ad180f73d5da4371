/**
 * Astro's server bundle of the site, kept in the cache (`<cache>/astro/bundle/`), so that a build
 * whose templates, pipeline and dependencies are those of the last one renders its changed pages
 * with it instead of having Vite bundle `src/` again (scripts/build/astro-generate.ts). On ky's
 * archive that bundling was about a third of the CPU time of a build with one step edited.
 *
 * What is kept is what Astro's build has made by the time it starts rendering pages:
 * - the prerender chunks (`<work>/.astro/.prerender/`), Astro's manifest already written into them;
 * - the files already in the output folder then: the client build's scripts and styles, public/;
 * - the styles Astro attached to each page, which live in its build internals, not in the chunks.
 *
 * The chunks bake in the content collections (Astro's data store), so a bundle is opened only with
 * the very store it baked in (`store`), and only for the build it was made for (`key`). Its files
 * are hashed when it is opened, like every other cache entry: a bundle that does not match is never
 * used, and the build has Vite bundle `src/` again, as it always did.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealJson, unsealJson } from './sealed-json.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BundleFacts {
  /** What the bundle was made for (see bundleKey). */
  key: string;
  /** The sha256 of the content store's text the chunks baked in (see bakedStoreText). */
  store: string;
  /** The prerender entry chunk, relative to the prerender folder. */
  prerenderEntry: string;
  /** Per page (Astro's page key), the styles Astro's build attached to it, as it recorded them. */
  styles: Record<string, unknown[]>;
}

export interface KeptBundle extends BundleFacts {
  dir: string;
  /** Every kept file, by folder and path (`/` separators), with the sha256 of its bytes. */
  files: Record<BundleFolder, Record<string, string>>;
}

/** Where the kept files go back to: the prerender folder, and the output folder. */
export type BundleFolder = 'prerender' | 'client';
const FOLDERS: BundleFolder[] = ['prerender', 'client'];
const META = 'bundle.json';

/**
 * What the pages read when they are rendered, not when they are bundled (src/lib/data.ts), and the
 * output folder, which reaches the bundle only as a field of Astro's manifest that rendering our
 * pages never reads: a new --out (a CI job's fresh dist/) may use the bundle of the last one.
 */
const READ_WHEN_RENDERED = new Set(['REVIEW_ARCHIVE_OUT', 'REVIEW_ARCHIVE_ONLY_BRANCHES', 'REVIEW_ARCHIVE_KEEP_FEED']);

/**
 * The key a bundle is made for: the pipeline's fingerprint (templates, pipeline, locked dependency
 * versions: scripts/build/build-state.ts), where the project is (the entry chunk imports Astro by
 * its path), and every other variable of the build's environment, which astro.config.mjs reads
 * (base, site, the data and cache folders).
 */
export function bundleKey(fingerprint: string, environment: Record<string, string | undefined>): string {
  const settings = Object.entries(environment)
    .filter(([name, value]) => value !== undefined && !READ_WHEN_RENDERED.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return sha256(JSON.stringify([fingerprint, PROJECT_ROOT, settings]));
}

/** Where a build keeps Astro's server bundle, in Astro's folder of the cache. */
export function keptBundleDir(astroCacheDir: string): string {
  return path.join(astroCacheDir, 'bundle');
}

/** Whether a bundle was kept there (not whether it fits the next build: see openBundle). */
export function hasKeptBundle(astroCacheDir: string): boolean {
  return existsSync(path.join(keptBundleDir(astroCacheDir), META));
}

/**
 * The content store's text as the prerender chunks baked it in, or undefined if no chunk holds it
 * in the one form Astro's content plugin writes (`JSON.parse("…")` of the store file's text,
 * astro/dist/content/vite-plugin-content-virtual-mod.js). Read from the chunk itself, not from the
 * store file, so the bundle's `store` is what its pages will read.
 */
export async function bakedStoreText(prerenderDir: string): Promise<string | undefined> {
  const chunks = path.join(prerenderDir, 'chunks');
  for (const name of (await readdir(chunks).catch(() => [] as string[])).sort()) {
    if (!name.endsWith('.mjs')) continue;
    const code = await readFile(path.join(chunks, name), 'utf8');
    const baked = /^\/\/ \\0astro:data-layer-content\nvar (\w+) = JSON\.parse\(("(?:[^"\\\n]|\\.)*")\);\nexport \{ \1 as default \};\n?$/.exec(code);
    if (baked) return JSON.parse(baked[2]!) as string;
  }
  return undefined;
}

/**
 * Keeps the bundle now in `from` in `dir`, replacing any bundle there. Copies, not links: it is
 * under a megabyte (ky's: 53 files, 850 KB), and a file of the site edited in place must not
 * change the bundle that later builds publish.
 */
export async function saveBundle(dir: string, facts: BundleFacts, from: Record<BundleFolder, string>): Promise<void> {
  const next = `${dir}.next`;
  await rm(next, { recursive: true, force: true });
  const files: KeptBundle['files'] = { prerender: {}, client: {} };
  for (const folder of FOLDERS) {
    for (const relative of await listFiles(from[folder])) {
      const target = path.join(next, folder, relative);
      await mkdir(path.dirname(target), { recursive: true });
      const bytes = await readFile(path.join(from[folder], relative));
      await writeFile(target, bytes);
      files[folder][relative] = sha256(bytes);
    }
  }
  await writeFile(path.join(next, META), sealJson(JSON.stringify({ ...facts, files })));
  await rm(dir, { recursive: true, force: true });
  await rename(next, dir);
}

export type OpenedBundle = { bundle: KeptBundle } | { bundle?: undefined; damage?: string };

/**
 * The bundle kept in `dir`, if it was made for `key` and the content store whose text hashes to
 * `store`, and every one of its files still holds the bytes recorded for it. Otherwise no bundle,
 * with what was damaged if it was made for this build but changed since (for a note).
 */
export async function openBundle(dir: string, key: string, store: string): Promise<OpenedBundle> {
  const text = await readFile(path.join(dir, META), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const unsealed = unsealJson(text);
  if (unsealed.kind !== 'ok') return { damage: `the cache's astro/bundle/${META} was damaged (its text no longer matches the hash written with it)` };
  const bundle: KeptBundle = { ...(JSON.parse(unsealed.json) as Omit<KeptBundle, 'dir'>), dir };
  if (bundle.key !== key || bundle.store !== store) return {};
  for (const folder of FOLDERS) {
    const present = new Set(await listFiles(path.join(dir, folder)));
    for (const [file, digest] of Object.entries(bundle.files[folder])) {
      const bytes = present.delete(file) ? await readFile(path.join(dir, folder, file)).catch(() => undefined) : undefined;
      if (!bytes) return { damage: `the cache's astro/bundle/${folder}/${file} was missing` };
      if (sha256(bytes) !== digest) return { damage: `the cache's astro/bundle/${folder}/${file} was damaged (its bytes no longer match the hash recorded for it)` };
    }
    // A file no build kept would be published (client) or imported (prerender).
    const [stray] = present;
    if (stray !== undefined) return { damage: `the cache's astro/bundle/${folder}/${stray} was not kept by a build` };
  }
  return { bundle };
}

/** Puts the bundle's files where Astro's build would have written them. */
export async function restoreBundle(bundle: KeptBundle, into: Record<BundleFolder, string>): Promise<void> {
  for (const folder of FOLDERS) {
    for (const file of Object.keys(bundle.files[folder])) {
      const target = path.join(into[folder], file);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(bundle.dir, folder, file), target);
    }
  }
}

/** Every file below `dir`, by path relative to it with `/` separators, sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

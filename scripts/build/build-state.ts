import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SiteBranchSummary } from '../schema/site.ts';
import type { BranchFacts } from '../schema/stats.ts';
import type { TokenClass } from '../render/tokenizer.ts';
import { sealJson, unsealJson } from './sealed-json.ts';

/**
 * What the last successful build made, kept in the cache directory, so the next build redoes
 * only what changed: a branch whose files hash the same is not rendered again, and when no page's
 * input changed Astro does not run at all. Anything that could change the output without changing
 * the archive (our code, the site's templates, dependency versions) is in the fingerprint; when it
 * differs, everything is rebuilt. The fingerprint covers the code that writes this file, so a state
 * in an older format (say, without a branch's stats facts) is never read: it is discarded and rebuilt.
 */
export interface BuildState {
  fingerprint: string;
  /** Hash of archive.yaml's settings: they shape every branch's rendering (e.g. collapse_lines). */
  config?: string;
  /**
   * Per branch id: its folder's name and stat signature (an unchanged signature skips reading it),
   * the digest of its files, the hash of its rendered data, its summary and its stats facts.
   */
  branches: Record<string, { folder: string; signature: string; digest: string; output: string; summary: SiteBranchSummary; facts: BranchFacts; classes: string[]; /** The sha256 of each file the branch keeps in the data folder (page data, search document, CI logs, published images), by path relative to it: a cache file changed in any way since is caught (site-data.ts). */ dataHashes: Record<string, string> }>;
  /** Every token class any branch uses, by name. */
  classes: Record<string, TokenClass>;
  /** The site the pages were last built into, and what went into them. */
  pages?: {
    outDir: string;
    base: string;
    site: string;
    feed: string;
    stats: string;
    css: string;
    neighbours: Record<string, string>;
    search: Record<string, string>;
    /** Hash of Astro's content store file as this build left it (scripts/build/site-pages.ts contentStoreFile). */
    contentStore?: string;
    /** Hash of the manifest of the site's snapshot in the cache (scripts/build/site-snapshot.ts). */
    snapshot?: string;
  };
}

export const STATE_FILE = 'build-state.json';

/** Whether an earlier build left its state here (not whether it still applies: see readBuildState). */
export function hasBuildState(cacheDir: string): boolean {
  return existsSync(path.join(cacheDir, STATE_FILE));
}

/**
 * The state the last build left, if it was made by this code (`fingerprint`); otherwise a fresh one.
 * The file carries the hash of its own text, so a state cut short or changed since (a full disk, a
 * hand edit: its summaries reach the feed as they are) is never used: everything is built again,
 * with a note.
 */
export async function readBuildState(cacheDir: string, fingerprint: string): Promise<{ state: BuildState; note?: string }> {
  const fresh: BuildState = { fingerprint, branches: {}, classes: {} };
  const text = await readFile(path.join(cacheDir, STATE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return { state: fresh };
  const unsealed = unsealJson(text);
  const state = unsealed.kind === 'ok' ? (JSON.parse(unsealed.json) as BuildState) : undefined;
  // A state another version of the pipeline wrote (before states were sealed) is not damage: it is discarded anyway.
  if (!state && parsedFingerprint(text) !== fingerprint) return { state: fresh };
  if (!state) return { state: fresh, note: `the cache's ${STATE_FILE} was damaged (its text no longer matches the hash written with it); every branch was rendered again` };
  return { state: state.fingerprint === fingerprint ? state : fresh };
}

function parsedFingerprint(text: string): unknown {
  try {
    return (JSON.parse(text) as { fingerprint?: unknown }).fingerprint;
  } catch {
    return undefined;
  }
}

/** Writes the state sealed with its hash (scripts/build/sealed-json.ts): still one JSON object for the readers that only want a field of it (the dev server, claim-places.ts). */
export async function writeBuildState(cacheDir: string, state: BuildState): Promise<void> {
  const file = path.join(cacheDir, STATE_FILE);
  await writeFile(`${file}.tmp`, sealJson(JSON.stringify(state)));
  await rename(`${file}.tmp`, file);
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A hash of everything besides the archive that shapes the output: the build pipeline, the site's
 * templates and styles, the Astro config and the locked dependency versions.
 */
export async function toolFingerprint(projectRoot: string): Promise<string> {
  const hash = createHash('sha256');
  // Ingest, the importers and the exporter, benchmarks, scaffolding (npm run new) and the dev server
  // do not shape the site; leaving them out keeps their edits from forcing full rebuilds.
  const pipeline = (await listFiles(path.join(projectRoot, 'scripts'))).filter((file) => !/[/\\]scripts[/\\](ingest|import|export|bench|author|dev)[/\\]/.test(file));
  const files = [
    ...pipeline,
    ...(await listFiles(path.join(projectRoot, 'src'))),
    ...(await listFiles(path.join(projectRoot, 'public'))),
    path.join(projectRoot, 'astro.config.mjs'),
    path.join(projectRoot, 'package-lock.json'),
  ];
  for (const file of files) {
    hash.update(`${path.relative(projectRoot, file)}\0`);
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

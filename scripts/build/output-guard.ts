/**
 * Where a build may write. A build replaces `--out` whole and deletes files in `--cache`, so a
 * careless `--out` (the archive's own folder, its parent, the project, a folder of someone's files)
 * would lose data. These checks run before anything is written; each refusal is one line that
 * names the option, the folder and what would be safe.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * The file every site review-archive writes carries at its top. A folder holding files but not
 * this one was not written by us, and a build never replaces it (Astro and Vite guard their
 * outDir the same way). It is published with the site; its text is constant, so output stays
 * deterministic.
 */
export const SITE_MARKER = '.review-archive-site';
export const SITE_MARKER_TEXT = 'This folder is a site built by review-archive (npm run build). The next build replaces it whole.\n';

export interface BuildPlaces {
  contentDir: string;
  /** Undefined for a `--content-only` build, which writes no site. */
  outDir?: string;
  cacheDir: string;
  projectRoot: string;
  /** The `--out` the cache's last build wrote, which may predate the marker (build-state.json's pages.outDir). */
  lastOutDir?: string;
}

/**
 * The real location of a path that may not exist yet: its nearest existing ancestor with symlinks
 * resolved, plus the rest. `--out link-to-content` must be caught as the archive itself.
 */
export function realLocation(target: string): string {
  const absolute = path.resolve(target);
  let existing = absolute;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(realpathSync(existing), ...rest);
  } catch {
    return absolute;
  }
}

/** Whether `inner` is `outer` or lies somewhere below it. */
export function isSameOrInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Every reason the build must not write where it was told to; empty when all is well. */
export function checkBuildPlaces(places: BuildPlaces): string[] {
  const contentStat = statSync(places.contentDir, { throwIfNoEntry: false });
  if (!contentStat?.isDirectory()) {
    return [`--content ${places.contentDir} ${contentStat ? 'is a file, not a folder' : 'does not exist'}: point it at the archive's folder, the one holding archive.yaml and branches/ (see content/README.md)`];
  }
  const problems: string[] = [];
  const content = realLocation(places.contentDir);
  const cache = realLocation(places.cacheDir);
  const project = realLocation(places.projectRoot);
  const shownCache = `--cache ${places.cacheDir}`;
  if (isSameOrInside(content, cache)) {
    problems.push(`${shownCache} is or contains the archive (--content ${places.contentDir}): the cache is deleted and rewritten freely, so it needs a folder of its own, e.g. .review-archive`);
  }
  if (places.outDir === undefined) return problems;
  const out = realLocation(places.outDir);
  const shownOut = `--out ${places.outDir}`;
  const clash = (other: string, what: string) => {
    const relation = other === out ? 'is' : isSameOrInside(other, out) ? 'contains' : isSameOrInside(out, other) ? 'is inside' : undefined;
    if (relation === 'is inside') problems.push(`${shownOut} is inside ${what}: the site would be written into it. Choose a folder outside it`);
    else if (relation) problems.push(`${shownOut} ${relation} ${what}: the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. ${path.join(path.dirname(path.resolve(places.outDir!)), 'site')}`);
  };
  clash(content, `the archive (--content ${places.contentDir})`);
  clash(cache, `the cache (${shownCache})`);
  // A site inside the project (./dist) is fine; the project inside the site is not.
  if (isSameOrInside(project, out)) problems.push(`${shownOut} ${project === out ? 'is' : 'contains'} the review-archive project (${places.projectRoot}): the build replaces --out whole, so it would be deleted. Choose a folder of its own, e.g. dist`);
  if (problems.length) return problems;
  const stat = statSync(out, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    problems.push(`${shownOut} is a file, not a folder: the build writes a folder there. Choose another name, or remove the file yourself`);
  } else if (stat && !existsSync(path.join(out, SITE_MARKER)) && readdirSync(out).length > 0 && !(places.lastOutDir && realLocation(places.lastOutDir) === out)) {
    problems.push(`${shownOut} holds files review-archive did not write (it has no ${SITE_MARKER} file), and the build would replace them all. Choose a new or empty folder, or empty this one yourself`);
  }
  return problems;
}

/**
 * Checks that the build can write its site and its cache, before it starts: a read-only parent of
 * `--out` otherwise surfaces only at the end, as a panic of Pagefind and a stack of Rolldown.
 */
export async function checkWritable(places: Pick<BuildPlaces, 'outDir' | 'cacheDir'>): Promise<string[]> {
  const problems: string[] = [];
  const targets: Array<[string, string]> = [[`--cache ${places.cacheDir}`, places.cacheDir]];
  // The site is swapped in by renaming folders beside --out, so its parent must be writable.
  if (places.outDir !== undefined) targets.push([`--out ${places.outDir}`, path.dirname(path.resolve(places.outDir))]);
  for (const [option, target] of targets) {
    const problem = folderProblem(target, 'the build needs to create and rename folders there');
    if (problem) problems.push(`${option}: ${problem}`);
  }
  return problems;
}

/**
 * Why a folder cannot be used or made, or undefined when it can: a file in the way (there or
 * above), no permission, a read-only disk, or a place that takes no new folders (/proc). `need`
 * says what the folder is for, after a refusal of permission. Nothing is left behind: a folder
 * that does not exist yet is tried by making and removing a folder in its nearest existing parent,
 * because Node's `mkdir(…, { recursive: true })` retries forever where a parent answers ENOENT.
 */
export function folderProblem(target: string, need = ''): string | undefined {
  const missing: string[] = [];
  let existing = path.resolve(target);
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  if (!statSync(existing).isDirectory()) return `${existing} is a file, not a folder: choose another place`;
  const denied = (code: string | undefined) => `cannot write in ${existing} (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})${need && `; ${need}`}`;
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    return denied((error as NodeJS.ErrnoException).code);
  }
  if (!missing.length) return undefined;
  // A probe of our own, not the first missing level itself: a build starting at the same moment may
  // be making that very folder (it found EEXIST here, or lost the folder to this rmdir).
  const probe = path.join(existing, `.review-archive-probe-${process.pid}-${threadId}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return denied(code);
    return `cannot create a folder in ${existing} (${code ?? (error as Error).message})`;
  }
}

import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The last site the build wrote, kept in the cache by content hash (`<cache>/site/objects/<sha256>`,
 * listed in `<cache>/site/manifest.json`), so a build that has the cache but not the site (a CI
 * job that restores `.review-archive/` into a fresh checkout and builds into a new `dist/`)
 * recreates every unchanged page by hard link instead of asking Astro to render all of them again.
 *
 * Objects are hard links to the site's own files where the file system allows (no bytes copied),
 * else copies. Nothing the build writes is ever changed in place, so a link stays true; what
 * could change one is someone editing a file of `--out` in place (or damage to the cache), and a
 * snapshot whose objects do not hash to their names is not used.
 */
export interface SiteSnapshot {
  /** The snapshot's folder in the cache. */
  dir: string;
  manifest: SnapshotManifest;
}

interface SnapshotManifest {
  /** Each file of the site (path relative to its root, `/` separators) and the hash of its bytes. */
  files: Record<string, string>;
  /** Each object as it was stored: its stat, to tell it unchanged, and to skip re-reading a site file that is it. */
  objects: Record<string, ObjectStamp>;
}

interface ObjectStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

const SNAPSHOT_DIR = 'site';
const MANIFEST = 'manifest.json';
const OBJECTS = 'objects';
/** Files handled at once: enough to keep the disk busy, few enough to stay under open-file limits. */
const PARALLEL = 64;

/**
 * The snapshot the last build saved, if it is still whole: its manifest is the one that build
 * recorded (`expectedHash`) and every object still holds the bytes its name (their sha256) says.
 * Undefined means the pages must be rendered again; that is always safe. A damaged or missing
 * object adds a note to `notes`.
 */
export async function openSiteSnapshot(cacheDir: string, expectedHash: string | undefined, notes: string[] = []): Promise<SiteSnapshot | undefined> {
  if (!expectedHash) return undefined;
  const dir = path.join(cacheDir, SNAPSHOT_DIR);
  const text = await readFile(path.join(dir, MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  if (hash(text) !== expectedHash) {
    notes.push(`the cache's ${SNAPSHOT_DIR}/${MANIFEST} was damaged (its bytes no longer match the hash recorded for it); every page was rendered again`);
    return undefined;
  }
  const manifest = JSON.parse(text) as SnapshotManifest;
  const names = Object.keys(manifest.objects);
  // Every object is read and hashed: a byte changed in place (a full disk, a hand edit of a file of
  // the last --out, which an object shares by hard link) keeps its size and may keep its time.
  const checked = await mapLimited(names, async (name) => {
    const file = path.join(dir, OBJECTS, name);
    const digest = await hashFile(file).catch(() => undefined);
    return { name, stamp: digest === name ? await stampOf(file) : undefined, missing: digest === undefined };
  });
  const bad = checked.find((object) => !object.stamp);
  if (bad) {
    notes.push(`the cache's ${SNAPSHOT_DIR}/${OBJECTS}/${bad.name} ${bad.missing ? 'was missing' : 'was damaged (its bytes no longer match the hash it is named by)'}; every page was rendered again`);
    return undefined;
  }
  // A restored cache (say, from a CI cache archive) has new inodes and times; the bytes are what count.
  for (const object of checked) manifest.objects[object.name] = object.stamp!;
  return { dir, manifest };
}

/** Recreates the snapshot's site in `into` (which must not exist yet), by hard link where it can. */
export async function restoreSiteSnapshot(snapshot: SiteSnapshot, into: string): Promise<void> {
  const files = Object.entries(snapshot.manifest.files);
  const folders = new Set(files.map(([file]) => path.dirname(path.join(into, file))));
  folders.add(into);
  for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
  await mapLimited(files, ([file, digest]) => linkOrCopy(path.join(snapshot.dir, OBJECTS, digest), path.join(into, file)));
}

/** A file of the site whose hash the build already has: the file with that inode and size has those bytes. */
export interface KnownFile {
  sha256: string;
  ino: number;
  size: number;
}

/**
 * Records the site now in `siteDir` as the snapshot, and returns the hash of its manifest (for the
 * build state). A file that is the very object recorded last time (same inode, size and time) is
 * not read again, so after an incremental build only the new pages are hashed and stored; nor is
 * one in `known` (by path below the site) that is still that file: the CI pages, hashed as their
 * logs were copied in, and the whole logs' text, hashed when written (on the bench's corpus with
 * logs, 2 GB that were read and hashed once more here).
 */
export async function saveSiteSnapshot(cacheDir: string, siteDir: string, previous?: SiteSnapshot, known?: ReadonlyMap<string, KnownFile>): Promise<string> {
  const dir = path.join(cacheDir, SNAPSHOT_DIR);
  const objectsDir = path.join(dir, OBJECTS);
  await mkdir(objectsDir, { recursive: true });
  const before = previous?.manifest ?? (await readManifest(dir));
  const entries = await readdir(siteDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const seen = await mapLimited(files, async (file) => {
    const relative = path.relative(siteDir, file).split(path.sep).join('/');
    // Synchronous: one stat per file of the site, thousands, each cheaper without the thread pool.
    const stamp = stampOfSync(file);
    if (!stamp) throw new Error(`${file} went away while the site's snapshot was taken`);
    const recorded = before?.files[relative];
    const isKnownObject = recorded !== undefined && sameStamp(before?.objects[recorded], stamp);
    const given = known?.get(relative);
    const digest = isKnownObject ? recorded : given && given.ino === stamp.ino && given.size === stamp.size ? given.sha256 : await hashFile(file);
    return { file, relative, stamp, digest, isKnownObject };
  });

  const manifest: SnapshotManifest = { files: {}, objects: {} };
  const sourceOf = new Map<string, (typeof seen)[number]>();
  for (const item of seen) {
    manifest.files[item.relative] = item.digest;
    if (item.isKnownObject) manifest.objects[item.digest] = item.stamp;
    else if (!sourceOf.has(item.digest)) sourceOf.set(item.digest, item);
  }
  await mapLimited([...sourceOf.values()], async (item) => {
    if (manifest.objects[item.digest]) return;
    const object = path.join(objectsDir, item.digest);
    const existing = await stampOf(object);
    // An object untouched since it was recorded still holds those bytes; any other is replaced.
    if (existing && sameStamp(before?.objects[item.digest], existing, { ignoreInode: true })) {
      manifest.objects[item.digest] = existing;
      return;
    }
    if (existing) await rm(object, { force: true });
    await linkOrCopy(item.file, object);
    manifest.objects[item.digest] = (await stampOf(object))!;
  });

  const text = JSON.stringify(manifest);
  await writeFile(path.join(dir, `${MANIFEST}.tmp`), text);
  await rename(path.join(dir, `${MANIFEST}.tmp`), path.join(dir, MANIFEST));
  // Objects of older sites go once the manifest no longer lists them.
  const unused = (await readdir(objectsDir)).filter((name) => !manifest.objects[name]);
  await mapLimited(unused, (name) => rm(path.join(objectsDir, name), { force: true }));
  return hash(text);
}

async function readManifest(dir: string): Promise<SnapshotManifest | undefined> {
  const text = await readFile(path.join(dir, MANIFEST), 'utf8').catch(() => undefined);
  try {
    return text === undefined ? undefined : (JSON.parse(text) as SnapshotManifest);
  } catch {
    return undefined;
  }
}

function stampOfSync(file: string): ObjectStamp | undefined {
  const found = statSync(file, { throwIfNoEntry: false });
  return found && { ino: found.ino, size: found.size, mtimeMs: found.mtimeMs };
}

async function stampOf(file: string): Promise<ObjectStamp | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found && { ino: found.ino, size: found.size, mtimeMs: found.mtimeMs };
}

/**
 * Whether a file is as recorded. Times are compared to the second: cache archives (tar without
 * high-resolution times, fs.cp) may restore a file's time without its fraction.
 */
function sameStamp(recorded: ObjectStamp | undefined, found: ObjectStamp, { ignoreInode = false } = {}): boolean {
  return recorded !== undefined && (ignoreInode || recorded.ino === found.ino) && recorded.size === found.size && Math.floor(recorded.mtimeMs / 1000) === Math.floor(found.mtimeMs / 1000);
}

/** A hard link, or a copy where links cannot go (another file system, or one without links). */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await link(from, to).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw error;
    await copyFile(from, to);
  });
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Files up to this size are read whole to be hashed; larger ones a chunk at a time. */
const WHOLE_FILE_BYTES = 1 << 20;

/**
 * The sha256 of a file's bytes. A large one is read in chunks, not whole: a site with CI logs has
 * whole logs of 100 MB as text, and several read at once at the end of a build were its peak memory
 * (the bench's corpus with logs: the last 2 s of the build, 150-200 MiB above the rest of it).
 */
async function hashFile(file: string): Promise<string> {
  if ((await stat(file)).size <= WHOLE_FILE_BYTES) return hash(await readFile(file));
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: WHOLE_FILE_BYTES })) digest.update(chunk as Buffer);
  return digest.digest('hex');
}

async function mapLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
  return results;
}

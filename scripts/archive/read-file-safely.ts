/**
 * Reading files of an archive that may come from strangers. Every file and folder the build (or
 * any other stage: CI logs, imports) reads from an archive goes through here, so that:
 *
 * - a symbolic link is followed only when it resolves inside the archive (`diff.patch` linked to
 *   `~/.ssh/id_rsa` would otherwise be published, `files/old → /usr` read for ever);
 * - a folder where a file belongs, a file where a folder belongs, a FIFO (which would block the
 *   build), a socket, a device or a symlink loop is a problem naming the path, not a stack trace;
 * - no file larger than its role's documented limit is read into memory;
 * - nothing of a refused file's content ever reaches a message.
 *
 * Results are values: `missing` (the caller decides whether that is a problem), the bytes, or a
 * problem message (the caller adds the path it shows).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const MiB = 1024 * 1024;

/**
 * The largest file each role may be (documented in content/README.md). Text files are read whole
 * and parsed; the limits keep one hostile file from exhausting memory while leaving far more room
 * than real reviews need (the largest diff of the 10,000-branch bench is about 6 MB).
 */
export const SIZE_LIMITS = {
  /** archive.yaml, branch.md, ci.yaml, step files, nightly jobs. */
  text: 8 * MiB,
  /**
   * diff.patch. Parsed and rendered whole: a 16 MB, 228,000-line patch builds its branch data at a
   * peak RSS of 817 MB (`--content-only`, GNU time); a 48 MB one exhausted the build's 1.5 GB heap.
   */
  patch: 20 * MiB,
  /** A binary file's old or new content under files/, published beside the page. */
  asset: 64 * MiB,
  /** A CI log (`log:` paths). */
  log: 256 * MiB,
} as const;

export type SafeRead = { kind: 'ok'; bytes: Buffer; realPath: string } | { kind: 'missing' } | { kind: 'problem'; message: string };
export type SafeList = { kind: 'ok'; entries: string[] } | { kind: 'missing' } | { kind: 'problem'; message: string };

/** Human sizes for messages: 3.1 GB, 12 MB, 900 KB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GB`;
  if (bytes >= MiB) return `${Math.round(bytes / MiB)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isBlockDevice() || info.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

const isInside = (inner: string, outer: string) => {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/**
 * Where `target` really is, if it is inside `root` (both resolved through symlinks); otherwise a
 * problem. Missing paths are `missing`. `rootName` names `root` in messages (a CI log must stay in
 * the folder of its CI file, not only in the archive).
 *
 * Synchronous inside, like the reads below: a build reads thousands of small files one after
 * another with nothing else for this thread to do, and each promise call costs a hand-off to
 * libuv's threads. Loading pallets/flask's archive (1,074 branches, 4,882 files) took 2.9 s with
 * promises and 0.8 s without; sindresorhus/ky's (253 branches) 0.85 s and 0.2 s.
 */
export async function resolveInside(root: string, target: string, rootName = 'the archive'): Promise<ResolvedPlace> {
  return resolveInsideSync(root, target, rootName);
}

type ResolvedPlace = { kind: 'ok'; realPath: string } | { kind: 'missing' } | { kind: 'problem'; message: string };

const cannotRead = (error: unknown) => ({ kind: 'problem' as const, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });

function resolveInsideSync(root: string, target: string, rootName: string): ResolvedPlace {
  try {
    if (!lstatSync(target, { throwIfNoEntry: false })) return { kind: 'missing' };
  } catch (error) {
    return cannotRead(error);
  }
  let realPath: string;
  try {
    realPath = realpathSync.native(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'problem', message: 'is a symbolic link that leads back to itself (a loop); replace it with the file itself' };
    if (code === 'ENOENT') return { kind: 'problem', message: 'is a symbolic link to nothing (its target does not exist); replace it with the file itself' };
    return cannotRead(error);
  }
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    realRoot = path.resolve(root);
  }
  if (!isInside(realPath, realRoot)) {
    return { kind: 'problem', message: `is a symbolic link to a place outside ${rootName}, which is never read or published; copy the file into ${rootName} instead` };
  }
  return { kind: 'ok', realPath };
}

export type SafeOpen = { kind: 'ok'; handle: FileHandle; size: number; realPath: string } | { kind: 'missing' } | { kind: 'problem'; message: string };

/**
 * Opens the file `target` of the archive at `root` for reading, if it is a regular file inside
 * `root` of at most `limit` bytes; the caller closes the handle. For files read as a stream (CI
 * logs of hundreds of megabytes); a FIFO is opened without blocking and refused, so it cannot hang
 * the build.
 */
export async function openFileSafely(root: string, target: string, limit: number, role = 'this file', rootName?: string): Promise<SafeOpen> {
  const place = resolveInsideSync(root, target, rootName ?? 'the archive');
  if (place.kind !== 'ok') return place;
  let info: Stats;
  try {
    info = statSync(place.realPath);
  } catch (error) {
    return cannotRead(error);
  }
  const refused = refusal(info, limit, role);
  if (refused) return refused;
  // O_NONBLOCK: were it swapped for a FIFO since the stat, opening must not wait for a writer.
  const handle = await open(place.realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  const opened = await handle.stat();
  const refusedNow = refusal(opened, limit, role);
  if (refusedNow) {
    await handle.close();
    return refusedNow;
  }
  return { kind: 'ok', handle, size: opened.size, realPath: place.realPath };
}

function refusal(info: Stats, limit: number, role: string): { kind: 'problem'; message: string } | undefined {
  if (!info.isFile()) return { kind: 'problem', message: `is ${kindOf(info)}, but ${role} must be a regular file` };
  if (info.size > limit) return { kind: 'problem', message: `is ${formatSize(info.size)}, more than the ${formatSize(limit)} ${role} may be (see "Size limits" in content/README.md)` };
  return undefined;
}

/**
 * Reads the file `target` of the archive at `root`, if it is a regular file inside the archive of
 * at most `limit` bytes (see openFileSafely). Synchronous inside (see resolveInside): the largest
 * file it may read is 64 MB, a few tens of milliseconds.
 */
export async function readFileSafely(root: string, target: string, limit: number, role = 'this file'): Promise<SafeRead> {
  const place = resolveInsideSync(root, target, 'the archive');
  if (place.kind !== 'ok') return place;
  let fd: number | undefined;
  try {
    const refused = refusal(statSync(place.realPath), limit, role);
    if (refused) return refused;
    // O_NONBLOCK: were it swapped for a FIFO since the stat, opening must not wait for a writer.
    fd = openSync(place.realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const refusedNow = refusal(fstatSync(fd), limit, role);
    if (refusedNow) return refusedNow;
    return { kind: 'ok', bytes: readFileSync(fd), realPath: place.realPath };
  } catch (error) {
    return cannotRead(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Like readFileSafely, decoded as UTF-8. */
export async function readTextSafely(root: string, target: string, limit: number, role?: string): Promise<{ kind: 'ok'; text: string; realPath: string } | { kind: 'missing' } | { kind: 'problem'; message: string }> {
  const read = await readFileSafely(root, target, limit, role);
  return read.kind === 'ok' ? { kind: 'ok', text: read.bytes.toString('utf8'), realPath: read.realPath } : read;
}

/** The names in the folder `target` of the archive at `root`, sorted; a file or a link outside is a problem. */
export async function listFolderSafely(root: string, target: string, role = 'this'): Promise<SafeList> {
  const place = resolveInsideSync(root, target, 'the archive');
  if (place.kind !== 'ok') return place;
  try {
    const info = statSync(place.realPath);
    if (!info.isDirectory()) return { kind: 'problem', message: `is ${info.isFile() ? 'a file' : kindOf(info)}, but ${role} must be a folder` };
    return { kind: 'ok', entries: readdirSync(place.realPath).sort() };
  } catch (error) {
    return cannotRead(error);
  }
}

/**
 * Every regular file below the folder `target` (relative paths with `/`, sorted), following no
 * symlink out of the archive: links and special files inside are reported, not read.
 */
export async function listFilesSafely(root: string, target: string, role = 'this'): Promise<{ kind: 'ok'; files: string[]; problems: Array<{ path: string; message: string }> } | { kind: 'missing' } | { kind: 'problem'; message: string }> {
  const top = await listFolderSafely(root, target, role);
  if (top.kind !== 'ok') return top;
  const files: string[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, relative);
      else if (entry.isFile()) files.push(relative);
      else if (entry.isSymbolicLink()) {
        const place = await resolveInside(root, full);
        if (place.kind === 'problem') problems.push({ path: full, message: place.message });
        else if (place.kind === 'ok') {
          const info = await stat(place.realPath);
          if (info.isFile()) files.push(relative);
          else problems.push({ path: full, message: `is a symbolic link to ${info.isDirectory() ? 'a folder' : kindOf(info)}; only links to files are followed here` });
        }
      } else problems.push({ path: full, message: `is ${kindOf(entry)}, not a regular file` });
    }
  };
  await walk(path.resolve(target), '');
  return { kind: 'ok', files, problems };
}

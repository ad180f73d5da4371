import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, readSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Problem } from '../build/report.ts';
import { formatSize, openFileSafely, SIZE_LIMITS } from './read-file-safely.ts';
import type { YamlSource } from './yaml-source.ts';

/** A lane's log as the archive names it, checked to exist inside its folder. */
export interface LaneLogFile {
  /** The path as written in `log:`, relative to the CI file's folder. */
  relative: string;
  /** Absolute path of the file (its real path, symlinks resolved). */
  file: string;
  size: number;
  /** The file is gzip (its name ends in `.gz`). */
  gzip: boolean;
  /** sha256 of the file's bytes, as stored (compressed for .gz). */
  sha256: string;
}

/** Why a `log:` path may not be used, or undefined when its shape is fine (before the file system is asked). */
export function logPathShapeProblem(relative: string): string | undefined {
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) return `"${relative}" is an absolute path; write the path relative to the folder of the CI file, e.g. ci/169/check-fixture.log`;
  if (relative.split('/').some((part) => part === '..')) return `"${relative}" leaves its folder (..); logs must be inside the folder of the CI file`;
  return undefined;
}

/**
 * The `log:` strings of a CI file's YAML, by run and lane index. Read from the YAML itself rather
 * than the validated runs, so a file with another mistake still has its logs checked in the same run.
 */
function namedLogs(value: unknown): Array<[number, Array<[number, { log: string }]>]> {
  const runs = (value as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) return [];
  return runs.map((run, runIndex) => {
    const lanes = (run as { lanes?: unknown } | null)?.lanes;
    const named = Array.isArray(lanes) ? lanes.flatMap((lane, laneIndex) => (typeof (lane as { log?: unknown } | null)?.log === 'string' && (lane as { log: string }).log ? [[laneIndex, lane as { log: string }] as [number, { log: string }]] : [])) : [];
    return [runIndex, named];
  });
}

/** Key of a lane in `logs`: `<run index>/<lane index>`. */
export const laneKey = (runIndex: number, laneIndex: number) => `${runIndex}/${laneIndex}`;

/**
 * Checks every `log:` of a CI file: the path stays inside `folder` (no `..`, not absolute), and it
 * is read through scripts/archive/read-file-safely.ts like every file of an archive: a symlink
 * leading out of the folder, a folder, a FIFO or a file over the log size limit is a problem. Each
 * problem names the CI file, the field and its line. The files found are hashed (streamed: logs
 * can be hundreds of megabytes), so a changed log changes the branch's digest.
 */
export async function checkLaneLogs(folder: string, ciFile: string, source: YamlSource, hashes: LogHashes = new LogHashes()): Promise<{ logs: Map<string, LaneLogFile>; problems: Problem[] }> {
  const logs = new Map<string, LaneLogFile>();
  const problems: Problem[] = [];
  for (const [runIndex, run] of namedLogs(source.value)) {
    for (const [laneIndex, lane] of run) {
      const fieldPath = ['runs', runIndex, 'lanes', laneIndex, 'log'];
      const report = (message: string) => problems.push({ file: ciFile, line: source.lineOf(fieldPath), field: `runs[${runIndex}].lanes[${laneIndex}].log`, message: `"${lane.log}" ${message}` });
      const shape = logPathShapeProblem(lane.log);
      if (shape) {
        problems.push({ file: ciFile, line: source.lineOf(fieldPath), field: `runs[${runIndex}].lanes[${laneIndex}].log`, message: shape });
        continue;
      }
      const opened = await openFileSafely(folder, path.join(folder, ...lane.log.split('/')), SIZE_LIMITS.log, 'a CI log', 'the folder of the CI file');
      if (opened.kind === 'missing') {
        report('does not exist (the path is relative to the folder of the CI file)');
        continue;
      }
      if (opened.kind === 'problem') {
        report(opened.message);
        continue;
      }
      const gzip = lane.log.endsWith('.gz');
      // Hashed through the handle that was checked, so a file swapped in since cannot be read instead.
      const sha256 = await hashes.hash(opened.realPath, opened.handle, gzip).catch((error: unknown) => (error instanceof UnusableLog ? error : undefined));
      await opened.handle.close().catch(() => undefined);
      if (sha256 === undefined || sha256 instanceof UnusableLog) {
        report(sha256?.message ?? 'cannot be read');
        continue;
      }
      logs.set(laneKey(runIndex, laneIndex), { relative: lane.log, file: opened.realPath, size: opened.size, gzip, sha256 });
    }
  }
  return { logs, problems };
}

/** What a build remembers of a log file: how `stat` saw it, its hash, and for gzip that it uncompressed whole. */
interface HashEntry {
  stamp: string;
  sha256: string;
  gzipChecked?: true;
}

/** A log file that was read but cannot be used; the message says why, after its quoted path. */
export class UnusableLog extends Error {}

/** Text a gzip log may hold once uncompressed: past it, a small file could keep a build busy for hours. */
export const MAX_GZIP_LOG_TEXT = 4 * 1024 ** 3;

/** Why a gzip file's bytes are not a log the build can read to its end, or undefined when they are. */
export async function gzipProblem(bytes: Readable, maxText = MAX_GZIP_LOG_TEXT, hash?: Hash): Promise<string | undefined> {
  let text = 0;
  // The file's bytes are hashed on their way to gunzip (when `hash` is given): read once, not twice.
  async function* hashed(chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash?.update(chunk);
      yield chunk;
    }
  }
  try {
    await pipeline(bytes, hashed, createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        text += chunk.length;
        if (text > maxText) throw new UnusableLog(`holds more than ${formatSize(maxText)} of text uncompressed; archive a shorter log, or its first and last parts`);
      }
    });
    return undefined;
  } catch (error) {
    if (error instanceof UnusableLog) return error.message;
    const reason = (error as { code?: string }).code === 'Z_BUF_ERROR' ? 'it ends before its compressed data does' : ((error as Error).message ?? String(error));
    return `is not a readable gzip file (${reason}); store the log as plain text, or compress it again with gzip`;
  }
}

/**
 * The sha256 of log files, remembered by what `stat` says of each (size, modification and change
 * times, inode), like git's index: a build that finds a log as the last one left it does not read
 * it again, even when another file of its branch changed. Logs can be hundreds of megabytes.
 */
export class LogHashes {
  private readonly known: Map<string, HashEntry>;
  private readonly used = new Map<string, HashEntry>();
  private readonly hashFile: (file: string) => Promise<string>;

  /** @param hashFile reads and hashes a file (a test counts its calls) */
  constructor(known: Record<string, HashEntry> = {}, hashFile: (file: string) => Promise<string> = sha256OfFile) {
    this.known = new Map(Object.entries(known));
    this.hashFile = hashFile;
  }

  /** The hashes a build recorded in `file`; none when it is missing or damaged (then every log is read once). */
  static async load(file: string): Promise<LogHashes> {
    try {
      const known = JSON.parse(await readFile(file, 'utf8')) as Record<string, HashEntry>;
      return new LogHashes(typeof known === 'object' && known !== null && !Array.isArray(known) ? known : {});
    } catch {
      return new LogHashes();
    }
  }

  /**
   * @param handle the file opened (and checked) by the caller: stat and read through it, not the path
   * @param gzip the file is gzip: it is also uncompressed to its end, once per content like the
   *   hash, so a damaged or enormous one is a problem of the archive, reported with the others,
   *   not a failure halfway through rendering. Throws UnusableLog when it is not usable.
   */
  async hash(file: string, handle?: FileHandle, gzip = false): Promise<string> {
    const info = handle ? await handle.stat({ bigint: true }) : await stat(file, { bigint: true });
    const stamp = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
    const known = this.used.get(file) ?? this.known.get(file);
    const unchanged = known?.stamp === stamp && typeof known.sha256 === 'string' && (!gzip || known.gzipChecked === true);
    if (unchanged) {
      this.used.set(file, known);
      return known.sha256;
    }
    let sha256: string;
    if (gzip && handle) {
      const hash = createHash('sha256');
      const problem = await gzipProblem(handle.createReadStream({ start: 0, autoClose: false }), MAX_GZIP_LOG_TEXT, hash);
      if (problem) throw new UnusableLog(problem);
      sha256 = hash.digest('hex');
    } else {
      sha256 = handle ? hashOpenFile(handle.fd) : await this.hashFile(file);
      const problem = gzip ? await gzipProblem(createReadStream(file)) : undefined;
      if (problem) throw new UnusableLog(problem);
    }
    this.used.set(file, gzip ? { stamp, sha256, gzipChecked: true } : { stamp, sha256 });
    return sha256;
  }

  /**
   * Records the hashes for the next build: those of this build, and the earlier ones of logs that
   * still exist (their folders were not read this time); a log that is gone is forgotten.
   */
  async save(file: string): Promise<void> {
    const entries = new Map([...this.known].filter(([logFile]) => existsSync(logFile)));
    for (const [logFile, entry] of this.used) entries.set(logFile, entry);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
    await rename(temporary, file);
  }
}

function sha256OfFile(file: string): Promise<string> {
  return hashStream(createReadStream(file));
}

/** Bytes hashed at a time. */
const HASH_CHUNK = 1 << 20;
let hashBuffer: Buffer | undefined;

/**
 * The sha256 of an open file's bytes, read synchronously in large chunks into one reused buffer:
 * a cold build hashes every log before anything else can start (379 MiB for the bench's corpus),
 * and a stream's 64 KiB chunks, each a promise and a buffer, took three times as long as this.
 */
function hashOpenFile(fd: number): string {
  const hash = createHash('sha256');
  hashBuffer ??= Buffer.allocUnsafe(HASH_CHUNK);
  let position = 0;
  for (let read = readSync(fd, hashBuffer, 0, HASH_CHUNK, position); read > 0; read = readSync(fd, hashBuffer, 0, HASH_CHUNK, position)) {
    hash.update(hashBuffer.subarray(0, read));
    position += read;
  }
  return hash.digest('hex');
}

/** The sha256 of a stream's bytes. */
function hashStream(stream: NodeJS.ReadableStream & { destroy(): void }): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    stream
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (error) => {
        stream.destroy();
        reject(error);
      })
      .on('end', () => resolve(hash.digest('hex')));
  });
}

import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, openSync, readSync, writeSync } from 'node:fs';
import { closeZip, openZip, zipEntryChunks, type ZipEntry } from '../github/zip-file.ts';

/**
 * Where a lane's log comes from in the export, not its text: logs are copied from there to the
 * archive's `ci/<run>/<lane>.log` as streams when a folder is written, so an export with
 * thousands of logs, or a few of hundreds of megabytes, is imported in bounded memory.
 * - `zip`: entries of a GitHub logs.zip; one for a job's whole log, or its step files, each
 *   written as a `##[group]` named after its step so the page folds it;
 * - `file`: a file as it is (GitLab's trace.log).
 */
export type LogSource = { kind: 'zip'; file: string; parts: LogZipPart[] } | { kind: 'file'; file: string; size: number; sha256: string };

export interface LogZipPart {
  entry: ZipEntry;
  /** The step's name when the job's log is joined from step files. */
  step?: string;
}

/**
 * What the log's bytes depend on, for fingerprints: a zip entry's name, CRC-32 and size (from the
 * zip's directory, no inflating), a file's SHA-256. The same identity writes the same bytes.
 */
export function logIdentity(source: LogSource): string {
  if (source.kind === 'file') return `file:${source.size}:${source.sha256}`;
  return `zip:${source.parts.map(({ entry, step }) => `${step ?? ''}\0${entry.name}\0${entry.crc32}\0${entry.size}`).join('\n')}`;
}

/** A file's size and SHA-256, read a piece at a time. */
export function hashFile(file: string): { size: number; sha256: string } {
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of fileChunks(file)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

const READ_SIZE = 1024 * 1024;

function* fileChunks(file: string): Generator<Uint8Array> {
  const handle = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    for (let bytes; (bytes = readSync(handle, buffer, 0, READ_SIZE, null)) > 0; ) yield buffer.subarray(0, bytes);
  } finally {
    closeSync(handle);
  }
}

const WRITE_SIZE = 1024 * 1024;
const BOM = [0xef, 0xbb, 0xbf];
const NEWLINE = Buffer.from('\n');

/**
 * The log's bytes, chunk by chunk (a chunk is only valid until the next is asked for). A zip
 * entry loses its UTF-8 byte order mark (GitHub starts every log with one); a step is wrapped in
 * `##[group]<step>` … `##[endgroup]`, its text ending in a newline.
 * Synchronous, like the zip reader: see scripts/import/github/zip-file.ts for why.
 */
export function* logChunks(source: LogSource): Generator<Uint8Array> {
  if (source.kind === 'file') {
    yield* fileChunks(source.file);
    return;
  }
  const zip = openZip(source.file);
  try {
    for (const { entry, step } of source.parts) {
      if (step !== undefined) yield Buffer.from(`##[group]${step}\n`);
      let first = true;
      let last = -1;
      for (let chunk of zipEntryChunks(zip, entry)) {
        if (first && chunk.length >= 3 && BOM.every((byte, i) => chunk[i] === byte)) chunk = chunk.subarray(3);
        first = false;
        if (chunk.length === 0) continue;
        last = chunk[chunk.length - 1]!;
        yield chunk;
      }
      if (step !== undefined) {
        if (last !== 0x0a) yield NEWLINE;
        yield Buffer.from('##[endgroup]\n');
      }
    }
  } finally {
    closeZip(zip);
  }
}

/** Reads every byte of the log, checking each zip entry's CRC-32: the check before anything is written. */
export function verifyLog(source: LogSource): void {
  if (source.kind === 'file') return;
  const zip = openZip(source.file);
  try {
    for (const { entry } of source.parts) for (const _chunk of zipEntryChunks(zip, entry));
  } finally {
    closeZip(zip);
  }
}

/** Writes the log to `target` (a new file; the caller renames it into place). */
export function writeLog(source: LogSource, target: string): void {
  if (source.kind === 'file') {
    copyFileSync(source.file, target);
    return;
  }
  const handle = openSync(target, 'w');
  try {
    // Small pieces are gathered into writes of about 1 MB.
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pending.length === 1) writeAll(handle, pending[0]!);
      else if (pending.length) writeAll(handle, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    for (const chunk of logChunks(source)) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_SIZE) flush();
    }
    flush();
  } finally {
    closeSync(handle);
  }
}

function writeAll(handle: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(handle, bytes, done);
}

/** The whole log as text: for tests and small logs only. */
export function readLogText(source: LogSource): string {
  const chunks: Uint8Array[] = [];
  for (const chunk of logChunks(source)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

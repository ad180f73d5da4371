import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { Inflate } from 'fflate';

/**
 * Reading a zip one entry at a time, straight from the file: the central directory gives every
 * entry's name, sizes, CRC-32 and place, and an entry's bytes are read and inflated a piece at a
 * time, so a logs zip of any size is read in bounded memory. (fflate's `unzipSync` needs the whole
 * zip and every inflated file in memory at once; its streaming `Unzip` reads the zip front to
 * back, where we want one job's entries.)
 * Only what logs zips use is supported: stored and deflated entries, zip64 sizes and offsets; an
 * encrypted entry or another method is an error naming the entry.
 */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header in the file. */
  headerOffset: number;
  flags: number;
}

/** A zip that cannot be read: the message says why (the caller names the file). */
export class ZipError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** The entries of a zip file, in the order of its central directory. @throws ZipError */
export function readZipDirectory(file: string): ZipEntry[] {
  const handle = openSync(file, 'r');
  try {
    const { size } = fstatSync(handle);
    const tailLength = Math.min(size, 22 + MAX_COMMENT + 20);
    const tail = readAt(handle, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipError(size === 0 ? 'the file is empty' : 'no end of central directory: not a zip, or the download was cut short');
    let count = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
      const recordOffset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const record = readAt(handle, recordOffset, 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipError('its zip64 end of central directory is damaged');
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (directoryOffset + directorySize > size) throw new ZipError('its central directory lies past the end of the file: the download was cut short');
    const directory = readAt(handle, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new ZipError(`its central directory is damaged at entry ${n + 1} of ${count}`);
      const flags = directory.readUInt16LE(at + 8);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
      // Bit 11: the name is UTF-8; GitHub's are. Others are read as Latin-1, as fflate does.
      const name = flags & 0x800 ? nameBytes.toString('utf8') : nameBytes.toString('latin1');
      const entry: ZipEntry = {
        name,
        method: directory.readUInt16LE(at + 10),
        crc32: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        headerOffset: directory.readUInt32LE(at + 42),
        flags,
      };
      readZip64Extra(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    closeSync(handle);
  }
}

/** Sizes and offsets that do not fit 32 bits are 0xFFFFFFFF, the real ones in the zip64 extra field. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  const MAX = 0xffffffff;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : undefined;
        field += 8;
        return value;
      };
      if (entry.size === MAX) entry.size = next() ?? entry.size;
      if (entry.compressedSize === MAX) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.headerOffset === MAX) entry.headerOffset = next() ?? entry.headerOffset;
      return;
    }
    at += 4 + length;
  }
}

function readAt(handle: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const bytes = readSync(handle, buffer, read, length - read, position + read);
    if (bytes === 0) break;
    read += bytes;
  }
  return buffer.subarray(0, read);
}

/** A zip file opened for reading its entries (a file descriptor); `closeZip` it when done. */
export type ZipHandle = number;

export function openZip(file: string): ZipHandle {
  return openSync(file, 'r');
}

export function closeZip(zip: ZipHandle): void {
  closeSync(zip);
}

/** An entry up to this size is read and inflated whole; a larger one a piece at a time. */
const WHOLE_SIZE = 4 * 1024 * 1024;

/** Compressed bytes are read this much at a time: at deflate's most (about 1:1032) one read inflates to at most 66 MB. */
const READ_SIZE = 64 * 1024;

/**
 * An entry's bytes, inflated as they are read; the CRC-32 and size are checked at the end.
 * Reading and inflating are synchronous, on this thread: thousands of small logs through
 * fs/promises and zlib streams cost several times the CPU in hand-offs to libuv's threads (and
 * far more wall time on a busy machine) than the reads themselves. An entry of up to 4 MB is inflated whole by Node's
 * zlib (its output capped at the size the directory gives); a larger one in pieces by fflate's
 * streaming `Inflate`, so memory stays bounded whatever the log's size.
 * @throws ZipError when the entry is encrypted, uses another method, or its data is damaged
 */
export function* zipEntryChunks(zip: ZipHandle, entry: ZipEntry): Generator<Uint8Array> {
  if (entry.flags & 1) throw new ZipError(`entry "${entry.name}" is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`entry "${entry.name}" uses compression method ${entry.method}; only stored and deflated entries can be read`);
  const header = readAt(zip, entry.headerOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ZipError(`entry "${entry.name}" has no local header where the directory says`);
  const dataStart = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (entry.size <= WHOLE_SIZE && entry.compressedSize <= WHOLE_SIZE) {
    // Most logs are small: read and inflated in one go by Node's zlib, on this thread.
    const data = readAt(zip, dataStart, entry.compressedSize);
    if (data.length < entry.compressedSize) throw new ZipError(`entry "${entry.name}" ends past the end of the file: the download was cut short`);
    let bytes: Uint8Array = data;
    if (entry.method === 8) {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        throw new ZipError(tooBig ? `entry "${entry.name}" holds more than the ${entry.size} bytes its directory says: the zip is damaged` : `entry "${entry.name}" cannot be inflated (${(error as Error).message})`);
      }
    }
    checkEntry(entry, bytes.length, crc32(bytes));
    yield bytes;
    return;
  }
  let crc = 0;
  let size = 0;
  let out: Uint8Array[] = [];
  const inflater = entry.method === 8 ? new Inflate((chunk) => out.push(chunk)) : undefined;
  for (let done = 0; done < entry.compressedSize || (inflater && done === 0); ) {
    const length = Math.min(READ_SIZE, entry.compressedSize - done);
    const data = length > 0 ? readAt(zip, dataStart + done, length) : new Uint8Array(0);
    if (data.length < length) throw new ZipError(`entry "${entry.name}" ends past the end of the file: the download was cut short`);
    done += length;
    if (inflater) {
      try {
        inflater.push(data, done >= entry.compressedSize);
      } catch (error) {
        throw new ZipError(`entry "${entry.name}" cannot be inflated (${(error as Error).message})`);
      }
    } else out.push(data);
    for (const chunk of out) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > entry.size) throw new ZipError(`entry "${entry.name}" holds more than the ${entry.size} bytes its directory says: the zip is damaged`);
      yield chunk;
    }
    out = [];
    if (length === 0) break;
  }
  checkEntry(entry, size, crc);
}

function checkEntry(entry: ZipEntry, size: number, crc: number): void {
  if (size !== entry.size) throw new ZipError(`entry "${entry.name}" holds ${size} bytes, its directory says ${entry.size}: the zip is damaged`);
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new ZipError(`entry "${entry.name}" fails its CRC-32 check: the zip is damaged`);
}

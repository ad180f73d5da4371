import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface RawLine {
  text: string;
  /** The line was longer than the limit and is cut there. */
  cut: boolean;
}

/**
 * The lines of a log file, a batch per chunk read (an await per line would cost more than most
 * lines), never the whole file as one string: logs can be hundreds of megabytes. Gzip when `gzip` is set. Invalid UTF-8 becomes U+FFFD; `\r\n` and `\n` end lines
 * (a lone `\r` stays in the line: it is the terminal's carriage return). A line longer than
 * `maxLineChars` is cut there, so one enormous line cannot exhaust memory.
 */
export async function* readLogLines(file: string, gzip: boolean, maxLineChars = 100_000): AsyncGenerator<RawLine[]> {
  let stream: Readable = createReadStream(file);
  if (gzip) stream = stream.pipe(createGunzip());
  const decoder = new TextDecoder('utf-8', { fatal: false });
  yield* splitLines(decodeChunks(stream as AsyncIterable<Buffer>, decoder), maxLineChars);
}

async function* decodeChunks(chunks: AsyncIterable<Uint8Array>, decoder: TextDecoder): AsyncGenerator<string> {
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Splits decoded text into lines, a batch per chunk (exported for tests: the same splitting for any source of chunks). */
export async function* splitLines(chunks: AsyncIterable<string> | Iterable<string>, maxLineChars = 100_000): AsyncGenerator<RawLine[]> {
  let pending = '';
  // While a line is over the limit: its kept start; the rest of it is skipped up to its end.
  let cutLine: string | undefined;
  const line = (text: string, cut: boolean): RawLine => ({ text: text.endsWith('\r') ? text.slice(0, -1) : text, cut });
  for await (const chunk of chunks) {
    const batch: RawLine[] = [];
    let start = 0;
    if (cutLine !== undefined) {
      const end = chunk.indexOf('\n');
      if (end === -1) continue;
      batch.push(line(cutLine, true));
      cutLine = undefined;
      start = end + 1;
    }
    pending += chunk.slice(start);
    start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end);
      batch.push(text.length > maxLineChars ? line(text.slice(0, maxLineChars), true) : line(text, false));
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineChars) {
      cutLine = pending.slice(0, maxLineChars);
      pending = '';
    }
    if (batch.length) yield batch;
  }
  if (cutLine !== undefined) yield [line(cutLine, true)];
  else if (pending) yield [line(pending, false)];
}

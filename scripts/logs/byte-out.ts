import { escapeHtml } from '../render/html.ts';

/** Bytes of the first chunk; each next one is twice as large, up to the last size. */
const FIRST_CHUNK = 1 << 16;
const LARGEST_CHUNK = 1 << 20;

/** The bytes of escapeHtml's escapes, by the ASCII character they replace (escapeHtml's own, so the two cannot differ). */
const ASCII_ESCAPES: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(256).fill(undefined);
for (let code = 0; code < 0x80; code++) {
  const ch = String.fromCharCode(code);
  if (escapeHtml(ch) !== ch) ASCII_ESCAPES[code] = Buffer.from(escapeHtml(ch));
}

/**
 * Text written as UTF-8 straight into large buffers, a piece at a time. A log's HTML or plain text
 * built up as one string with `+=` and then encoded costs two to four times as much (measured: V8
 * flattens the rope of pieces, then encodes it, and collects both), and it was the largest single
 * cost of rendering logs.
 */
export class ByteOut {
  private chunk = Buffer.allocUnsafe(FIRST_CHUNK);
  private at = 0;
  private full: Buffer[] = [];
  private length = 0;

  write(piece: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    const most = piece.length * 3;
    if (this.at + most > this.chunk.length) this.nextChunk(most);
    this.at += this.chunk.write(piece, this.at);
  }

  /**
   * write for short markup (`<span class="f2">`, `</a>`): copied a UTF-16 unit a byte while it is
   * ASCII, since a call into the encoder costs more than a few bytes; anything else is encoded.
   */
  writeAscii(piece: string): void {
    const length = piece.length;
    if (length > 64) return this.write(piece);
    if (this.at + length > this.chunk.length) this.nextChunk(length);
    const chunk = this.chunk;
    const at = this.at;
    for (let i = 0; i < length; i++) {
      const code = piece.charCodeAt(i);
      if (code >= 0x80) return this.write(piece);
      chunk[at + i] = code;
    }
    this.at = at + length;
  }

  /** Writes a non-negative integer in decimal (a line number), without making its string. */
  writeDecimal(value: number): void {
    if (this.at + 16 > this.chunk.length) this.nextChunk(16);
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    const chunk = this.chunk;
    let at = this.at + digits;
    let rest = value;
    do {
      chunk[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.at += digits;
  }

  /** Copies `bytes[start, end)` (UTF-8 already). */
  writeBytes(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.at + length > this.chunk.length) this.nextChunk(length);
    const chunk = this.chunk;
    // Most pieces are a log line or less: a loop costs less than the view a native copy needs.
    if (length > 256) chunk.set(bytes.subarray(start, end), this.at);
    else for (let i = 0, at = this.at; i < length; i++) chunk[at + i] = bytes[start + i]!;
    this.at += length;
  }

  /** Copies UTF-8 `bytes[start, end)` escaped as escapeHtml escapes text (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;`: ASCII only, so the bytes of other characters are copied as they are). */
  writeEscapedAscii(bytes: Uint8Array, start: number, end: number): void {
    // `&quot;`, the longest escape, is 6 bytes.
    const most = (end - start) * 6;
    if (this.at + most > this.chunk.length) this.nextChunk(most);
    const chunk = this.chunk;
    let at = this.at;
    for (let i = start; i < end; i++) {
      const byte = bytes[i]!;
      const escape = ASCII_ESCAPES[byte];
      if (escape === undefined) chunk[at++] = byte;
      else for (let j = 0; j < escape.length; j++) chunk[at++] = escape[j]!;
    }
    this.at = at;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length + this.at;
  }

  /** The bytes written since the last take, as buffers (in order), and starts again empty. */
  take(): Buffer[] {
    if (this.at) this.full.push(this.chunk.subarray(0, this.at));
    const taken = this.full;
    this.full = [];
    this.length = 0;
    this.chunk = this.at ? Buffer.allocUnsafe(FIRST_CHUNK) : this.chunk;
    this.at = 0;
    return taken;
  }

  /** Everything written, as one buffer of its own (never a small part of a large chunk kept alive). */
  bytes(): Buffer {
    const chunks = this.take();
    if (chunks.length !== 1) return Buffer.concat(chunks);
    const only = chunks[0]!;
    return only.length * 2 < only.buffer.byteLength ? Buffer.from(only) : only;
  }

  private nextChunk(atLeast: number): void {
    if (this.at) {
      this.full.push(this.chunk.subarray(0, this.at));
      this.length += this.at;
    }
    this.chunk = Buffer.allocUnsafe(Math.max(Math.min(this.chunk.length * 2, LARGEST_CHUNK), atLeast));
    this.at = 0;
  }
}

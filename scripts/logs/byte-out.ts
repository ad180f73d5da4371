/** Bytes of the first chunk; each next one is twice as large, up to the last size. */
const FIRST_CHUNK = 1 << 16;
const LARGEST_CHUNK = 1 << 20;

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

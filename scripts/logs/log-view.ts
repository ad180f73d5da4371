import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ByteOut } from './byte-out.ts';
import { isErrorLine, LineScanner, plainLogLine, type LogLine, type TerminalState } from './parse-line.ts';
import { forEachPiece, isMultiByte, isStyled, overwrites, overwriteStart, plainTextStart, stateAfter, textStartOf } from './plain-line.ts';
import type { SgrState } from './sgr-states.ts';
import type { ByteLineBatch, RawLine } from './read-lines.ts';
import { detached, SectionFolder, type Section } from './sections.ts';

/**
 * What the page shows of a long log (the "truncation rule"): a log of at most `pageLines` lines
 * (default 5,000) is shown whole. A longer one shows its first `headLines` (500) and last
 * `tailLines` (2,000) lines, and every error line in between with `context` (3) lines before and
 * after, up to `maxErrorBlocks` (50) of them; each gap says how many lines it leaves out, and the
 * whole log is written as plain text beside the page.
 */
export interface LogLimits {
  pageLines: number;
  headLines: number;
  tailLines: number;
  context: number;
  maxErrorBlocks: number;
  /** Error lines listed at the top of a lane. */
  listedErrors: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { pageLines: 5000, headLines: 500, tailLines: 2000, context: 3, maxErrorBlocks: 50, listedErrors: 50 };

/**
 * The limits for archive.yaml's `ci_log_max_lines`: head and tail keep the default's proportions
 * (a tenth and four tenths of the page), so a smaller page still leaves room for the error blocks.
 */
export function logLimitsFor(maxLines: number | undefined): LogLimits {
  if (maxLines === undefined) return DEFAULT_LOG_LIMITS;
  return { ...DEFAULT_LOG_LIMITS, pageLines: maxLines, headLines: Math.round(maxLines / 10), tailLines: Math.round((maxLines * 4) / 10) };
}

/** A line the page shows, with the sections it sits in (outermost first). */
export type ShownLine = ModelledLine | PlainShownLine;

/** A line read through the terminal layer (parse-line.ts), with its model. */
export interface ModelledLine {
  line: LogLine;
  number: number;
  error: boolean;
  /** Ids of the sections open around the line (not counting one it opens itself). */
  stack: number[];
  cut: boolean;
  plain?: undefined;
}

/**
 * A plain line (plain-line.ts) kept as its bytes: the page draws it from them (render-log.ts).
 * Its model is made only if asked for: most plain lines of a long log are never shown.
 */
export class PlainShownLine {
  readonly plain = true;
  readonly error = false;
  readonly cut = false;
  readonly number: number;
  readonly stack: number[];
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** Where its text starts (after GitHub's timestamp) and whether it has characters to escape (plain-line.ts). */
  readonly packed: number;
  /** The terminal's state where it starts: the style and link its text is drawn in. */
  readonly state: TerminalState;
  /**
   * Where the text a reader sees starts, and the SGR state there: its text's start, and the
   * line's state, but for a line with carriage returns (a progress bar), whose last part is what
   * is seen, drawn in the state the parts before it left.
   */
  readonly visible: number;
  readonly visibleSgr: SgrState;
  private model: LogLine | undefined;

  constructor(number: number, stack: number[], bytes: Buffer, start: number, end: number, packed: number, state: TerminalState, visible: number, visibleSgr: SgrState) {
    this.number = number;
    this.stack = stack;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.packed = packed;
    this.state = state;
    this.visible = visible;
    this.visibleSgr = visibleSgr;
  }

  get line(): LogLine {
    if (this.model) return this.model;
    const { bytes, end, packed } = this;
    const encoding = isMultiByte(packed) ? 'utf8' : 'latin1';
    let text: string | undefined;
    if (isStyled(packed) || overwrites(packed)) {
      text = '';
      forEachPiece(bytes, this.visible, end, this.visibleSgr, (from, to) => (text += bytes.toString(encoding, from, to)));
    }
    return (this.model = plainLogLine(bytes.toString(encoding, this.start, end), this.number, this.state, text));
  }
}

export interface LogView {
  /** Lines of the whole log. */
  totalLines: number;
  /** The lines shown, in order; gaps lie where numbers jump. */
  shown: ShownLine[];
  sections: Map<number, Section>;
  /** The first error lines (number and text), for the list at the top of the lane. */
  errors: Array<{ number: number; text: string }>;
  errorCount: number;
  /** The whole log was written as plain text to the `textFile` given. */
  truncated: boolean;
  /** The sha256 of that text file, when it was written. */
  textSha256?: string;
}

/** Bytes of plain text gathered before they are written: one write per line would cost more than the line. */
const TEXT_BATCH_BYTES = 1 << 18;

/**
 * Reads a log line by line and keeps only what the page shows. Memory holds at most
 * `pageLines` parsed lines (plus error context), whatever the log's size.
 *
 * @param textFile where the whole log goes as plain text when it is longer than the page shows
 */
export async function viewLog(batches: AsyncIterable<readonly RawLine[] | ByteLineBatch>, textFile: string, limits: LogLimits = DEFAULT_LOG_LIMITS): Promise<LogView> {
  const scanner = new LineScanner();
  const folder = new SectionFolder();
  const head: ShownLine[] = [];
  // Lines after the head, up to what a whole log on the page could still hold.
  const tail: ShownLine[] = [];
  let tailStart = 0;
  const middle: ShownLine[] = [];
  const errors: LogView['errors'] = [];
  let errorCount = 0;
  let total = 0;
  let text: TextOut | undefined;
  let errorBlocks = 0;
  /** The last middle error line whose context is kept, and up to which line context after it reaches. */
  let keepUntil = -1;
  /** Recently evicted middle lines, for the context before an error. */
  const recent: ShownLine[] = [];

  const evict = (entry: ShownLine) => {
    const number = entry.number;
    if (entry.error && errorBlocks < limits.maxErrorBlocks) {
      errorBlocks++;
      middle.push(...recent);
      recent.length = 0;
      middle.push(entry);
      keepUntil = number + limits.context;
      return;
    }
    if (number <= keepUntil) {
      middle.push(entry);
      return;
    }
    recent.push(entry);
    if (recent.length > limits.context) recent.shift();
  };

  /** Keeps a line (its entry made) where the page may show it, and in the whole log's text once that is needed. */
  const keep = (entry: ShownLine) => {
    if (head.length < limits.headLines) head.push(entry);
    else tail.push(entry);
    if (total === limits.pageLines + 1) {
      // Longer than the page shows: from here on the whole log also goes to its plain text file.
      text = new TextOut(textFile);
      for (const kept of head) text.add(kept);
      for (const kept of tail) text.add(kept);
    } else if (text) {
      text.add(entry);
    }
    // Beyond the page's size only the last tailLines are kept, plus error context.
    if (text) {
      while (tail.length - tailStart > limits.tailLines) {
        evict(tail[tailStart]!);
        // Let go of it now, not at the next splice: a line held that long outlives V8's young
        // generation, and millions of lines promoted to the old one are what its collector spends on.
        (tail as Array<ShownLine | undefined>)[tailStart++] = undefined;
      }
      if (tailStart > 4096) {
        tail.splice(0, tailStart);
        tailStart = 0;
      }
    }
  };
  /** A line through the terminal layer. */
  const modelled = (raw: RawLine) => {
    total++;
    const line = scanner.scan(raw.text, total);
    const error = isErrorLine(line);
    const stack = folder.apply(line, error);
    if (error) {
      errorCount++;
      if (errors.length < limits.listedErrors) errors.push({ number: total, text: detached(line.text.slice(0, 300)) });
    }
    keep({ line, number: total, error, stack, cut: raw.cut });
  };

  // The text file is closed if the log cannot be read to its end (the caller drops it).
  try {
    for await (const batch of batches) {
      if (!isByteBatch(batch)) {
        for (const raw of batch) modelled(raw);
      } else {
        const { bytes, bounds, decoded } = batch;
        for (let i = 0; i < bounds.length; i += 2) {
          const start = bounds[i]!;
          const end = bounds[i + 1]!;
          if (start === -1) {
            modelled(decoded[end]!);
            continue;
          }
          const packed = plainTextStart(bytes, start, end);
          if (packed === -1) {
            modelled({ text: bytes.toString('utf8', start, end), cut: false });
            continue;
          }
          // A plain line: no error, no marker; the terminal's state carries over it, or its SGR sequences move it.
          const state = scanner.state;
          const text = textStartOf(packed);
          // What a reader sees of a line with carriage returns is its last part, in the style the
          // sequences before it left (no sequence spans a carriage return: plainTextStart checked each).
          const visible = overwrites(packed) ? overwriteStart(bytes, text, end) : text;
          let visibleSgr = state.sgr;
          if (isStyled(packed)) {
            const before = visible !== text ? stateAfter(bytes, text, visible - 1, state.sgr) : state.sgr;
            const after = before && stateAfter(bytes, visible, end, before);
            if (!before || !after) {
              modelled({ text: bytes.toString('utf8', start, end), cut: false });
              continue;
            }
            visibleSgr = before;
            if (after !== state.sgr) scanner.moveTo({ sgr: after, href: state.href });
          }
          total++;
          keep(new PlainShownLine(total, folder.applyPlain(total), bytes, start, end, packed, state, visible, visibleSgr));
        }
      }
      if (text) await text.flush(false);
    }
  } catch (error) {
    text?.abandon();
    throw error;
  }
  folder.closeAll();
  const textSha256 = text ? await text.close() : undefined;
  // The context after the last kept error may run into the tail: the tail has those lines already.
  const tailLines = tail.slice(tailStart);
  const shown = text ? [...head, ...middle, ...tailLines] : [...head, ...tailLines];
  return { totalLines: total, shown, sections: folder.sections, errors, errorCount, truncated: Boolean(text), ...(textSha256 && { textSha256 }) };
}

/** The line as plain text: timestamp, the command marker it had, its visible text. */
function plainLine(line: LogLine): string {
  const marker = line.kind !== 'text' ? `##[${line.kind}]` : line.opens?.source === 'github' ? '##[group]' : line.markerOnly && line.closes.length ? (line.timestamp ? '##[endgroup]' : '') : '';
  return `${line.timestamp ? `${line.timestamp} ` : ''}${marker}${line.text}\n`;
}

const isByteBatch = (batch: readonly RawLine[] | ByteLineBatch): batch is ByteLineBatch => !Array.isArray(batch);

const NEWLINE = Buffer.from('\n');

/**
 * The whole log's text file: lines gathered into large writes (as bytes, see ByteOut), hashed as
 * they are written. The file is made at the first write: lines are added in the middle of a batch.
 * Written synchronously: a log is rendered in a log worker (log-pool.ts), one at a time, where a
 * stream's promises cost more than the writes.
 */
class TextOut {
  private readonly pending = new ByteOut();
  private readonly hash = createHash('sha256');
  private readonly file: string;
  private fd: number | undefined;

  constructor(file: string) {
    this.file = file;
  }

  /** A line as plainLine gives it; a plain line's text is its bytes. */
  add(entry: ShownLine): void {
    if (entry.plain) {
      const { bytes, start, end, packed } = entry;
      const pending = this.pending;
      if (isStyled(packed) || overwrites(packed)) {
        pending.writeBytes(bytes, start, textStartOf(packed));
        forEachPiece(bytes, entry.visible, end, entry.visibleSgr, (from, to) => pending.writeBytes(bytes, from, to));
      } else {
        pending.writeBytes(bytes, start, end);
      }
      pending.writeBytes(NEWLINE, 0, 1);
    } else {
      this.pending.write(plainLine(entry.line));
    }
  }

  /** Writes what is gathered once there is enough of it (or all of it with `all`). */
  async flush(all: boolean): Promise<void> {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = openSync(this.file, 'w');
    }
    if (!this.pending.size || (!all && this.pending.size < TEXT_BATCH_BYTES)) return;
    for (const bytes of this.pending.take()) {
      this.hash.update(bytes);
      writeAll(this.fd, bytes);
    }
  }

  /** Closes the file, when a log could not be read to its end (the caller removes or ignores it). */
  abandon(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  async close(): Promise<string> {
    try {
      await this.flush(true);
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
    }
    return this.hash.digest('hex');
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

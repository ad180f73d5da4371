import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeChunks, splitByteLines, splitLines, type ByteLineBatch, type RawLine } from '../../../scripts/logs/read-lines.ts';
import { DEFAULT_LOG_LIMITS, viewLog, type LogLimits } from '../../../scripts/logs/log-view.ts';
import { renderLogHtml } from '../../../scripts/logs/render-log.ts';
import { retainedMemory } from '../../support/retained-memory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plain-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const E = '\x1b';

/** The reference: bytes decoded as a stream (as readLogLines decodes a file), then split as text. */
/**
 * The text of the chunks' bytes decoded in one call (only a BOM at the very start is dropped), cut
 * where the byte chunks were cut, counted in characters: not decoded a chunk at a time, since
 * TextDecoder then drops a U+FEFF after a first character split between chunks.
 */
function decodedChunks(chunks: Uint8Array[]): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  const pieces: string[] = [];
  let at = 0;
  for (const chunk of chunks) {
    const end = Math.min(text.length, at + chunk.length);
    pieces.push(text.slice(at, end));
    at = end;
  }
  pieces.push(text.slice(at));
  return pieces;
}

async function collect<T>(batches: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

/** The lines of byte batches as RawLines (the bytes decoded, as log-view.ts decodes a line that is not plain). */
function linesOf(batches: ByteLineBatch[]): RawLine[] {
  return batches.flatMap(({ bytes, bounds, decoded }) => {
    const lines: RawLine[] = [];
    for (let i = 0; i < bounds.length; i += 2) lines.push(bounds[i] === -1 ? decoded[bounds[i + 1]!]! : { text: bytes.toString('utf8', bounds[i], bounds[i + 1]), cut: false });
    return lines;
  });
}

/** Cuts bytes into chunks at the given points (as a file or gzip stream may cut them anywhere). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(last, point));
    last = point;
  }
  return chunks;
}

// Bytes that matter to splitting and decoding: line ends, a BOM, broken and whole UTF-8, NUL.
const hostileByte = fc.oneof(
  fc.constantFrom(0x0a, 0x0d, 0x00, 0x1b, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xe2, 0x94, 0x81, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0x80, 0x41, 0x20),
  fc.integer({ min: 0, max: 255 }),
);

describe('splitByteLines: lines as bytes, the same as splitLines gives them as text', () => {
  it('gives the same lines and cuts for any bytes, however they are chunked: BOM, invalid UTF-8, NUL, lone \\r, long lines (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(hostileByte, { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 12 }), async (bom, body, cuts, maxLineChars) => {
        const bytes = Buffer.from([...(bom ? [0xef, 0xbb, 0xbf] : []), ...body]);
        const chunks = chunked(bytes, cuts);
        const expected = (await collect(splitLines(decodedChunks(chunks), maxLineChars))).flat();
        const actual = linesOf(await collect(splitByteLines(chunks, maxLineChars)));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('skips the rest of an enormous line without holding it: one cut line, then the next', async () => {
    const chunks = [Buffer.from('start '), ...Array.from({ length: 50 }, () => Buffer.alloc(1000, 0x78)), Buffer.from('\r\nnext\n')];
    const lines = linesOf(await collect(splitByteLines(chunks, 100)));
    expect(lines).toEqual([
      { text: `start ${'x'.repeat(94)}`, cut: true },
      { text: 'next', cut: false },
    ]);
  });
});

/** A log rendered from its bytes (the build's way) and from its decoded lines (the general way). */
async function bothWays(bytes: Buffer, cuts: number[], limits: LogLimits) {
  const chunks = chunked(bytes, cuts);
  const name = Math.random().toString(36).slice(2);
  const fromBytes = await viewLog(splitByteLines(chunks), path.join(dir, `${name}-bytes.txt`), limits);
  const fromText = await viewLog(splitLines(decodedChunks(chunks)), path.join(dir, `${name}-text.txt`), limits);
  const page = (view: typeof fromBytes) => renderLogHtml(view, 'run-7-check', view.truncated ? '7/check.txt' : undefined);
  const textFile = async (view: typeof fromBytes, file: string) => (view.truncated ? readFile(path.join(dir, file), 'utf8') : undefined);
  return {
    fromBytes,
    bytes: { html: page(fromBytes), text: await textFile(fromBytes, `${name}-bytes.txt`), facts: facts(fromBytes) },
    text: { html: page(fromText), text: await textFile(fromText, `${name}-text.txt`), facts: facts(fromText) },
  };
}

const facts = (view: Awaited<ReturnType<typeof viewLog>>) => ({
  totalLines: view.totalLines,
  truncated: view.truncated,
  textSha256: view.textSha256,
  errors: view.errors,
  errorCount: view.errorCount,
  sections: [...view.sections.values()],
  // A line's model, its start state by what the page draws from it (the states' caches of transitions differ by the way taken).
  shown: view.shown.map((entry) => {
    const { start, ...line } = entry.line;
    return { number: entry.number, error: entry.error, cut: entry.cut, stack: entry.stack, line, start: start && { attributes: start.sgr.attributes, style: start.sgr.style, href: start.href } };
  }),
});

describe('plain lines read from bytes: the same page and whole-log text as the general way', () => {
  it('takes printable ASCII lines, SGR-styled or not, without markers or errors from their bytes, and everything else the general way', async () => {
    const log = [
      '2026-11-12T08:57:00.1230000Z   plain & <escaped> "text"',
      'no timestamp at all',
      '2026-11-12T08:57:00.1230000Z',
      `${E}[32mgreen`,
      '2026-11-12T08:57:00.1230000Z ##[group]Run step',
      'error: boom',
      'still green, from its bytes',
      'caf\u00e9',
      `FA${E}[31mILED, an error split by a colour`,
      `er${E}[1mror: another`,
    ].join('\n');
    const { fromBytes, bytes, text } = await bothWays(Buffer.from(log), [], DEFAULT_LOG_LIMITS);
    expect(fromBytes.shown.map((entry) => entry.plain === true)).toEqual([true, true, false, true, false, false, true, true, false, false]);
    expect(fromBytes.errors.map((error) => error.number)).toEqual([6, 9, 10]);
    expect(bytes).toEqual(text);
    expect(bytes.html).toContain('<span class="f2">still green, from its bytes</span>');
    expect(bytes.html).toContain('<span class="f2">green</span>');
    expect(bytes.html).toContain('<time>08:57:00</time>  plain &amp; &lt;escaped&gt; &quot;text&quot;');
  });

  it('takes progress bars redrawn with \\r and well-formed UTF-8 from their bytes, and the rest of what a terminal must work out the general way', async () => {
    const bar = (percent: number) => `${E}[38;5;197m${'\u2501'.repeat(percent / 5)}${E}[0m ${percent}%`;
    const log = [
      `2026-11-12T08:57:00.1230000Z ${[0, 25, 50, 100].map(bar).join('\r')}`,
      // The last part is shorter than one before it: the end of that one still shows.
      `2026-11-12T08:57:00.1230000Z ${[0, 100, 50].map(bar).join('\r')}`,
      '  10/10 \u2713 done, \u{1F600}',
      'ab\rcd',
      'abc\rde',
      '\u0085 a C1 control',
    ].join('\n');
    // And a byte that is no UTF-8 at all: the general way shows it as U+FFFD.
    const { fromBytes, bytes, text } = await bothWays(Buffer.concat([Buffer.from(`${log}\n`), Buffer.from([0xff, 0x20, 0x78])]), [], DEFAULT_LOG_LIMITS);
    expect(fromBytes.shown.map((entry) => entry.plain === true)).toEqual([true, false, true, true, false, false, false]);
    expect(bytes).toEqual(text);
    expect(bytes.html).toContain(`<time>08:57:00</time><span class="fx" style="--f:#d90051;--g:#ff0d67">${'\u2501'.repeat(20)}</span> 100%`);
    expect(bytes.html).toContain('cd\n');
    expect(bytes.html).toContain('dec');
  });

  it('gives the same HTML, whole-log text, errors and sections for any mix of lines, cut or whole (property)', async () => {
    const piece = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('plain text', '  indented\twith a tab', '2026-03-27T00:55:23.1234567Z ', '2026-03-27T00:55:23Z', '2026-03-27T00:55:23.1234567890Z ', '1999-01-01T00:00:00.1Zx', '<script>', '&amp;', '"', "'") },
      fc.constantFrom(`${E}[31m`, `${E}[0m`, `${E}[m`, `${E}[1;92m`, `${E}[38;5;208m`, `${E}[48;2;10;20;30m`, `${E}[38;2;300;0;0m`, `${E}[38;5m`, `${E}[1;;31m`, `${E}[7m`, `${E}[27m`, `${E}[38:5:1m`, `${E}[2J`, `${E}[`, E, `${E}]8;;https://example.org/a?b=1&c=2${E}\\`, `${E}]8;;${E}\\`, `${E}[K`, '\r', '\x00', '\x7f', '\u00e9', '\uFFFD', '😀'),
      fc.constantFrom('##[group]', '##[endgroup]', '##[error]', '[command]', 'section_start:1:a\r', `${E}[0Ksection_end:2:a\r${E}[0K`, 'section_x', 's'),
      fc.constantFrom('error: boom', 'ERROR: job', 'FAILED', 'FAIL\tpkg', '--- FAIL: TestX', 'Traceback (most recent call last)', 'thread panicked at x', 'error TS2345: y', 'terror', 'rror', 'FAI', 'Tracebac', 'FA', 'IL', 'er', 'ror: x', 'pan', 'icked at'),
      fc.string({ maxLength: 5 }),
    );
    const line = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    const ending = fc.constantFrom('\n', '\r\n', '\n\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(line, ending), { minLength: 1, maxLength: 40 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 3, max: 30 }), async (lines, finalBreak, cuts, pageLines) => {
        let log = lines.map(([text, end]) => text + end).join('');
        if (!finalBreak) log = log.replace(/\r?\n$/, '');
        const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines, headLines: 2, tailLines: 3, context: 1, maxErrorBlocks: 2 };
        const { bytes, text } = await bothWays(Buffer.from(log), cuts, limits);
        expect(bytes).toEqual(text);
      }),
      { numRuns: 600 },
    );
  }, 120_000);
});

describe('decodeChunks: the general way\'s text', () => {
  it('keeps a U+FEFF after a first character whose bytes are split between chunks, and drops a BOM at the very start however it is split', async () => {
    const text = async (...chunks: number[][]) => (await collect(decodeChunks(chunks.map((bytes) => Buffer.from(bytes))))).join('');
    expect(await text([0xe0], [0xa0, 0x80, 0xef, 0xbb, 0xbf, 0x0a])).toBe('\u0800\uFEFF\n');
    expect(await text([0xef], [0xbb], [0xbf, 0x61])).toBe('a');
    expect(await text([], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])).toBe('\uFEFF');
  });
});

describe('plain lines with carriage returns and multi-byte characters: the same as the general way for any bytes', () => {
  it('gives the same HTML, whole-log text and errors for lines of progress bars, whole and broken UTF-8, C1 controls and overlong forms (property)', async () => {
    const text = (...pieces: string[]) => pieces.map((piece) => Buffer.from(piece));
    const bytes = (...pieces: number[][]) => pieces.map((piece) => Buffer.from(piece));
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...text('plain', ' 50%', '2026-03-27T00:55:23.1234567Z ', `${E}[38;5;197m`, `${E}[0m`, `${E}[1;32m`, '\u2501\u2501\u2501', '\u{1F600}', 'caf\u00e9', '<&>', 'FAIL ', 'error: x', '##[group]', `${E}[K`)) },
      { weight: 3, arbitrary: fc.constantFrom(...text('\r', '\r', '\r\r')) },
      // Well formed at the edges of UTF-8's ranges, then what TextDecoder replaces or the terminal drops.
      fc.constantFrom(...bytes([0xc2, 0xa0], [0xdf, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xee, 0x80, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xef, 0xbb, 0xbf])),
      fc.constantFrom(...bytes([0xc2, 0x85], [0xc2, 0x9f], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x94], [0xe2], [0xf0, 0x9f, 0x98], [0x80], [0xbf], [0xff], [0x00], [0x7f])),
    );
    const line = fc.array(piece, { maxLength: 8 }).map((pieces) => Buffer.concat(pieces));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 3, max: 30 }), async (lines, cuts, pageLines) => {
        const log = Buffer.concat(lines.flatMap((bytes) => [bytes, Buffer.from('\n')]));
        const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines, headLines: 2, tailLines: 3, context: 1, maxErrorBlocks: 2 };
        const both = await bothWays(log, cuts, limits);
        expect(both.bytes).toEqual(both.text);
      }),
      { numRuns: 800 },
    );
  }, 120_000);
});

describe('a long log read as bytes', () => {
  it('keeps nothing alive but what the page shows: 200,000 plain lines in 64 KiB chunks leave < 8 MB of heap and buffers behind', async () => {
    // About 27 MB of bytes, cut as a file stream cuts them; a few error lines keep context from the middle.
    function* chunks() {
      let pending = Buffer.alloc(0);
      for (let group = 0; group < 2000; group++) {
        const lines = Array.from({ length: 100 }, (_, i) => (i === 50 && group % 100 === 0 ? `error: group ${group} failed` : `2026-11-12T08:57:01.0000000Z ${E}[32mline ${i}${E}[0m of group ${group} ${'x'.repeat(90)}`));
        pending = Buffer.concat([pending, Buffer.from(`${lines.join('\n')}\n`)]);
        while (pending.length >= 65536) {
          yield pending.subarray(0, 65536);
          pending = pending.subarray(65536);
        }
      }
      yield pending;
    }
    const usage = async () => {
      const { heapUsed, arrayBuffers } = await retainedMemory();
      return heapUsed + arrayBuffers;
    };
    const before = await usage();
    const view = await viewLog(splitByteLines(chunks()), path.join(dir, 'long.txt'));
    const kept = (await usage()) - before;
    expect(view.totalLines).toBe(200_000);
    expect(view.errorCount).toBe(20);
    expect(view.shown.filter((entry) => entry.plain)).toHaveLength(view.shown.length - 20);
    expect(kept).toBeLessThan(8 * 2 ** 20);
  }, 60_000);
});

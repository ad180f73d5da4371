import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineParser, LineScanner, type LogLine } from '../../../scripts/logs/parse-line.ts';
import { bodyHtml, segmentsHtml } from '../../../scripts/logs/render-log.ts';

const E = '\x1b';

/** Reads the same lines with the full terminal layer (LineParser) and with LineScanner, as the page draws them. */
function bothWays(lines: string[]) {
  const parser = new LineParser();
  const scanner = new LineScanner();
  return lines.map((raw, index) => {
    const slow = parser.parse(raw, index + 1);
    const fast = scanner.scan(raw, index + 1);
    return { raw, slow, fast };
  });
}

const facts = (line: LogLine) => ({ number: line.number, timestamp: line.timestamp, kind: line.kind, text: line.text, closes: line.closes, opens: line.opens, markerOnly: line.markerOnly });
const slowHtml = (line: LogLine, links: boolean) => segmentsHtml(links ? line.segments! : line.segments!.map(({ href: _link, ...plain }) => plain));

describe('LineScanner: the fast path draws lines as the full terminal layer does', () => {
  it('takes plain lines and lines with only SGR styling without a model, and draws them byte for byte as LineParser', () => {
    const lines = [
      '2026-11-12T08:57:00.1230000Z   plain text with <tags> & "quotes"',
      `2026-11-12T08:57:00.4560000Z ${E}[1m${E}[32m   Compiling${E}[0m crate-1 v0.1.0`,
      `${E}[31mred carries`,
      'to this plain line',
      `${E}[0m`,
      `${E}[38;5;208morange${E}[0m ${E}[48;2;10;20;30mdeep${E}[0m ${E}[7minverse${E}[27m`,
      `${E}[38:5:197mcolons are not parsed by anser`,
      `bell\x07 and NUL\x00 and ${E}[2J cleared screen`,
      '##[group]Run step 1',
      '##[endgroup]',
    ];
    for (const { slow, fast } of bothWays(lines)) {
      expect(fast.segments).toBeUndefined();
      expect(facts(fast)).toEqual(facts(slow));
      expect(bodyHtml(fast, true)).toBe(slowHtml(slow, true));
    }
  });

  it('reads lines with a carriage return, an erase or a link without a model too, and draws them from the state they start in', () => {
    const lines = [`${E}[33mwarning`, `50%\r${E}[32m100%`, 'still green', `${E}]8;;https://example.org/${E}\\docs`, 'inside the link', `${E}]8;;${E}\\after ${E}[K`];
    const read = bothWays(lines);
    expect(read.map(({ fast }) => fast.text)).toEqual(['warning', '100%', 'still green', 'docs', 'inside the link', 'after ']);
    expect(read.every(({ fast }) => fast.segments === undefined)).toBe(true);
    for (const { slow, fast } of read) {
      expect(facts(fast)).toEqual(facts(slow));
      expect(bodyHtml(fast, true)).toBe(slowHtml(slow, true));
      expect(bodyHtml(fast, false)).toBe(slowHtml(slow, false));
    }
    expect(bodyHtml(read[4]!.fast, true)).toBe('<a href="https://example.org/" rel="nofollow noopener noreferrer" class="f2">inside the link</a>');
  });

  it('gives the same text, markers and HTML as LineParser for any mix of escapes, \\r, markup and invalid UTF-8 (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        `${E}[0m`, `${E}[m`, `${E}[1m`, `${E}[2;3;4m`, `${E}[31m`, `${E}[1;92m`, `${E}[44m`, `${E}[7m`, `${E}[27m`, `${E}[22m`, `${E}[39;49m`,
        `${E}[38;5;197m`, `${E}[48;5;3m`, `${E}[38;2;255;0;10m`, `${E}[38;2;300;0;0m`, `${E}[38:5:1m`, `${E}[1;;31m`,
        '\r', `${E}[K`, `${E}[0K`, `${E}[1K`, `${E}[2K`, `${E}[3K`, `${E}[2J`, `${E}[?25l`, `${E}[1A`, `${E}7`, E,
        `${E}]8;;https://example.org/a?b=1&c="2"${E}\\`, `${E}]8;;javascript:alert(1)${E}\\`, `${E}]8;;${E}\\`, `${E}]0;title\x07`,
        '<script>', '&amp;', '"', "'", '\x00', '\x08', '\x7f', '\x9b', '\uFFFD', '\t', ' ', '━', '😀', '\uD800',
        '##[group]', '##[endgroup]', '##[error]', '[command]', '2026-03-27T00:55:23.1234567Z ', 'section_start:1:a\r', `${E}[0Ksection_end:2:a\r${E}[0K`,
        'error: boom', 'FAILED',
      ),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        for (const { slow, fast } of bothWays(lines)) {
          expect(facts(fast)).toEqual(facts(slow));
          expect(bodyHtml(fast, true)).toBe(slowHtml(slow, true));
          expect(bodyHtml(fast, false)).toBe(slowHtml(slow, false));
        }
      }),
      { numRuns: 1500 },
    );
  }, 60_000);

  it('keeps a bounded table whatever a hostile log does: a new 24-bit colour on each of 15,000 lines', () => {
    const scanner = new LineScanner();
    let largest = 0;
    for (let i = 0; i < 15_000; i++) {
      // Each line sets its whole style, so a parser of that line alone is in the same state.
      const raw = `${E}[38;2;${i % 256};${(i >> 8) % 256};${(i >> 16) % 256}mx${i}`;
      const fast = scanner.scan(raw, i + 1);
      largest = Math.max(largest, scanner.table.size);
      if (i % 997 === 0) expect(bodyHtml(fast, true)).toBe(slowHtml(new LineParser().parse(raw, i + 1), true));
    }
    expect(largest).toBeGreaterThan(10_000);
    expect(largest).toBeLessThanOrEqual(2 * 10_000);
  }, 60_000);
});

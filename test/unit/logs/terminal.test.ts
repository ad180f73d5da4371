import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paletteRgb, safeHref, TerminalReader } from '../../../scripts/logs/terminal.ts';

const read = (...lines: string[]) => {
  const reader = new TerminalReader();
  return lines.map((line) => reader.read(line));
};
const E = '\x1b';

describe('TerminalReader: ANSI styling through anser', () => {
  it('maps the 8 colours and their bright variants to classes f0–f15 and b0–b15', () => {
    const [red, bright, background] = read(`${E}[31mred`, `${E}[91mbright red`, `${E}[0;44mon blue`).map((segments) => segments[0]);
    expect(red).toEqual({ text: 'red', classes: 'f1' });
    expect(bright).toEqual({ text: 'bright red', classes: 'f9' });
    expect(background).toEqual({ text: 'on blue', classes: 'b4' });
  });

  it('gives 256-colour and 24-bit colours as CSS variables', () => {
    const [segments] = read(`${E}[38;5;208morange${E}[0m ${E}[48;2;10;20;30mdeep${E}[0m ${E}[38;5;9mnamed`);
    expect(segments).toEqual([
      { text: 'orange', classes: 'fx', style: '--f:#ff8700' },
      { text: ' ' },
      { text: 'deep', classes: 'bx', style: '--b:#0a141e' },
      { text: ' ' },
      { text: 'named', classes: 'f9' },
    ]);
    expect(paletteRgb(232)).toEqual([8, 8, 8]);
    expect(paletteRgb(16)).toEqual([0, 0, 0]);
  });

  it('maps bold, dim, italic, underline and strikethrough, and swaps colours for inverse', () => {
    const [segments] = read(`${E}[1mb${E}[0m${E}[2md${E}[0m${E}[3mi${E}[0m${E}[4mu${E}[0m${E}[9ms${E}[0m${E}[31;42;7mv`);
    expect(segments).toEqual([
      { text: 'b', classes: 'ab' },
      { text: 'd', classes: 'ad' },
      { text: 'i', classes: 'ai' },
      { text: 'u', classes: 'au' },
      { text: 's', classes: 'as' },
      { text: 'v', classes: 'f2 b1' },
    ]);
  });

  it('carries a style to the next lines until a reset, as a terminal does', () => {
    const lines = read(`${E}[1;32mgreen`, 'still green', `${E}[0m`, 'plain');
    expect(lines).toEqual([[{ text: 'green', classes: 'f2 ab' }], [{ text: 'still green', classes: 'f2 ab' }], [], [{ text: 'plain' }]]);
  });
});

describe('TerminalReader: terminal control', () => {
  it('lets a carriage return overwrite the line, so a progress bar shows its final state', () => {
    const [segments] = read('Downloading  10%\rDownloading  55%\rDownloading 100%');
    expect(segments).toEqual([{ text: 'Downloading 100%' }]);
  });

  it('keeps the rest of a longer earlier text that a shorter one did not overwrite', () => {
    expect(read('abcdef\rXY')[0]).toEqual([{ text: 'XYcdef' }]);
  });

  it('honours erase-in-line: to the end, to the start, and the whole line', () => {
    expect(read('abcdef\r\x1b[Kxy')[0]).toEqual([{ text: 'xy' }]);
    expect(read('abc\rab\x1b[1Kz')[0]).toEqual([{ text: '  z' }]);
    expect(read('abc\x1b[2Kdef')[0]).toEqual([{ text: '   def' }]);
  });

  it('keeps colours through an overwrite', () => {
    expect(read(`${E}[31m 10%\r${E}[32m100%`)[0]).toEqual([{ text: '100%', classes: 'f2' }]);
  });

  it('drops cursor moves, screen clears, window titles and control characters instead of printing them', () => {
    const [segments] = read(`${E}[2J${E}[H${E}]0;build: gauge${E}\\a${E}[?25lb\x00c\x08d${E}[5Ae${E}(Bf${E}7g\x07h\x9bi`);
    expect(segments).toEqual([{ text: 'abcdefghi' }]);
  });

  it('turns OSC 8 hyperlinks into links only for http(s) URLs', () => {
    const [segments] = read(`see ${E}]8;;https://ci.example/run/1${E}\\the run${E}]8;;${E}\\ or ${E}]8;;javascript:alert(1)\x07this${E}]8;;\x07 or ${E}]8;id=x;file:///etc/passwd\x07that${E}]8;;\x07`);
    expect(segments).toEqual([{ text: 'see ' }, { text: 'the run', href: 'https://ci.example/run/1' }, { text: ' or this or that' }]);
    expect(safeHref('HTTPS://Example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeHref('//example.org/')).toBeUndefined();
  });

  it('never lets an escape or control character through, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('\x1b', '\x1b[', '\x1b]', '\r', '\x07', '\x1b\\', '[31m', ';', '8;;', '\x00', '\x9b')), { maxLength: 40 }), (parts) => {
        const text = new TerminalReader().read(parts.join('')).map((segment) => segment.text).join('');
        expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PARSED_TITLE, titlePieces } from '../../../scripts/render/title-code.ts';

const code = (text: string) => ({ text, code: true });
const plain = (text: string) => ({ text, code: false });

describe('titlePieces', () => {
  it('shows the code spans of real pull request titles as code', () => {
    // ky's pull requests #287 and #204.
    expect(titlePieces('Fix `ky.extend()` not inheriting its parent and add `ky.create()`')).toEqual([
      plain('Fix '),
      code('ky.extend()'),
      plain(' not inheriting its parent and add '),
      code('ky.create()'),
    ]);
    expect(titlePieces('Add `prefixUrl` option')).toEqual([plain('Add '), code('prefixUrl'), plain(' option')]);
  });

  it('leaves a title without a code span as written, Markdown characters included', () => {
    expect(titlePieces('Fix *two* bugs in [docs](x) #12')).toEqual([plain('Fix *two* bugs in [docs](x) #12')]);
    expect(titlePieces('1. `a` <b>x</b>')).toEqual([plain('1. '), code('a'), plain(' <b>x</b>')]);
    expect(titlePieces('an unmatched ` backtick')).toEqual([plain('an unmatched ` backtick')]);
  });

  it('follows CommonMark for runs of backticks and the space inside them', () => {
    expect(titlePieces('Use `` a`b `` here')).toEqual([plain('Use '), code('a`b'), plain(' here')]);
    expect(titlePieces('``not closed` here')).toEqual([plain('``not closed` here')]);
    expect(titlePieces('escaped \\`not code\\` here')).toEqual([plain('escaped \\`not code\\` here')]);
  });

  it('keeps a title nested thousands deep as written, at once, instead of failing the page', () => {
    const deep = `${'> '.repeat(20_000)}\`x\``;
    const started = performance.now();
    expect(titlePieces(deep)).toEqual([plain(deep)]);
    expect(performance.now() - started).toBeLessThan(1000);
    const nested = `${'>'.repeat(MAX_PARSED_TITLE - 3)}\`x\``;
    expect(titlePieces(nested).filter((piece) => piece.code)).toEqual([code('x')]);
  });

  it('loses and adds no text: the pieces are the title less its backticks and the spaces inside them', () => {
    const strip = (text: string) => text.replace(/[` ]/g, '');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z `*_\\<>[\]().#-]{0,40}$/), (title) => {
        const pieces = titlePieces(title);
        expect(strip(pieces.map((piece) => piece.text).join(''))).toBe(strip(title));
        if ((title.match(/`/g) ?? []).length < 2) expect(pieces.every((piece) => !piece.code)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

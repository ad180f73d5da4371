import { describe, expect, it } from 'vitest';
import { excerptParts } from '../../../src/scripts/search-excerpt.ts';

describe('excerptParts', () => {
  it('splits an excerpt into plain text and the marked words', () => {
    expect(excerptParts('only the sync byte <mark>vouches</mark> for it')).toEqual([
      { text: 'only the sync byte ', marked: false },
      { text: 'vouches', marked: true },
      { text: ' for it', marked: false },
    ]);
  });

  it('gives back the text Pagefind escaped, as text: markup from the archive never becomes an element', () => {
    const parts = excerptParts('a &lt;script&gt;alert(1)&lt;/script&gt; and <mark>&lt;mark&gt;</mark> & more');
    expect(parts).toEqual([
      { text: 'a <script>alert(1)</script> and ', marked: false },
      { text: '<mark>', marked: true },
      { text: ' & more', marked: false },
    ]);
  });

  it('handles an excerpt that starts and ends with a mark, or has none', () => {
    expect(excerptParts('<mark>a</mark> <mark>b</mark>')).toEqual([
      { text: 'a', marked: true },
      { text: ' ', marked: false },
      { text: 'b', marked: true },
    ]);
    expect(excerptParts('plain')).toEqual([{ text: 'plain', marked: false }]);
    expect(excerptParts('')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { branchHits, excerptRepeatsTitle, type PagefindResult } from '../../../src/scripts/search-places.ts';

/** Trimmed from what Pagefind's `data()` gave for a branch page of scripts/search/document.ts. */
const kelp: PagefindResult = {
  url: '/reviews/branch/4/',
  excerpt: '<mark>Kelp</mark> counting. #4 <mark>fix-kelp.</mark> We count <mark>kelp</mark> here. Count <mark>kelp.</mark>',
  meta: { title: 'Kelp counting', branchId: '4', branch: 'fix-kelp' },
  sub_results: [
    { title: 'Kelp counting', url: '/reviews/branch/4/', excerpt: '<mark>Kelp</mark> counting. #4 <mark>fix-kelp.</mark> We count <mark>kelp</mark> here.' },
    { title: 'Count kelp', url: '/reviews/branch/4/#step-1', anchor: { element: 'h2', id: 'step-1' }, excerpt: 'Count <mark>kelp.</mark> The <mark>kelp</mark> counter walks the beds.' },
    { title: 'src/kelp.ts', url: '/reviews/branch/4/#diff-src-kelp-ts', anchor: { element: 'h3', id: 'diff-src-kelp-ts' }, excerpt: '<mark>src/kelp.ts.</mark>' },
  ],
};

describe('branchHits', () => {
  it("keeps the branch's own excerpt apart from its steps and files, which it tells apart by their heading", () => {
    expect(branchHits(kelp)).toEqual({
      excerpt: '<mark>Kelp</mark> counting. #4 <mark>fix-kelp.</mark> We count <mark>kelp</mark> here.',
      places: [
        { kind: 'step', url: '/reviews/branch/4/#step-1', title: 'Count kelp', excerpt: 'Count <mark>kelp.</mark> The <mark>kelp</mark> counter walks the beds.' },
        { kind: 'file', url: '/reviews/branch/4/#diff-src-kelp-ts', title: 'src/kelp.ts', excerpt: '<mark>src/kelp.ts.</mark>' },
      ],
    });
  });

  it("has no branch excerpt when only a step matched: the branch's own text did not", () => {
    expect(branchHits({ ...kelp, sub_results: kelp.sub_results!.slice(1, 2) })).toEqual({ excerpt: undefined, places: [expect.objectContaining({ kind: 'step' })] });
  });

  it('falls back to the whole excerpt when Pagefind gives no sub-results', () => {
    expect(branchHits({ ...kelp, sub_results: [] })).toEqual({ excerpt: kelp.excerpt, places: [] });
  });

  it('counts a heading it does not know as the branch text, never as a step, file or comment', () => {
    const odd = { title: 'x', url: '/b/', anchor: { element: 'h5', id: 'x' }, excerpt: 'odd' };
    expect(branchHits({ ...kelp, sub_results: [odd] })).toEqual({ excerpt: 'odd', places: [] });
  });
});

describe('excerptRepeatsTitle', () => {
  it('sees a file excerpt that is only its path, with the full stop Pagefind adds', () => {
    expect(excerptRepeatsTitle('src/kelp.ts.', 'src/kelp.ts')).toBe(true);
    expect(excerptRepeatsTitle('src/kelp.ts', 'src/kelp.ts')).toBe(true);
  });

  it('keeps an excerpt that says more than the title', () => {
    expect(excerptRepeatsTitle('Count kelp. The kelp counter walks the beds.', 'Count kelp')).toBe(false);
  });
});

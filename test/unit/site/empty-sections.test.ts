import { describe, expect, it } from 'vitest';
import { emptySections } from '../../../src/lib/empty-sections.ts';
import type { SiteBranch } from '../../../scripts/schema/site.ts';

const step = {} as SiteBranch['steps'][number];
const run = {} as SiteBranch['runs'][number];

describe('emptySections', () => {
  it('says in one line which sections a branch has nothing for', () => {
    expect(emptySections({ runs: [], summaryHtml: '', steps: [], tutorial: 'none' })).toEqual({ ci: true, summary: true, steps: true, line: 'No CI runs · no summary · no tutorial' });
  });

  it('names only the empty ones, and a tutorial that is being written or failed for what it is', () => {
    expect(emptySections({ runs: [], summaryHtml: '<p>Why</p>', steps: [], tutorial: 'pending' }).line).toBe('No CI runs · tutorial being written');
    expect(emptySections({ runs: [run], summaryHtml: ' \n', steps: [], tutorial: 'failed' }).line).toBe('No summary · tutorial generation failed');
  });

  it('has no line when every section has content', () => {
    expect(emptySections({ runs: [run], summaryHtml: '<p>x</p>', steps: [step], tutorial: 'ready' })).toEqual({ ci: false, summary: false, steps: false, line: undefined });
  });
});

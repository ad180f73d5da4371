import { describe, expect, it } from 'vitest';
import { searchRecordsSchema } from '../../../scripts/schema/search.ts';
import type { SiteBranch, SiteDiffFile, SiteStep } from '../../../scripts/schema/site.ts';
import { htmlToText, searchRecords } from '../../../scripts/search/records.ts';

function step(number: number, title: string, intentHtml: string, bodyHtml: string): SiteStep {
  return { number, anchor: `step-${number}`, title, intentHtml, bodyHtml, files: [], evidence: [], generated: false };
}

function file(anchor: string, oldPath: string | null, newPath: string | null, status: SiteDiffFile['status']): SiteDiffFile {
  const path = (newPath ?? oldPath)!;
  return { anchor, path, oldPath, newPath, status, binary: false, additions: 1, deletions: 0, language: 'text', lineAnchor: 'f0', hunks: [] };
}

const branch: SiteBranch = {
  id: 7,
  name: 'greet-in-french',
  title: 'Greet visitors in French',
  state: 'merged',
  target: 'main',
  head: 'a'.repeat(40),
  base: 'b'.repeat(40),
  author: 'Ada',
  updated: '2026-01-05T10:00:00Z',
  tutorial: 'ready',
  ci: 'none',
  summaryHtml: '<p>Says <em>bonjour</em> &amp; <code>au&nbsp;revoir</code>.</p>\n<ul>\n<li>first</li><li>second</li>\n</ul>',
  runs: [],
  steps: [
    step(1, 'Choose the greeting', '<p>Pick <code>bonjour</code> over <code>salut</code>.</p>', '<p>Formal&#x3C;casual</p><p>tidewater</p>'),
    step(2, 'Document it', '<p>Say so in the README.</p>', ''),
  ],
  diff: {
    files: [file('diff-src-greet-ts', 'src/greet.ts', 'src/greet.ts', 'modified'), file('diff-docs-fr-md', 'docs/old-fr.md', 'docs/fr.md', 'renamed'), file('diff-legacy-txt', 'legacy.txt', null, 'deleted')],
    additions: 3,
    deletions: 0,
  },
};

describe('searchRecords', () => {
  const records = searchRecords(branch);

  it('makes one record for the branch, one per step and one per file, in page order', () => {
    expect(records.map((r) => r.url)).toEqual([
      'branch/7/',
      'branch/7/#step-1',
      'branch/7/#step-2',
      'branch/7/#diff-src-greet-ts',
      'branch/7/#diff-docs-fr-md',
      'branch/7/#diff-legacy-txt',
    ]);
    expect(records.map((r) => r.meta.kind)).toEqual(['branch', 'step', 'step', 'file', 'file', 'file']);
  });

  it('gives site-relative URLs without a base or a leading slash, so any base can be put in front', () => {
    for (const record of records) expect(record.url).toMatch(/^branch\/7\//);
    expect(() => searchRecordsSchema.parse(records)).not.toThrow();
  });

  it('finds the branch by its name, title and summary, read as text', () => {
    expect(records[0]!.meta).toEqual({ title: 'greet-in-french · #7', kind: 'branch', branchId: '7', branch: 'greet-in-french' });
    expect(records[0]!.content).toBe('greet-in-french Greet visitors in French Says bonjour & au revoir. first second');
  });

  it('finds a step by its title, intent and explanation, with the markup gone and entities decoded', () => {
    expect(records[1]!.meta).toMatchObject({ title: 'Choose the greeting', kind: 'step', branch: 'greet-in-french' });
    expect(records[1]!.content).toBe('Choose the greeting Pick bonjour over salut. Formal<casual tidewater');
    expect(records[2]!.content).toBe('Document it Say so in the README.');
  });

  it('finds a file by its path, and a renamed file by its old path too', () => {
    expect(records[3]).toMatchObject({ content: 'src/greet.ts', meta: { title: 'src/greet.ts', kind: 'file' } });
    expect(records[4]).toMatchObject({ content: 'docs/old-fr.md docs/fr.md', meta: { title: 'docs/old-fr.md → docs/fr.md' } });
    expect(records[5]).toMatchObject({ content: 'legacy.txt', meta: { title: 'legacy.txt' } });
  });
});

describe('htmlToText', () => {
  it('keeps words of neighbouring blocks, list items, cells and lines apart', () => {
    expect(htmlToText('<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul><table><tr><td>five</td><td>six</td></tr></table><p>seven<br>eight</p>')).toBe(
      'one two three four five six seven eight',
    );
  });

  it('keeps inline markup inside a word together', () => {
    expect(htmlToText('<p>un<strong>break</strong>able <code>decode_frame</code></p>')).toBe('unbreakable decode_frame');
  });

  it('reads highlighted code as its text', () => {
    expect(htmlToText('<pre class="code-block"><code><span class="k1">let</span> x = <span class="k2">"a &lt; b"</span>;\n</code></pre>')).toBe('let x = "a < b";');
  });

  it('gives nothing for an empty fragment', () => {
    expect(htmlToText('')).toBe('');
  });
});

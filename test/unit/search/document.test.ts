import { describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { searchDocumentSchema } from '../../../scripts/schema/search.ts';
import type { SiteBranch, SiteDiffFile, SiteStep } from '../../../scripts/schema/site.ts';
import { htmlToText, searchDocument } from '../../../scripts/search/document.ts';
import { searchPageHtml } from '../../../scripts/search/search-page.ts';

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

describe('searchDocument', () => {
  const document = searchDocument(branch);

  it('has the branch, then one section per step and one per file, in page order, each with its anchor', () => {
    expect(document.url).toBe('branch/7/');
    expect(document.sections.map((section) => [section.kind, section.anchor])).toEqual([
      ['step', 'step-1'],
      ['step', 'step-2'],
      ['file', 'diff-src-greet-ts'],
      ['file', 'diff-docs-fr-md'],
      ['file', 'diff-legacy-txt'],
    ]);
  });

  it('gives a site-relative URL without a base or a leading slash, so any base can be put in front', () => {
    expect(() => searchDocumentSchema.parse(document)).not.toThrow();
    expect(() => searchDocumentSchema.parse({ ...document, url: '/branch/7/' })).toThrow(/site-relative/);
  });

  it('reads the summary as text', () => {
    expect(document).toMatchObject({ branchId: 7, branch: 'greet-in-french', title: 'Greet visitors in French' });
    expect(document.text).toBe('Says bonjour & au revoir. first second');
  });

  it('finds a step by its title, intent and explanation, with the markup gone and entities decoded', () => {
    expect(document.sections[0]).toEqual({ kind: 'step', anchor: 'step-1', title: 'Choose the greeting', text: 'Pick bonjour over salut. Formal<casual tidewater' });
    expect(document.sections[1]).toMatchObject({ title: 'Document it', text: 'Say so in the README.' });
  });

  it('finds a file by its path, and a renamed file by its old path too', () => {
    expect(document.sections.slice(2).map((section) => section.title)).toEqual(['src/greet.ts', 'docs/old-fr.md → docs/fr.md', 'legacy.txt']);
  });
});

describe('searchPageHtml', () => {
  const html = searchPageHtml({
    url: 'branch/9/',
    branchId: 9,
    branch: 'fix/<script>',
    title: 'Escape "quotes" & <tags>',
    text: 'a < b',
    sections: [
      { kind: 'step', anchor: 'step-1', title: 'One <b>', text: 'x & y' },
      { kind: 'file', anchor: 'diff-a-ts', title: 'a.ts', text: '' },
    ],
  });
  const tree = fromHtml(html);

  it('puts each step under an h2 and each file under an h3 whose id is its anchor: Pagefind makes them sub-results', () => {
    expect(html).toContain('<h2 id="step-1">One &lt;b&gt;</h2><p>x &amp; y</p>');
    expect(html).toContain('<h3 id="diff-a-ts">a.ts</h3>');
  });

  it('marks the title, the branch name and number for the result, escaping all of the archive text', () => {
    expect(html).toContain('<h1 data-pagefind-meta="title">Escape &quot;quotes&quot; &amp; &lt;tags&gt;</h1>');
    expect(html).toContain('#<span data-pagefind-meta="branchId">9</span> <span data-pagefind-meta="branch">fix/&lt;script&gt;</span>');
    expect(html).not.toContain('<script');
    expect(toText(tree).replace(/\s+/g, ' ').trim()).toBe('Escape "quotes" & <tags> #9 fix/<script> a < b One <b> x & y a.ts');
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

describe('searchDocument: CI runs', () => {
  const lane = (name: string, status: SiteBranch['runs'][number]['lanes'][number]['status'], firstErrors?: Array<{ text: string; anchor: string }>) => ({ name, status, anchor: `run-9-${name}`, hasLog: true, firstErrors });
  const withCi: SiteBranch = {
    ...branch,
    runs: [
      { id: 9, status: 'failed', head: 'a'.repeat(40), queuedAt: '2026-01-05T09:00:00Z', anchor: 'run-9', laneCounts: { failed: 1, success: 1 }, lanes: [lane('gauge', 'failed', [{ text: "thread 'wind::tests::direction_wraps_at_north' panicked at gauge/src/wind.rs:112:9:", anchor: 'run-9-gauge-L89' }]), lane('web', 'success')] },
    ],
  };

  it('indexes each run with its lane names and the first error lines of its failed lanes, anchored at the run on the branch page', () => {
    expect(searchDocument(withCi).sections.at(-1)).toEqual({
      kind: 'ci',
      anchor: 'ci-run-9',
      title: 'CI run #9 failed: gauge failed',
      text: "Lanes: gauge, web. gauge: thread 'wind::tests::direction_wraps_at_north' panicked at gauge/src/wind.rs:112:9:",
    });
  });
});

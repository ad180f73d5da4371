import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import { renderBranch } from '../../../scripts/render/render-branch.ts';
import { escapeHtml } from '../../../scripts/render/html.ts';
import type { HighlightRequest } from '../../../scripts/render/highlight-file.ts';
import type { LoadedBranch } from '../../../scripts/archive/load-archive.ts';
import type { ResolvedBranch } from '../../../scripts/build/resolve-branch.ts';
import { discussionFileSchema, type Discussion } from '../../../scripts/schema/discussion.ts';
import { firstWords, renderSuggestion } from '../../../scripts/discussion/render-discussion.ts';
import { latestVerdicts } from '../../../scripts/discussion/verdicts.ts';

const PATCH = `diff --git a/src/app.ts b/src/app.ts
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,3 +1,3 @@
 const a = 1;
-const b = 2;
+const b = 20;
 export { a, b };
diff --git a/package-lock.json b/package-lock.json
--- a/package-lock.json
+++ b/package-lock.json
@@ -1,2 +1,2 @@
-{"v": 1}
+{"v": 2}
 {}
`;

/** Plain text as "highlighted" code: enough to see where rows and threads go. */
const highlight = async (request: HighlightRequest) => request.hunks.map((lines) => lines.map((line) => escapeHtml(line.text)));

async function render(discussion: unknown) {
  const parsed = parsePatch(PATCH);
  if (!parsed.ok) throw new Error('test patch does not parse');
  const data: Discussion = discussionFileSchema.parse(discussion);
  const branch = {
    front: { id: 1, name: 'b', title: 'B', state: 'merged', target: 'main', merge_commit: 'c'.repeat(40), head: 'a'.repeat(40), base: 'b'.repeat(40), author: 'Ada', updated: '2026-01-05T00:00:00Z', tutorial: 'none' },
    summary: '',
    steps: [],
    runs: [],
    assets: { old: new Map(), new: new Map() },
    discussion: data,
  } as unknown as LoadedBranch;
  const resolved: ResolvedBranch = { branch, patch: parsed.patch, steps: [] };
  return renderBranch(resolved, { highlight, maxChangedLines: 2000, authors: { ana: { name: 'Ana Lima', url: 'https://example.org/ana' } } });
}

const comment = (body: string, at = '2026-01-02T10:00:00Z', author = 'ana') => ({ author, at, body });

describe('threads in the rendered diff', () => {
  it('puts a thread row right after its line, with an anchor, and resolved ones collapsed with their first words', async () => {
    const site = await render({
      threads: [
        { file: 'src/app.ts', side: 'new', line: 2, comments: [comment('Why 20?')] },
        { file: 'src/app.ts', side: 'old', line: 2, resolved: true, comments: [comment('The old value was a **guess** from the first prototype of this module, kept too long.')] },
      ],
    });
    const html = site.diff.files[0]!.hunks[0]!.html;
    const rows = html.split('<tr class=').slice(1).map((row) => row.slice(0, 1));
    expect(rows).toEqual(['c', 'd', 't', 'a', 't', 'c']);
    expect(html).toMatch(/<tr class=d>.*?-<td>const b = 2;<tr class=t><td colspan=4><details class="thread is-resolved" id="thread-2"><summary>/);
    expect(html).toContain('resolved</span> <span class="thread-excerpt">Ana Lima: The old value was a guess from the first prototype of this\u2026</span>');
    expect(html).toMatch(/const b = 20;<tr class=t><td colspan=4><div class="thread" id="thread-1">/);
    expect(html).toContain('<a href="https://example.org/ana" rel="nofollow">Ana Lima</a></span> <time datetime="2026-01-02T10:00:00Z">2026-01-02 10:00 UTC</time>');
  });

  it('places a thread on a collapsed file like any other, and the Conversation says the file is collapsed', async () => {
    const site = await render({ threads: [{ file: 'package-lock.json', side: 'new', line: 1, comments: [comment('Lock bump intended?')] }] });
    const lock = site.diff.files[1]!;
    expect(lock.collapsed).toBeDefined();
    expect(lock.hunks[0]!.html).toContain('<div class="thread" id="thread-1">');
    const event = site.discussion!.events.find((e) => e.kind === 'thread')!;
    expect(event.thread).toMatchObject({ anchor: 'thread-1', file: 'package-lock.json', where: 'line 1', inCollapsedFile: true, fileAnchor: lock.anchor });
  });

  it('shows an outdated thread in the Conversation with its own hunk, marked outdated, and nowhere in the diff', async () => {
    const site = await render({
      threads: [{ file: 'src/app.ts', side: 'new', line: 7, outdated: true, hunk: '@@ -5,2 +5,2 @@\n-let c = 3;\n+let c = 30;\n', comments: [comment('Was 30 meant?')] }],
    });
    expect(site.diff.files.flatMap((f) => f.hunks).some((h) => h.html.includes('thread'))).toBe(false);
    const html = site.discussion!.events.find((e) => e.kind === 'thread')!.thread!.html!;
    expect(html).toContain('<div class="thread" id="thread-1">');
    expect(html).toContain('<code class="hunk-range">@@ -5,2 +5,2 @@</code> <span class="thread-flag">outdated</span>');
    expect(html).toContain('<tr class=d><td>5<td><td>-<td>let c = 3;<tr class=a><td><td>5<td>+<td>let c = 30;');
  });

  it('orders the Conversation by time, the merge last, and counts comments of threads and the conversation', async () => {
    const site = await render({
      reviews: [{ author: 'bo', state: 'approved', submitted_at: '2026-01-03T00:00:00Z' }],
      comments: [comment('first', '2026-01-01T00:00:00Z')],
      threads: [{ file: 'src/app.ts', side: 'new', line: 2, comments: [comment('x', '2026-01-02T00:00:00Z'), comment('y', '2026-01-04T00:00:00Z')] }],
    });
    expect(site.discussion!.events.map((e) => e.kind)).toEqual(['comment', 'thread', 'review', 'merge']);
    expect(site.discussion!.comments).toBe(3);
    expect(site.discussion!.reviewers).toEqual([{ person: { login: 'bo', name: 'bo' }, state: 'approved', at: '2026-01-03T00:00:00Z' }]);
  });

  it('turns a suggestion into the commented lines removed and the suggested lines added', async () => {
    const site = await render({
      threads: [{ file: 'src/app.ts', side: 'new', line: 2, comments: [comment('Name it:\n\n```suggestion\nconst bee = 20;\n```')] }],
    });
    const html = site.diff.files[0]!.hunks[0]!.html;
    expect(html).toContain('<figure class="suggestion"><figcaption>Suggested change</figcaption>');
    expect(html).toContain('<tbody><tr class=d><td><td><td>-<td>const b = 20;<tr class=a><td><td><td>+<td>const bee = 20;</tbody>');
  });
});

describe('suggestions', () => {
  it('shows an empty suggestion as deleting the commented lines', async () => {
    const html = await renderSuggestion([{ kind: 'add', text: 'x <y>', newLine: 3 }], '', 'text', highlight);
    expect(html).toContain('<tbody><tr class=d><td><td><td>-<td>x &lt;y&gt;</tbody>');
  });
});

describe('verdicts and first words', () => {
  const review = (author: string, state: 'approved' | 'changes_requested' | 'commented' | 'dismissed', at: string) => ({ author, state, submitted_at: at });

  it('keeps an approval over a later remark, but a later change request or dismissal replaces it', () => {
    expect(
      latestVerdicts([
        review('a', 'approved', '2026-01-01T00:00:00Z'),
        review('a', 'commented', '2026-01-02T00:00:00Z'),
        review('b', 'approved', '2026-01-01T00:00:00Z'),
        review('b', 'changes_requested', '2026-01-03T00:00:00Z'),
        review('c', 'commented', '2026-01-01T00:00:00Z'),
        review('d', 'dismissed', '2026-01-04T00:00:00Z'),
        review('d', 'approved', '2026-01-02T00:00:00Z'),
      ]).map((v) => `${v.author} ${v.state}`),
    ).toEqual(['a approved', 'b changes_requested', 'c commented', 'd dismissed']);
  });

  it('reads the first words of markdown as plain text', () => {
    expect(firstWords('**Bold** `code` [link](https://x) and\n\n```ts\nhidden\n```\nafter', 5)).toBe('Bold code link and after');
  });
});

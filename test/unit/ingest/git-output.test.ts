import { describe, expect, it } from 'vitest';
import { applyWindow, collectMerged, type Candidate } from '../../../scripts/ingest/candidates.ts';
import { splitDiffOutput } from '../../../scripts/ingest/git/diffs.ts';
import { parseCommitRecords, type CommitInfo } from '../../../scripts/ingest/git/history.ts';
import { selectOpenBranches } from '../../../scripts/ingest/git/open-branches.ts';
import type { Target } from '../../../scripts/ingest/git/repository.ts';

const sha = (c: string) => c.repeat(40);
const target: Target = { name: 'main', ref: 'refs/heads/main', names: ['main'], sha: sha('f') };

describe('reading git output', () => {
  it('splits log records on NUL and keeps a message that holds blank lines whole', () => {
    const output = `${sha('a')}\x1f${sha('b')} ${sha('c')}\x1f2026-01-01T10:00:00+01:00\x1fAda\x1fMerge pull request #1 from o/x\n\nTitle\n\x00\n${sha('b')}\x1f\x1f2026-01-01T09:00:00Z\x1fBob\x1fInitial\n\x00`;
    expect(parseCommitRecords(output)).toEqual([
      { sha: sha('a'), parents: [sha('b'), sha('c')], committed: '2026-01-01T10:00:00+01:00', author: 'Ada', message: 'Merge pull request #1 from o/x\n\nTitle' },
      { sha: sha('b'), parents: [], committed: '2026-01-01T09:00:00Z', author: 'Bob', message: 'Initial' },
    ]);
  });

  it('cuts diff-tree output into one patch per request, an empty one included', () => {
    const output = `\x00review-archive-diff ${sha('a')}\n\ndiff --git a/x b/x\n+1\n\x00review-archive-diff ${sha('b')}\n`;
    expect(splitDiffOutput(output, [{ commit: sha('a'), parent: sha('c') }, { commit: sha('b'), parent: sha('c') }])).toEqual(['diff --git a/x b/x\n+1\n', '']);
  });

  it('refuses diff-tree output that does not answer the requests in order', () => {
    const output = `\x00review-archive-diff ${sha('b')}\n`;
    expect(() => splitDiffOutput(output, [{ commit: sha('a'), parent: sha('c') }])).toThrow(/diff of b+ where a+ was expected/);
  });

  it('keeps one open branch per name, preferring the local one, and skips HEAD and the target', () => {
    const line = (ref: string, symref = '') => [ref, sha('1'), symref, '2026-01-01T00:00:00Z', 'Ada', `tip of ${ref}`].join('\x1f');
    const output = [line('refs/heads/search'), line('refs/remotes/origin/search'), line('refs/remotes/origin/HEAD', 'refs/remotes/origin/main'), line('refs/remotes/origin/main'), line('refs/remotes/upstream/feature/x')].join('\n');
    expect(selectOpenBranches(output, target).map((ref) => [ref.name, ref.ref])).toEqual([
      ['feature/x', 'refs/remotes/upstream/feature/x'],
      ['search', 'refs/heads/search'],
    ]);
  });
});

describe('finding merged branches in the first-parent history', () => {
  const commit = (id: string, message: string, parents: string[], committed = '2026-01-01T00:00:00Z'): CommitInfo => ({ sha: sha(id), parents, committed, author: 'Merger', message });

  it('takes the second parent as head for a merge and the commit itself for a squash, and lists every pull-request number', () => {
    const history = [
      commit('a', 'Add search (#9)', [sha('b')]),
      commit('b', "Merge branch 'fix'", [sha('c'), sha('d')]),
      commit('c', 'Merge pull request #3 from o/docs\n\nWrite docs', [sha('e'), sha('9')]),
      commit('e', 'Direct commit', [sha('0')]),
    ];
    const { merged, knownNumbers } = collectMerged(history, target);
    expect(merged.map((m) => [m.name, m.number, m.head, m.base, m.title, m.author])).toEqual([
      ['pull/9', 9, sha('a'), sha('b'), 'Add search', 'Merger'],
      ['fix', undefined, sha('d'), sha('c'), undefined, undefined],
      ['docs', 3, sha('9'), sha('e'), 'Write docs', undefined],
    ]);
    expect(knownNumbers).toEqual([9, 3]);
  });

  it('keeps the branches updated since a date, then the most recent few', () => {
    const candidate = (key: string, updated: string) => ({ key, updated }) as Candidate;
    const all = [candidate('a', '2026-01-01T00:00:00Z'), candidate('b', '2026-03-01T00:00:00Z'), candidate('c', '2026-02-01T00:00:00+01:00')];
    expect(applyWindow(all, new Date('2026-01-15'), undefined).map((c) => c.key)).toEqual(['b', 'c']);
    expect(applyWindow(all, undefined, 1).map((c) => c.key)).toEqual(['b']);
  });
});

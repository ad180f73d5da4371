import { describe, expect, it } from 'vitest';
import { emptyState, formatIngestState, parseIngestState } from '../../../scripts/ingest/ingest-state.ts';

describe('the ingest state file', () => {
  it('reads back what it writes, with keys in a stable order', () => {
    const state = emptyState('main');
    state.branches['open:b'] = { id: 2, folder: '2-b', name: 'b', head: 'x', updated: 'u', fingerprint: 'f', files: { 'diff.patch': '1', 'branch.md': '2' } };
    state.branches['merge:a'] = { id: 1, folder: '1-a', name: 'a', head: 'y', updated: 'u', fingerprint: 'g', files: {} };
    const text = formatIngestState(state);
    expect(text.indexOf('merge:a')).toBeLessThan(text.indexOf('open:b'));
    expect(text.indexOf('branch.md')).toBeLessThan(text.indexOf('diff.patch'));
    expect(parseIngestState(text, 's.json')).toEqual({ state, problems: [] });
  });

  it('names the file, field and line of a broken entry', () => {
    const text = '{\n  "version": 1,\n  "target": "main",\n  "branches": {\n    "merge:a": { "id": "seven", "folder": "7-a", "name": "a", "head": "h", "updated": "u", "fingerprint": "", "files": {} }\n  }\n}\n';
    const { problems } = parseIngestState(text, 'content/.ingest-state.json');
    expect(problems).toEqual([{ file: 'content/.ingest-state.json', line: 5, field: 'branches.merge:a.id', message: 'must be a number, not "seven"' }]);
  });

  it('says how to recover from a state file that is not JSON', () => {
    expect(parseIngestState('{ "version": 1,', 's.json').problems[0]!.message).toMatch(/^is not valid JSON .*restore it from version control or delete it/);
  });
});

import { describe, expect, it } from 'vitest';
import { assignIds, type IdRequest, type RecordedId } from '../../../scripts/ingest/assign-ids.ts';

const merged = (key: string, updated: string, number?: number, name = key): IdRequest => ({ key, kind: 'merged', name, number, updated });
const open = (name: string, updated: string): IdRequest => ({ key: `open:${name}`, kind: 'open', name, updated });

describe('assigning branch ids', () => {
  it('uses the pull-request number, and numbers the rest above every id and number seen, oldest first', () => {
    const { ids } = assignIds({
      requests: [merged('merge:c', '2026-01-03T00:00:00Z'), merged('merge:a', '2026-01-01T00:00:00Z', 7), merged('merge:b', '2026-01-02T00:00:00Z'), open('wip', '2026-01-04T00:00:00Z')],
      recorded: new Map(),
      foreignIds: [],
      knownNumbers: [7, 30],
    });
    expect(Object.fromEntries(ids)).toEqual({ 'merge:a': 7, 'merge:b': 31, 'merge:c': 32, 'open:wip': 33 });
  });

  it('never changes an id recorded earlier', () => {
    const recorded = new Map<string, RecordedId>([['merge:b', { id: 3, name: 'b', updated: '2026-01-02T00:00:00Z' }]]);
    const { ids } = assignIds({ requests: [merged('merge:b', '2026-01-02T00:00:00Z', 50)], recorded, foreignIds: [], knownNumbers: [50] });
    expect(ids.get('merge:b')).toBe(3);
  });

  it('gives a pull request whose number is taken a new id, and says why', () => {
    const recorded = new Map<string, RecordedId>([['merge:old', { id: 12, name: 'old', updated: '2026-01-01T00:00:00Z' }]]);
    const { ids, notes } = assignIds({ requests: [merged('merge:new', '2026-02-01T00:00:00Z', 12, 'fix-login')], recorded, foreignIds: [], knownNumbers: [12] });
    expect(ids.get('merge:new')).toBe(13);
    expect(notes).toEqual(['pull request #12 (fix-login) cannot have id 12: it belongs to merge:old; it gets a new id']);
  });

  it('keeps clear of branch folders that ingest did not write', () => {
    const { ids } = assignIds({ requests: [merged('merge:a', '2026-01-01T00:00:00Z', 4), merged('merge:b', '2026-01-02T00:00:00Z')], recorded: new Map(), foreignIds: [4, 9], knownNumbers: [4] });
    expect(ids.get('merge:a')).toBe(10);
    expect(ids.get('merge:b')).toBe(11);
  });

  it('lets a branch that was open keep its id once it is merged', () => {
    const recorded = new Map<string, RecordedId>([['open:search', { id: 20, name: 'search', updated: '2026-01-01T00:00:00Z' }]]);
    const { ids, adopted } = assignIds({ requests: [merged('merge:x', '2026-01-05T00:00:00Z', undefined, 'search')], recorded, foreignIds: [], knownNumbers: [] });
    expect(ids.get('merge:x')).toBe(20);
    expect(adopted.get('merge:x')).toBe('open:search');
  });

  it('does not hand an open branch id to a merge while that branch is still open', () => {
    const recorded = new Map<string, RecordedId>([['open:search', { id: 20, name: 'search', updated: '2026-01-01T00:00:00Z' }]]);
    const { ids } = assignIds({ requests: [merged('merge:x', '2026-01-05T00:00:00Z', undefined, 'search'), open('search', '2026-01-06T00:00:00Z')], recorded, foreignIds: [], knownNumbers: [] });
    expect(ids.get('open:search')).toBe(20);
    expect(ids.get('merge:x')).toBe(21);
  });
});

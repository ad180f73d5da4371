import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readListText } from '../../../scripts/import/forge/export-files.ts';
import { readListItems, splitTopLevel } from '../../../scripts/import/forge/json-pages.ts';
import { githubPullSchema } from '../../../scripts/import/github/github-schema.ts';

const ids = (text: string, wrapper?: string) => readListItems({ file: 'x.json', text }, wrapper).items.map((item) => (item.value as { id: number }).id);

describe('reading what gh api saves', () => {
  it('reads pages printed one after another by --paginate', () => {
    expect(ids('[{"id":1},{"id":2}]\n[{"id":3}]\n')).toEqual([1, 2, 3]);
    expect(ids('[{"id":1}][{"id":2}]')).toEqual([1, 2]);
  });

  it('reads an array of pages from --slurp, and an empty export', () => {
    expect(ids('[[{"id":1}],[{"id":2},{"id":3}]]')).toEqual([1, 2, 3]);
    expect(ids('[]')).toEqual([]);
  });

  it('reads wrapper objects such as check runs and jobs, concatenated or slurped', () => {
    expect(ids('{"total_count":2,"check_runs":[{"id":1}]}{"total_count":2,"check_runs":[{"id":2}]}', 'check_runs')).toEqual([1, 2]);
    expect(ids('[{"total_count":1,"jobs":[{"id":7}]},{"total_count":1,"jobs":[{"id":8}]}]', 'jobs')).toEqual([7, 8]);
  });

  it('does not split inside strings that hold brackets and quotes', () => {
    expect(splitTopLevel('[{"body":"a ] \\" [ b"}] [1]').spans).toEqual([
      [0, 23],
      [24, 27],
    ]);
  });

  it('names the line and column of a syntax error in the second page', () => {
    const read = readListItems({ file: 'pulls.json', text: '[{"id":1}]\n[{"id":2},\n {"id": 3,, "x": 1}]\n' });
    expect(read.problems).toEqual([{ file: 'pulls.json', line: 3, message: expect.stringMatching(/^is not valid JSON at line 3, column 11: /) }]);
  });

  it('says what a page must be when it is something else', () => {
    const read = readListItems({ file: 'jobs.json', text: '{"total_count": 0}' }, 'jobs');
    expect(read.problems).toEqual([{ file: 'jobs.json', line: 1, message: 'must hold a list, or an object with "jobs": [...] (as gh api --paginate prints it), not an object without that list' }]);
  });

  it('reports every bad field of every item at its own line, with the values that are known', () => {
    const pull = (number: number, state: string, extra = '') =>
      `{"number": ${number}, "state": "${state}", "title": "t", "user": null, "created_at": "2026-01-05T11:00:00Z", "updated_at": "2026-01-05T11:00:00Z",${extra}\n "head": {"ref": "a", "sha": "abcdef1"}, "base": {"ref": "main", "sha": "abcdef2"}}`;
    const text = `[${pull(1, 'open')},\n${pull(2, 'shipped')}]\n[${pull(3, 'open', ' "merged_at": "yesterday",')}]`;
    const read = readListText({ file: 'pulls.json', text }, githubPullSchema);
    expect(read.problems).toEqual([
      { file: 'pulls.json', line: 3, field: '[1].state', message: 'must be one of open, closed' },
      { file: 'pulls.json', line: 5, field: '[0].merged_at', message: 'must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z' },
    ]);
    expect(read.items?.map((item) => item.value.number)).toEqual([1]);
  });

  it('gives fields inside wrapper pages their path from the top of the file', () => {
    const text = '{"total_count": 1, "jobs": [\n  {"id": "seven"}\n]}';
    const read = readListText({ file: 'jobs.json', text }, z.looseObject({ id: z.int() }), 'jobs');
    expect(read.problems).toEqual([{ file: 'jobs.json', line: 2, field: 'jobs[0].id', message: 'must be a number' }]);
  });
});

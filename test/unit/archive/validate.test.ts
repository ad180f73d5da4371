import { describe, expect, it } from 'vitest';
import { validateYaml } from '../../../scripts/archive/validate.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { branchFrontMatterSchema } from '../../../scripts/schema/branch.ts';
import { ciFileSchema } from '../../../scripts/schema/ci.ts';
import { stepFrontMatterSchema } from '../../../scripts/schema/step.ts';

const sha = 'a'.repeat(40);
const branchYaml = (overrides: string) =>
  [
    'id: 12',
    'name: fix-login',
    'title: Fix the login redirect',
    'state: merged',
    'target: main',
    `merge_commit: ${sha}`,
    `head: ${sha}`,
    `base: ${sha}`,
    'author: Ada',
    'updated: 2026-10-01T10:00:00Z',
    'tutorial: ready',
  ]
    .filter((line) => !overrides.split('\n').some((o) => o.split(':')[0] === line.split(':')[0]))
    .concat(overrides ? overrides.split('\n') : [])
    .join('\n');

function problemsOf(schema: Parameters<typeof validateYaml>[0], yaml: string) {
  return validateYaml(schema, parseYamlSource(yaml), 'x.md').problems;
}

describe('branch front matter', () => {
  it('accepts a complete merged branch and defaults nothing it was given', () => {
    const { data, problems } = validateYaml(branchFrontMatterSchema, parseYamlSource(branchYaml('')), 'x.md');
    expect(problems).toEqual([]);
    expect(data).toMatchObject({ id: 12, state: 'merged', tutorial: 'ready', updated: '2026-10-01T10:00:00Z' });
  });

  it('requires merge_commit when the branch is merged, at the line of state', () => {
    const yaml = branchYaml('').replace(`merge_commit: ${sha}\n`, '');
    expect(problemsOf(branchFrontMatterSchema, yaml)).toEqual([{ file: 'x.md', line: 1, field: 'merge_commit', message: 'is required when state is merged' }]);
  });

  it('does not require merge_commit for an open branch', () => {
    const yaml = branchYaml('state: open').replace(`merge_commit: ${sha}\n`, '');
    expect(problemsOf(branchFrontMatterSchema, yaml)).toEqual([]);
  });

  it('names a misspelt field at its own line', () => {
    expect(problemsOf(branchFrontMatterSchema, branchYaml('autor: Bob'))).toEqual([
      { file: 'x.md', line: 12, field: 'autor', message: 'is not a known field (check its spelling, see content/README.md)' },
    ]);
  });

  it('explains a wrong type with the value it got', () => {
    expect(problemsOf(branchFrontMatterSchema, branchYaml('id: twelve'))).toEqual([
      { file: 'x.md', line: 11, field: 'id', message: 'must be a number, not "twelve"' },
    ]);
  });

  it('says which field is missing', () => {
    const yaml = branchYaml('').replace('author: Ada\n', '');
    expect(problemsOf(branchFrontMatterSchema, yaml)).toEqual([{ file: 'x.md', line: 1, field: 'author', message: 'is required' }]);
  });

  it('rejects a short or non-hex sha', () => {
    expect(problemsOf(branchFrontMatterSchema, branchYaml('head: main'))[0]).toMatchObject({ field: 'head', line: 11 });
  });
});

describe('step front matter', () => {
  it('accepts both evidence forms', () => {
    const yaml = 'title: T\nintent: I\nevidence:\n  - file: a.ts\n    hunk: "@@ -1,2 +1,3 @@ fn"\n  - file: a.ts\n    lines: 4-9\n  - file: a.ts\n    lines: 12';
    expect(problemsOf(stepFrontMatterSchema, yaml)).toEqual([]);
  });

  it('points at the malformed hunk header of an evidence item', () => {
    const yaml = 'title: T\nintent: I\nevidence:\n  - file: a.ts\n    hunk: "-1,2 +1,3"';
    expect(problemsOf(stepFrontMatterSchema, yaml)).toEqual([
      { file: 'x.md', line: 5, field: 'evidence[0].hunk', message: 'must be a hunk header such as "@@ -193,6 +193,17 @@", not "-1,2 +1,3"' },
    ]);
  });
});

describe('ci.yaml', () => {
  it('names the lane whose status is unknown, with its line', () => {
    const yaml = `runs:\n  - id: 1\n    status: success\n    head: ${sha}\n    queued_at: 2026-10-01T10:00:00Z\n    lanes:\n      - name: lint\n        status: success\n      - name: test\n        status: green\n`;
    expect(problemsOf(ciFileSchema, yaml)).toEqual([
      { file: 'x.md', line: 10, field: 'runs[0].lanes[1].status', message: 'must be one of success, failed, running, queued, cancelled, skipped, not "green"' },
    ]);
  });

  it('rejects a file without runs', () => {
    expect(problemsOf(ciFileSchema, 'runs: []')).toEqual([
      { file: 'x.md', line: 1, field: 'runs', message: 'must list at least one run (delete ci.yaml when there is no CI)' },
    ]);
  });
});

describe('parseYamlSource', () => {
  it('reports a syntax error with the line in the file, offset for front matter', () => {
    const source = parseYamlSource('\ntitle: ok\nintent: [unclosed\n', 1);
    expect(source.value).toBeUndefined();
    expect(source.errors[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('reports duplicate keys', () => {
    expect(parseYamlSource('a: 1\na: 2').errors).toHaveLength(1);
  });
});

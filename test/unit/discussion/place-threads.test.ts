import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';
import { checkThreads, commentedLines, parseStoredHunk, placeThreads, threadsUnder } from '../../../scripts/discussion/place-threads.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { validateYaml } from '../../../scripts/archive/validate.ts';
import { discussionFileSchema, type Thread } from '../../../scripts/schema/discussion.ts';

// src/app.ts: hunk 1 covers old 1-4 / new 1-5, hunk 2 old 20-22 / new 21-23.
const PATCH = `diff --git a/src/app.ts b/src/app.ts
index 1111111..2222222 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,4 +1,5 @@
 import { a } from './a';
-const x = 1;
+const x = 2;
+const y = 3;
 export { x };
 // end of block
@@ -20,3 +21,3 @@ function tail() {
 one
-two
+deux
 three
`;

function patchOf(text: string): ParsedPatch {
  const parsed = parsePatch(text);
  if (!parsed.ok) throw new Error('test patch does not parse');
  return parsed.patch;
}

const thread = (fields: Partial<Thread>): Thread => ({ file: 'src/app.ts', side: 'new', line: 1, resolved: false, outdated: false, comments: [{ author: 'r', at: '2026-01-01T00:00:00Z', body: 'hi' }], ...fields });

/** The text of the line each placed thread hangs under, by thread index. */
function rowsOf(patch: ParsedPatch, threads: Thread[]): Map<number, string> {
  const placement = placeThreads(patch, threads);
  const under = new Map<number, string>();
  patch.files.forEach((file, fileIndex) => {
    for (const hunk of file.hunks) for (const line of hunk.lines) for (const index of threadsUnder(placement, fileIndex, line)) under.set(index, `${line.kind}:${line.text}`);
  });
  return under;
}

describe('thread placement', () => {
  const patch = patchOf(PATCH);

  it('hangs a new-side thread under the added line with that new number', () => {
    expect(rowsOf(patch, [thread({ side: 'new', line: 3 })])).toEqual(new Map([[0, 'add:const y = 3;']]));
  });

  it('hangs an old-side thread under the deleted line with that old number, not the new line 2', () => {
    expect(rowsOf(patch, [thread({ side: 'old', line: 2 }), thread({ side: 'new', line: 2 })])).toEqual(
      new Map([
        [0, 'del:const x = 1;'],
        [1, 'add:const x = 2;'],
      ]),
    );
  });

  it('hangs a thread on a context line under it from either side', () => {
    expect(rowsOf(patch, [thread({ side: 'old', line: 4 }), thread({ side: 'new', line: 5 })])).toEqual(
      new Map([
        [0, 'context:// end of block'],
        [1, 'context:// end of block'],
      ]),
    );
  });

  it('hangs a range that starts before a hunk boundary under its last line, in the later hunk', () => {
    const range = thread({ side: 'new', start_line: 4, line: 22 });
    expect(rowsOf(patch, [range])).toEqual(new Map([[0, 'add:deux']]));
    expect(checkThreads(patch, [[0, range]], 'd.yaml', parseYamlSource(''))).toEqual([]);
  });

  it('leaves an outdated thread out of the diff', () => {
    const outdated = thread({ line: 400, outdated: true, hunk: '@@ -400,1 +400,1 @@\n-old\n+new' });
    expect(rowsOf(patch, [outdated])).toEqual(new Map());
    expect(placeThreads(patch, [outdated]).fileOf.size).toBe(0);
  });

  it('looks up rows without scanning: each file has one map entry per commented line', () => {
    const threads = Array.from({ length: 500 }, (_, i) => thread({ side: i % 2 ? 'old' : 'new', line: 2 }));
    const placement = placeThreads(patch, threads);
    expect(placement.byFile[0]!.size).toBe(2);
    expect(placement.byFile[0]!.get('new:2')).toHaveLength(250);
  });
});

describe('checking threads against the diff', () => {
  const patch = patchOf(PATCH);
  const yaml = ['threads:', '  - file: src/gone.ts', '    side: new', '    line: 3', '  - file: src/app.ts', '    side: old', '    line: 9', '  - file: src/app.ts', '    side: new', '    line: 30'].join('\n');

  it('names the file and line, and says what the hunks cover on that side', () => {
    const source = parseYamlSource(yaml);
    const threads = (source.value as { threads: Array<Partial<Thread>> }).threads.map((t) => thread(t));
    expect(checkThreads(patch, threads.map((t, i) => [i, t] as const), 'discussion.yaml', source)).toEqual([
      {
        file: 'discussion.yaml',
        line: 2,
        field: 'threads[0].file',
        message: '"src/gone.ts" is not in the diff (files: src/app.ts); a thread on a file no longer in the diff needs outdated: true and its hunk',
      },
      {
        file: 'discussion.yaml',
        line: 7,
        field: 'threads[1].line',
        message: 'old line 9 is not in any hunk: the hunks of src/app.ts cover old lines 1-4, 20-22 (set outdated: true and add its hunk if the line has gone)',
      },
      {
        file: 'discussion.yaml',
        line: 10,
        field: 'threads[2].line',
        message: 'new line 30 is not in any hunk: the hunks of src/app.ts cover new lines 1-5, 21-23 (set outdated: true and add its hunk if the line has gone)',
      },
    ]);
  });

  it('reports the format rules of discussion.yaml with their lines, all at once', () => {
    const text = [
      'reviews:',
      '  - author: ana',
      '    state: lgtm',
      '    submitted_at: 2026-03-27T01:10:00',
      'threads:',
      '  - file: src/app.ts',
      '    side: new',
      '    line: 3',
      '    outdated: true',
      '    comments: []',
    ].join('\n');
    const { problems } = validateYaml(discussionFileSchema, parseYamlSource(text), 'discussion.yaml');
    expect(problems.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      '3 reviews[0].state: must be one of approved, changes_requested, commented, dismissed, not "lgtm"',
      '4 reviews[0].submitted_at: must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z, not "2026-03-27T01:10:00"',
      '10 threads[0].comments: must list at least one comment (a thread is its comments)',
      '6 threads[0].hunk: is required when outdated is true: the hunk the comment was made on, from its "@@" header on',
    ]);
  });
});

describe('stored hunks and commented lines', () => {
  it('numbers an outdated thread\'s hunk from its header, even when it is cut short', () => {
    const hunk = parseStoredHunk('@@ -10,7 +12,9 @@ fn main() {\n keep\n-gone\n+added\n');
    expect(hunk?.lines).toEqual([
      { kind: 'context', text: 'keep', oldLine: 10, newLine: 12 },
      { kind: 'del', text: 'gone', oldLine: 11 },
      { kind: 'add', text: 'added', newLine: 13 },
    ]);
    expect(parseStoredHunk('not a hunk')).toBeUndefined();
  });

  it('picks the lines of a range on the thread\'s side only', () => {
    const lines = patchOf(PATCH).files[0]!.hunks[0]!.lines;
    expect(commentedLines(lines, { side: 'new', start_line: 2, line: 3 }).map((l) => l.text)).toEqual(['const x = 2;', 'const y = 3;']);
    expect(commentedLines(lines, { side: 'old', line: 2 }).map((l) => l.text)).toEqual(['const x = 1;']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHunkHeader, parsePatch } from '../../../scripts/diff/parse-patch.ts';
import type { ParsedPatch, PatchProblem } from '../../../scripts/diff/types.ts';

/** Fixtures are real `git diff` / `git format-patch` / `git log -p` output. */
function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/patches/${name}`, import.meta.url), 'utf8');
}

function parsed(text: string): ParsedPatch {
  const result = parsePatch(text);
  if (!result.ok) throw new Error(`expected a valid patch, got ${JSON.stringify(result.problems)}`);
  return result.patch;
}

function problems(text: string): PatchProblem[] {
  const result = parsePatch(text);
  if (result.ok) throw new Error('expected problems, but the patch parsed');
  return result.problems;
}

function file(patch: ParsedPatch, path: string) {
  const found = patch.files.find((candidate) => (candidate.newPath ?? candidate.oldPath) === path);
  if (!found) throw new Error(`no file ${path} in ${patch.files.map((f) => f.newPath ?? f.oldPath).join(', ')}`);
  return found;
}

describe('a modified file', () => {
  const patch = parsed(fixture('modified.patch'));
  const app = file(patch, 'app.ts');

  it('is one file with both paths, status modified and its patch line', () => {
    expect(patch.files).toHaveLength(1);
    expect(app).toMatchObject({ oldPath: 'app.ts', newPath: 'app.ts', status: 'modified', binary: false, patchLine: 1 });
  });

  it('keeps the mode that the index line reports', () => {
    expect(app).toMatchObject({ oldMode: '100644', newMode: '100644' });
  });

  it('counts its added and removed lines', () => {
    expect(app).toMatchObject({ additions: 3, deletions: 2 });
  });

  it('has each hunk with its numbers, its header as written and its function context', () => {
    expect(app.hunks.map(({ lines: _lines, ...hunk }) => hunk)).toEqual([
      { header: '@@ -1,5 +1,6 @@', oldStart: 1, oldLines: 5, newStart: 1, newLines: 6, context: '' },
      {
        header: '@@ -11,5 +12,5 @@ export function shout(text: string): string {',
        oldStart: 11,
        oldLines: 5,
        newStart: 12,
        newLines: 5,
        context: 'export function shout(text: string): string {',
      },
    ]);
  });

  it('numbers context lines in both files, added lines in the new and removed lines in the old', () => {
    expect(app.hunks[0]!.lines).toEqual([
      { kind: 'context', text: 'export function greet(name: string): string {', oldLine: 1, newLine: 1 },
      { kind: 'del', text: '  return `Hello, ${name}`;', oldLine: 2 },
      { kind: 'add', text: '  const trimmed = name.trim();', newLine: 2 },
      { kind: 'add', text: '  return `Hello, ${trimmed}`;', newLine: 3 },
      { kind: 'context', text: '}', oldLine: 3, newLine: 4 },
      { kind: 'context', text: '', oldLine: 4, newLine: 5 },
      { kind: 'context', text: 'export function farewell(name: string): string {', oldLine: 5, newLine: 6 },
    ]);
    expect(app.hunks[1]!.lines.map((line) => [line.kind, line.oldLine, line.newLine])).toEqual([
      ['context', 11, 12],
      ['context', 12, 13],
      ['context', 13, 14],
      ['del', 14, undefined],
      ['add', undefined, 15],
      ['context', 15, 16],
    ]);
  });
});

describe('added, deleted and empty files', () => {
  const patch = parsed(fixture('added-deleted-empty.patch'));

  it('records the patch line of every diff --git header', () => {
    expect(patch.files.map((f) => f.patchLine)).toEqual([1, 9, 12]);
  });

  it('reads an added file as status added with no old path and only new line numbers', () => {
    const added = file(patch, 'added.txt');
    expect(added).toMatchObject({ oldPath: null, newPath: 'added.txt', status: 'added', newMode: '100644', additions: 2, deletions: 0 });
    expect(added.oldMode).toBeUndefined();
    expect(added.hunks[0]).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 });
    expect(added.hunks[0]!.lines).toEqual([
      { kind: 'add', text: 'fresh', newLine: 1 },
      { kind: 'add', text: 'file', newLine: 2 },
    ]);
  });

  it('reads a deleted file as status deleted with no new path and only old line numbers', () => {
    const deleted = file(patch, 'old.txt');
    expect(deleted).toMatchObject({ oldPath: 'old.txt', newPath: null, status: 'deleted', oldMode: '100644', additions: 0, deletions: 2 });
    expect(deleted.hunks[0]!.lines).toEqual([
      { kind: 'del', text: 'obsolete', oldLine: 1 },
      { kind: 'del', text: 'stuff', oldLine: 2 },
    ]);
  });

  it('reads an added empty file, which git prints without any hunk', () => {
    expect(file(patch, 'empty.txt')).toMatchObject({ oldPath: null, newPath: 'empty.txt', status: 'added', hunks: [], additions: 0 });
  });
});

describe('renames and copies', () => {
  const patch = parsed(fixture('renamed.patch'));

  it('reads a rename with content changes as renamed, with its similarity and hunks', () => {
    const moved = file(patch, 'moved.txt');
    expect(moved).toMatchObject({ oldPath: 'move-me.txt', newPath: 'moved.txt', status: 'renamed', similarity: 86, additions: 1, deletions: 1 });
    expect(moved.hunks.map((hunk) => hunk.header)).toEqual(['@@ -1,6 +1,6 @@']);
  });

  it('reads a rename without content changes as renamed with no hunks', () => {
    expect(file(patch, 'renamed.txt')).toMatchObject({
      oldPath: 'rename-me.txt',
      newPath: 'renamed.txt',
      status: 'renamed',
      similarity: 100,
      hunks: [],
    });
  });

  it('reads a copy as copied with the source as old path', () => {
    const copied = parsed(fixture('copied.patch'));
    expect(copied.files).toEqual([
      {
        oldPath: 'template.txt',
        newPath: 'copy-of-template.txt',
        status: 'copied',
        similarity: 100,
        binary: false,
        additions: 0,
        deletions: 0,
        hunks: [],
        patchLine: 1,
      },
    ]);
  });
});

describe('mode changes', () => {
  const patch = parsed(fixture('mode-changed.patch'));

  it('reads a change of mode alone as mode-changed with both modes', () => {
    expect(file(patch, 'run.sh')).toMatchObject({ status: 'mode-changed', oldMode: '100644', newMode: '100755', hunks: [] });
  });

  it('reads a change of mode with content changes as modified, keeping both modes', () => {
    const build = file(patch, 'build.sh');
    expect(build).toMatchObject({ status: 'modified', oldMode: '100644', newMode: '100755', additions: 1 });
    expect(build.hunks).toHaveLength(1);
  });

  it('splits a path with spaces from the diff --git line when no other line names it', () => {
    const spaced = parsed('diff --git a/read me.txt b/read me.txt\nold mode 100644\nnew mode 100755\n');
    expect(spaced.files[0]).toMatchObject({ oldPath: 'read me.txt', newPath: 'read me.txt', status: 'mode-changed' });
  });
});

describe('binary files', () => {
  it('reads a changed binary file as status binary, and an added one as added and binary', () => {
    const patch = parsed(fixture('binary.patch'));
    expect(file(patch, 'logo.png')).toMatchObject({ oldPath: 'logo.png', newPath: 'logo.png', status: 'binary', binary: true, hunks: [] });
    expect(file(patch, 'icon.png')).toMatchObject({ oldPath: null, newPath: 'icon.png', status: 'added', binary: true, hunks: [] });
  });

  it('skips GIT binary patch payloads and goes on with the next file', () => {
    const patch = parsed(fixture('binary-payload.patch') + fixture('modified.patch'));
    expect(patch.files.map((f) => [f.newPath, f.status, f.binary, f.hunks.length])).toEqual([
      ['icon.png', 'added', true, 0],
      ['logo.png', 'binary', true, 0],
      ['app.ts', 'modified', false, 2],
    ]);
    expect(file(patch, 'app.ts').patchLine).toBe(20);
  });
});

describe('line endings', () => {
  it('marks the line before "\\ No newline at end of file" on both sides', () => {
    const version = file(parsed(fixture('no-newline-at-end.patch')), 'version.txt');
    expect(version.hunks[0]!.lines).toEqual([
      { kind: 'del', text: 'no newline', oldLine: 1, noNewlineAtEnd: true },
      { kind: 'add', text: 'no newline, changed', newLine: 1, noNewlineAtEnd: true },
    ]);
  });

  it('reads a hunk header without counts as one line on each side', () => {
    const version = file(parsed(fixture('no-newline-at-end.patch')), 'version.txt');
    expect(version.hunks[0]).toMatchObject({ header: '@@ -1 +1 @@', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 });
  });

  it('strips the carriage return of CRLF lines and records that they had one', () => {
    const windows = file(parsed(fixture('crlf.patch')), 'windows.txt');
    expect(windows.hunks[0]!.lines).toEqual([
      { kind: 'context', text: 'first', oldLine: 1, newLine: 1, crlf: true },
      { kind: 'del', text: 'second', oldLine: 2, crlf: true },
      { kind: 'add', text: 'SECOND', newLine: 2, crlf: true },
      { kind: 'context', text: 'third', oldLine: 3, newLine: 3, crlf: true },
    ]);
  });

  it('reads a patch whose own lines all end in CRLF', () => {
    const windows = file(parsed(fixture('modified.patch').replaceAll('\n', '\r\n')), 'app.ts');
    expect(windows.hunks.map((hunk) => hunk.context)).toEqual(['', 'export function shout(text: string): string {']);
    expect(windows.hunks[0]!.lines[0]).toEqual({
      kind: 'context',
      text: 'export function greet(name: string): string {',
      oldLine: 1,
      newLine: 1,
      crlf: true,
    });
  });
});

describe('paths', () => {
  const patch = parsed(fixture('quoted-paths.patch'));

  it('decodes C-quoted paths whose octal escapes are UTF-8 bytes', () => {
    expect(patch.files[0]).toMatchObject({ oldPath: 'café.txt', newPath: 'café.txt', status: 'modified' });
  });

  it('decodes a rename to a quoted path with escaped quotes', () => {
    expect(patch.files[1]).toMatchObject({ oldPath: 'notes.txt', newPath: 'notés "draft".txt', status: 'renamed' });
  });

  it('reads paths with spaces, dropping the tab git puts after them', () => {
    expect(patch.files[2]).toMatchObject({ oldPath: 'read me.txt', newPath: 'read me.txt', additions: 1, deletions: 1 });
  });
});

describe('text around the diff', () => {
  it('ignores the email headers, message, diffstat and signature of git format-patch', () => {
    const patch = parsed(fixture('format-patch.mbox'));
    expect(patch.files.map((f) => [f.newPath, f.status, f.patchLine, f.additions, f.deletions])).toEqual([
      ['version.ts', 'added', 12, 1, 0],
      ['version.ts', 'modified', 32, 1, 1],
    ]);
    expect(patch.files[1]!.hunks[0]!.lines.map((line) => line.text)).toEqual(['export const version = 2;', 'export const version = 3;']);
  });

  it('ignores the commit lines between the diffs of git log -p', () => {
    const patch = parsed(fixture('git-log-oneline.patch'));
    expect(patch.files.map((f) => [f.status, f.patchLine, f.hunks[0]!.lines.length])).toEqual([
      ['modified', 2, 2],
      ['added', 10, 1],
    ]);
  });

  it('reads a line "-- " inside a hunk as a removed line, not as a signature', () => {
    const patch = parsed('diff --git a/list.md b/list.md\n--- a/list.md\n+++ b/list.md\n@@ -1,2 +1 @@\n-- \n item\n');
    expect(patch.files[0]!.hunks[0]!.lines).toEqual([
      { kind: 'del', text: '- ', oldLine: 1 },
      { kind: 'context', text: 'item', oldLine: 2, newLine: 1 },
    ]);
  });

  it('treats an empty line inside a hunk as an empty context line, as git apply does', () => {
    const patch = parsed('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n');
    expect(patch.files[0]!.hunks[0]!.lines[1]).toEqual({ kind: 'context', text: '', oldLine: 2, newLine: 2 });
  });
});

describe('empty patches and empty hunks', () => {
  it('reads an empty patch as valid with no files', () => {
    expect(parsePatch('')).toEqual({ ok: true, patch: { files: [] } });
  });

  it('reads a whitespace-only patch as valid with no files', () => {
    expect(parsePatch('\n  \n\t\r\n')).toEqual({ ok: true, patch: { files: [] } });
  });

  it('reads a hunk that declares no lines and has an empty body', () => {
    const patch = parsed('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -3,0 +3,0 @@\ndiff --git a/b.txt b/b.txt\nold mode 100644\nnew mode 100755\n');
    expect(patch.files[0]!.hunks).toEqual([
      { header: '@@ -3,0 +3,0 @@', oldStart: 3, oldLines: 0, newStart: 3, newLines: 0, context: '', lines: [] },
    ]);
    expect(patch.files[1]!.status).toBe('mode-changed');
  });
});

describe('malformed patches', () => {
  const head = 'diff --git a/app.ts b/app.ts\nindex 1111111..2222222 100644\n--- a/app.ts\n+++ b/app.ts\n';

  it('reports text that is not a diff at all', () => {
    expect(problems('Hello, this is a commit message.\nNothing else.\n')).toEqual([
      { line: 1, message: 'no `diff --git` header found: this is not a unified git diff' },
    ]);
  });

  it('reports a plain diff -u without git headers as not a git diff', () => {
    expect(problems('--- a.txt\n+++ b.txt\n@@ -1 +1 @@\n-a\n+b\n')).toEqual([
      { line: 1, message: 'no `diff --git` header found: this is not a unified git diff' },
    ]);
  });

  it('reports a hunk with fewer lines than its header declares, at the header line', () => {
    expect(problems(`${head}@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n+e\n`)).toEqual([
      { line: 5, message: 'hunk @@ -1,3 +1,4 @@ declares 3 old and 4 new lines but has 2 and 4' },
    ]);
  });

  it('reports a hunk cut short by the next file header', () => {
    const text = `${head}@@ -1,2 +1,2 @@\n-a\n+b\ndiff --git a/b.ts b/b.ts\nold mode 100644\nnew mode 100755\n`;
    expect(problems(text)).toEqual([{ line: 5, message: 'hunk @@ -1,2 +1,2 @@ declares 2 old and 2 new lines but has 1 and 1' }]);
  });

  it('reports a hunk with more lines than its header declares', () => {
    expect(problems(`${head}@@ -1 +1 @@ main\n-a\n+b\n+c\n`)).toEqual([
      { line: 5, message: 'hunk @@ -1 +1 @@ declares 1 old and 1 new lines but has 1 and 2' },
    ]);
  });

  it('reports a line inside a hunk that starts with none of " ", "+", "-" and "\\"', () => {
    expect(problems(`${head}@@ -1,2 +1,2 @@\n a\n*b\n c\n`)).toEqual([
      {
        line: 7,
        message:
          'line "*b" in hunk @@ -1,2 +1,2 @@ starts with none of " " (context), "+" (added), "-" (removed) or "\\" (no newline at end of file)',
      },
    ]);
  });

  it('reports a hunk header it cannot read', () => {
    expect(problems(`${head}@@ -1,x +1 @@\n-a\n+b\n`)).toEqual([
      {
        line: 5,
        message: '"@@ -1,x +1 @@" is not a valid hunk header: expected "@@ -<old start>,<old count> +<new start>,<new count> @@"',
      },
    ]);
  });

  it('reports a "---" line that no "+++" line follows', () => {
    expect(problems('diff --git a/a.txt b/a.txt\n--- a/a.txt\n@@ -1 +1 @@\n-a\n+b\n')).toEqual([
      { line: 2, message: '"--- a/a.txt" is not followed by a "+++" line naming the new file' },
    ]);
  });

  it('reports a no-newline marker with no line before it', () => {
    expect(problems(`${head}@@ -1 +1 @@\n\\ No newline at end of file\n-a\n+b\n`)).toEqual([
      { line: 6, message: '"\\ No newline at end of file" in hunk @@ -1 +1 @@ has no line before it to mark' },
    ]);
  });

  it('reports a hunk header after text that ended the file it belonged to', () => {
    const text = 'diff --git a/a.txt b/a.txt\nindex 1111111..2222222 100644\nsomething odd\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n';
    expect(problems(text)).toEqual([
      {
        line: 6,
        message: 'hunk @@ -1 +1 @@ is not part of any file: the diff of a.txt was ended at line 3 by "something odd", which is not a diff line',
      },
    ]);
  });

  it('reports a diff --git header that does not name two files', () => {
    expect(problems('diff --git nonsense\nold mode 100644\nnew mode 100755\n')).toEqual([
      { line: 1, message: '"diff --git nonsense" does not name the old and new file: expected "diff --git a/<path> b/<path>"' },
    ]);
  });

  it('collects every problem in patch order instead of stopping at the first', () => {
    const text = `${head}@@ -1,2 +1,2 @@\n a\n?b\n c\n${head}@@ -1,3 +1,3 @@\n a\n-b\n+c\n`;
    expect(problems(text).map((problem) => problem.line)).toEqual([7, 13]);
  });

  it('returns problems instead of throwing for any damaged copy of a real patch', () => {
    const lines = [fixture('modified.patch'), fixture('quoted-paths.patch'), fixture('binary-payload.patch'), fixture('format-patch.mbox')]
      .join('')
      .split('\n');
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round++) {
      const damaged = lines.map((line) => {
        const dice = random();
        if (dice < 0.03) return '';
        if (dice < 0.06) return line.slice(0, Math.floor(random() * line.length));
        if (dice < 0.08) return `"${line}\\`;
        return line;
      });
      expect(() => parsePatch(damaged.join('\n'))).not.toThrow();
    }
  });
});

describe('parseHunkHeader', () => {
  it('fills in a missing count as 1 and separates the range from the function context', () => {
    expect(parseHunkHeader('@@ -7 +8,0 @@  fn main() ')).toEqual({
      oldStart: 7,
      oldLines: 1,
      newStart: 8,
      newLines: 0,
      range: '@@ -7 +8,0 @@',
      context: 'fn main()',
    });
  });

  it('returns null for a line that is not a hunk header', () => {
    expect(parseHunkHeader('@@ -a +b @@')).toBeNull();
  });
});

describe('a large patch', () => {
  // Speed is measured by `npm run bench`, not here; this checks that nothing is lost at scale.
  it('keeps every file and every line of a 300,000-line patch', () => {
    const hunk = '@@ -1,3 +1,3 @@ fn\n a\n-b\n+c\n d\n';
    const fileText = (n: number) => `diff --git a/f${n}.ts b/f${n}.ts\nindex 1111111..2222222 100644\n--- a/f${n}.ts\n+++ b/f${n}.ts\n${hunk.repeat(10)}`;
    const text = Array.from({ length: 6000 }, (_, n) => fileText(n)).join('');
    const patch = parsed(text);
    expect(patch.files).toHaveLength(6000);
    expect(patch.files.reduce((sum, f) => sum + f.additions, 0)).toBe(60000);
    expect(patch.files.at(-1)!.newPath).toBe('f5999.ts');
  });
});

describe('binary sizes', () => {
  it('reads the old and new sizes of binary files from a `git diff --binary` payload', () => {
    const patch = parsed(readFileSync(new URL('../../fixtures/patches/binary-payload.patch', import.meta.url), 'utf8'));
    expect(patch.files.map((file) => [file.newPath, file.binarySizes])).toEqual([
      ['icon.png', { new: 3, old: 0 }],
      ['logo.png', { new: 8, old: 7 }],
    ]);
  });

  it('has no sizes for a plain "Binary files differ" line', () => {
    const text = 'diff --git a/a.png b/a.png\nindex 1111111..2222222 100644\nBinary files a/a.png and b/a.png differ\n';
    expect(parsed(text).files[0]!.binarySizes).toBeUndefined();
  });
});

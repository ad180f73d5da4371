import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import { resolveEvidence, type ResolveResult } from '../../../scripts/diff/resolve-evidence.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';
import type { EvidenceSelector } from '../../../scripts/schema/step.ts';

function patchOf(...fixtures: string[]): ParsedPatch {
  const text = fixtures.map((name) => readFileSync(new URL(`../../fixtures/patches/${name}`, import.meta.url), 'utf8')).join('');
  const result = parsePatch(text);
  if (!result.ok) throw new Error(`fixture does not parse: ${JSON.stringify(result.problems)}`);
  return result.patch;
}

function parsedText(text: string): ParsedPatch {
  const result = parsePatch(text);
  if (!result.ok) throw new Error(`patch does not parse: ${JSON.stringify(result.problems)}`);
  return result.patch;
}

function resolved(patch: ParsedPatch, selector: EvidenceSelector) {
  const result = resolveEvidence(patch, selector);
  if (!result.ok) throw new Error(`expected a match, got: ${result.message}`);
  return result;
}

function failure(patch: ParsedPatch, selector: EvidenceSelector): string {
  const result: ResolveResult = resolveEvidence(patch, selector);
  if (result.ok) throw new Error(`expected no match, got ${result.header} of ${result.file.newPath}`);
  return result.message;
}

// app.ts: @@ -1,5 +1,6 @@ covers new lines 1-6; @@ -11,5 +12,5 @@ export function shout… covers 12-16.
const app = patchOf('modified.patch');

describe('a hunk selector', () => {
  it('resolves to the whole hunk with its real header, function context included', () => {
    const result = resolved(app, { file: 'app.ts', hunk: '@@ -11,5 +12,5 @@' });
    expect(result.hunkIndex).toBe(1);
    expect(result.header).toBe('@@ -11,5 +12,5 @@ export function shout(text: string): string {');
    expect(result.hunk).toBe(app.files[0]!.hunks[1]);
    expect(result.lines).toEqual(app.files[0]!.hunks[1]!.lines);
    expect(result.file).toBe(app.files[0]);
  });

  it('ignores the function context written in the selector', () => {
    expect(resolved(app, { file: 'app.ts', hunk: '@@ -11,5 +12,5 @@ something else entirely' }).hunkIndex).toBe(1);
  });

  it('treats a missing count as 1 on either side', () => {
    const version = patchOf('no-newline-at-end.patch');
    expect(resolved(version, { file: 'version.txt', hunk: '@@ -1,1 +1,1 @@' }).header).toBe('@@ -1 +1 @@');
    const added = parsedText('diff --git a/one.txt b/one.txt\nindex 1111111..2222222 100644\n--- a/one.txt\n+++ b/one.txt\n@@ -1,1 +1,2 @@\n a\n+b\n');
    expect(resolved(added, { file: 'one.txt', hunk: '@@ -1 +1,2 @@' }).header).toBe('@@ -1,1 +1,2 @@');
  });

  it('finds a deleted file by its old path', () => {
    const result = resolved(patchOf('added-deleted-empty.patch'), { file: 'old.txt', hunk: '@@ -1,2 +0,0 @@' });
    expect(result.file.status).toBe('deleted');
    expect(result.lines.map((line) => line.text)).toEqual(['obsolete', 'stuff']);
  });

  it('finds a renamed file by its old path as well as its new one', () => {
    const renamed = patchOf('renamed.patch');
    expect(resolved(renamed, { file: 'move-me.txt', hunk: '@@ -1,6 +1,6 @@' }).file.newPath).toBe('moved.txt');
    expect(resolved(renamed, { file: 'moved.txt', hunk: '@@ -1,6 +1,6 @@' }).file.oldPath).toBe('move-me.txt');
  });

  it('prefers the file that now has a path over the one renamed away from it', () => {
    const patch = parsedText(
      'diff --git a/a.ts b/b.ts\nsimilarity index 90%\nrename from a.ts\nrename to b.ts\nindex 1111111..2222222 100644\n--- a/a.ts\n+++ b/b.ts\n@@ -1 +1 @@\n-x\n+y\n' +
        'diff --git a/a.ts b/a.ts\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/a.ts\n@@ -0,0 +1 @@\n+fresh\n',
    );
    expect(resolved(patch, { file: 'a.ts', lines: 1 }).file.status).toBe('added');
  });
});

describe('a lines selector', () => {
  it('resolves one line given as a number to that line and the removed line it replaces', () => {
    const result = resolved(app, { file: 'app.ts', lines: 15 });
    expect(result.hunkIndex).toBe(1);
    expect(result.lines).toEqual([
      { kind: 'del', text: '  return text.toLowerCase();', oldLine: 14 },
      { kind: 'add', text: '  return text.toLowerCase().trim();', newLine: 15 },
    ]);
    expect(result.header).toBe('@@ -14,1 +15,1 @@');
  });

  it('resolves a range given as a string, including the removed lines just before it', () => {
    const result = resolved(app, { file: 'app.ts', lines: '2-3' });
    expect(result.lines.map((line) => [line.kind, line.text])).toEqual([
      ['del', '  return `Hello, ${name}`;'],
      ['add', '  const trimmed = name.trim();'],
      ['add', '  return `Hello, ${trimmed}`;'],
    ]);
    expect(result.header).toBe('@@ -2,1 +2,2 @@');
    expect(result.hunk).toBe(app.files[0]!.hunks[0]);
  });

  it('keeps the removed lines that sit between the first and last selected lines', () => {
    const result = resolved(app, { file: 'app.ts', lines: '1-4' });
    expect(result.lines.map((line) => line.kind)).toEqual(['context', 'del', 'add', 'add', 'context']);
    expect(result.header).toBe('@@ -1,3 +1,4 @@');
  });

  it('does not reach back past an added line for removed lines', () => {
    const result = resolved(app, { file: 'app.ts', lines: '3' });
    expect(result.lines).toEqual([{ kind: 'add', text: '  return `Hello, ${trimmed}`;', newLine: 3 }]);
    // No old line is selected, so the old side names the line the slice follows.
    expect(result.header).toBe('@@ -2,0 +3,1 @@');
  });

  it('describes a slice of an added file as following old line 0', () => {
    const result = resolved(patchOf('added-deleted-empty.patch'), { file: 'added.txt', lines: '2' });
    expect(result.lines).toEqual([{ kind: 'add', text: 'file', newLine: 2 }]);
    expect(result.header).toBe('@@ -0,0 +2,1 @@');
  });

  it('accepts a range that covers a whole hunk exactly', () => {
    const result = resolved(app, { file: 'app.ts', lines: '12-16' });
    expect(result.lines).toEqual(app.files[0]!.hunks[1]!.lines);
    expect(result.header).toBe('@@ -11,5 +12,5 @@');
  });
});

describe('selectors that do not resolve', () => {
  it('name a file that is not in the diff and list the files that are', () => {
    expect(failure(patchOf('modified.patch', 'mode-changed.patch'), { file: 'src/x.ts', hunk: '@@ -1 +1 @@' })).toBe(
      'file "src/x.ts" is not in the diff (files: app.ts, build.sh, run.sh)',
    );
  });

  it('list only the first five files of a long diff', () => {
    const text = Array.from({ length: 7 }, (_, n) => `diff --git a/f${n + 1}.txt b/f${n + 1}.txt\nnew file mode 100644\nindex 0000000..e69de29\n`).join('');
    expect(failure(parsedText(text), { file: 'f9.txt', lines: 1 })).toBe(
      'file "f9.txt" is not in the diff (files: f1.txt, f2.txt, f3.txt, f4.txt, f5.txt and 2 more)',
    );
  });

  it('say so when the diff has no files at all', () => {
    expect(failure({ files: [] }, { file: 'a.ts', lines: '1-2' })).toBe('file "a.ts" is not in the diff (the diff has no files)');
  });

  it('name a hunk that is not in the file and list the hunks that are', () => {
    expect(failure(app, { file: 'app.ts', hunk: '@@ -1,2 +1,3 @@' })).toBe(
      'hunk "@@ -1,2 +1,3 @@" is not in app.ts (its hunks: @@ -1,5 +1,6 @@, @@ -11,5 +12,5 @@)',
    );
  });

  it('list only the first five hunks of a long file', () => {
    const hunks = Array.from({ length: 8 }, (_, n) => `@@ -${n * 10 + 1} +${n * 10 + 1} @@ f${n}\n-a\n+b\n`).join('');
    const patch = parsedText(`diff --git a/long.txt b/long.txt\nindex 1111111..2222222 100644\n--- a/long.txt\n+++ b/long.txt\n${hunks}`);
    expect(failure(patch, { file: 'long.txt', hunk: '@@ -2 +2 @@' })).toBe(
      'hunk "@@ -2 +2 @@" is not in long.txt (its hunks: @@ -1 +1 @@, @@ -11 +11 @@, @@ -21 +21 @@, @@ -31 +31 @@, @@ -41 +41 @@ and 3 more)',
    );
  });

  it('say that a file without hunks has none to cite', () => {
    expect(failure(patchOf('binary.patch'), { file: 'logo.png', hunk: '@@ -1 +1 @@' })).toBe(
      'hunk "@@ -1 +1 @@" is not in logo.png (it has no hunks)',
    );
    expect(failure(patchOf('binary.patch'), { file: 'logo.png', lines: 1 })).toBe('line 1 is not inside a hunk of logo.png (it has no hunks)');
  });

  it('reject a hunk selector that is not a hunk header', () => {
    expect(failure(app, { file: 'app.ts', hunk: '@@ around line 12 @@' })).toBe(
      'hunk "@@ around line 12 @@" is not a hunk header such as "@@ -193,6 +193,17 @@"',
    );
  });

  it('name a range that spans two hunks and list the new lines each hunk covers', () => {
    expect(failure(app, { file: 'app.ts', lines: '5-13' })).toBe(
      'lines 5-13 are not inside one hunk of app.ts (its hunks cover new lines 1-6, 12-16)',
    );
  });

  it('name a single line outside every hunk', () => {
    expect(failure(app, { file: 'app.ts', lines: 9 })).toBe('line 9 is not inside a hunk of app.ts (its hunks cover new lines 1-6, 12-16)');
  });

  it('show a one-line hunk as a single new line', () => {
    expect(failure(patchOf('no-newline-at-end.patch'), { file: 'version.txt', lines: '2-3' })).toBe(
      'lines 2-3 are not inside one hunk of version.txt (its hunks cover new lines 1)',
    );
  });

  it('point a line range in a deleted file to its hunk instead', () => {
    expect(failure(patchOf('added-deleted-empty.patch'), { file: 'old.txt', lines: '1-2' })).toBe(
      'lines 1-2 are not inside one hunk of old.txt (its hunks only remove lines; cite a hunk instead, such as "@@ -1,2 +0,0 @@")',
    );
  });

  it('reject a range written backwards', () => {
    expect(failure(app, { file: 'app.ts', lines: '4-2' })).toBe('lines 4-2 run backwards: write the first line first, as in 2-4');
  });

  it('reject a lines value that is not a line or a range', () => {
    expect(failure(app, { file: 'app.ts', lines: '2..4' })).toBe('lines "2..4" is not a line or a range such as "12-30"');
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * An archive with one branch as big as real ones get (100 files, 30,000 diff lines: a lock file,
 * one file over `collapse_lines`, 98 ordinary files of several hunks each) and a small one beside
 * it (with one long rewrite), for the tests of the reader's experience on a big page (test/e2e/big-branch.test.ts).
 */
export const BIG_BRANCH = { id: 1, files: 100, lines: 30_000 } as const;
/** Each ordinary file's hunks: 3 context lines, 17 deleted, 17 added, 3 context. */
const HUNK = { context: 3, changed: 17 } as const;
const HUNK_LINES = 2 * HUNK.context + 2 * HUNK.changed;

function code(file: number, line: number, variant: string): string {
  return `  const value${line} = compute${variant}(${file}, ${line}, 'cell ${line}'); // step ${line % 7}`;
}

/** One modified TypeScript file of `hunks` hunks, as `git diff` writes it. */
function ordinaryFile(file: number, hunks: number): string {
  const name = `src/module${String(file).padStart(3, '0')}/part.ts`;
  let text = `diff --git a/${name} b/${name}\nindex 1111111..2222222 100644\n--- a/${name}\n+++ b/${name}\n`;
  for (let h = 0; h < hunks; h++) {
    const start = 1 + h * 100;
    const count = HUNK.context * 2 + HUNK.changed;
    text += `@@ -${start},${count} +${start},${count} @@ function block${h}() {\n`;
    for (let i = 0; i < HUNK.context; i++) text += ` ${code(file, start + i, '')}\n`;
    for (let i = 0; i < HUNK.changed; i++) text += `-${code(file, start + HUNK.context + i, 'Old')}\n`;
    for (let i = 0; i < HUNK.changed; i++) text += `+${code(file, start + HUNK.context + i, 'New')}\n`;
    for (let i = 0; i < HUNK.context; i++) text += ` ${code(file, start + HUNK.context + HUNK.changed + i, '')}\n`;
  }
  return text;
}

/** An added file of `lines` lines. */
function addedFile(name: string, lines: number, line: (n: number) => string): string {
  let text = `diff --git a/${name} b/${name}\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/${name}\n@@ -0,0 +1,${lines} @@\n`;
  for (let n = 1; n <= lines; n++) text += `+${line(n)}\n`;
  return text;
}

/** The big branch's diff: exactly BIG_BRANCH.files files and BIG_BRANCH.lines lines of diff. */
export function bigDiff(): string {
  const lockLines = 3_000;
  const largeLines = 2_500;
  const ordinaryLines = BIG_BRANCH.lines - lockLines - largeLines;
  const ordinaryFiles = BIG_BRANCH.files - 2;
  const totalHunks = ordinaryLines / HUNK_LINES;
  let text = addedFile('package-lock.json', lockLines, (n) => `    "node_modules/pkg-${n}": { "version": "1.${n}.0" },`);
  text += addedFile('src/generated-table.ts', largeLines, (n) => `export const row${n} = [${n}, ${n * 2}, ${n * 3}];`);
  for (let f = 0; f < ordinaryFiles; f++) {
    // The hunks spread over the files, the first ones a little bigger, as in real branches.
    const hunks = Math.floor(totalHunks / ordinaryFiles) + (f < totalHunks % ordinaryFiles ? 1 : 0);
    text += ordinaryFile(f + 1, hunks);
  }
  return text;
}

/**
 * The small branch's second file: one change of REWRITE_LINES deleted lines and as many added, so its
 * rows span several tables (scripts/render/diff-tables.ts) and the split view pairs each deleted
 * line with an added one in another table.
 */
export const REWRITE = { path: 'src/rewrite.ts', lines: 300 } as const;

function rewrittenFile(): string {
  const { path: name, lines } = REWRITE;
  let text = `diff --git a/${name} b/${name}\nindex 4444444..5555555 100644\n--- a/${name}\n+++ b/${name}\n@@ -1,${lines} +1,${lines} @@\n`;
  for (let n = 1; n <= lines; n++) text += `-${code(0, n, 'Old')}\n`;
  for (let n = 1; n <= lines; n++) text += `+${code(0, n, 'New')}\n`;
  return text;
}

/** Writes the archive into `dir`. */
export async function writeBigArchive(dir: string): Promise<void> {
  const branch = (id: number, name: string, title: string) =>
    `---\nid: ${id}\nname: ${name}\ntitle: ${title}\nstate: merged\ntarget: main\nmerge_commit: ${'a'.repeat(40)}\nhead: ${'b'.repeat(40)}\nbase: ${'c'.repeat(40)}\nauthor: Big Example\nupdated: 2026-10-0${id}T10:00:00Z\ntutorial: ready\n---\nA branch the size of a real one.\n`;
  const big = path.join(dir, 'branches', `${BIG_BRANCH.id}-big`);
  await mkdir(path.join(big, 'steps'), { recursive: true });
  await writeFile(path.join(dir, 'archive.yaml'), 'repo: example/big\ntitle: Big reviews\n');
  await writeFile(path.join(big, 'branch.md'), branch(BIG_BRANCH.id, 'big-change', 'Rework every module'));
  await writeFile(path.join(big, 'diff.patch'), bigDiff());
  await writeFile(
    path.join(big, 'steps', '01-modules.md'),
    '---\ntitle: The first module\nintent: Every block computes its value anew.\nfiles:\n  - src/module001/part.ts\nevidence:\n  - file: src/module001/part.ts\n    hunk: "@@ -1,23 +1,23 @@"\n---\nRead this one; the others follow it.\n',
  );
  const small = path.join(dir, 'branches', '2-small');
  await mkdir(small, { recursive: true });
  await writeFile(path.join(small, 'branch.md'), branch(2, 'small-change', 'One module'));
  await writeFile(path.join(small, 'diff.patch'), ordinaryFile(1, 2) + rewrittenFile());
}

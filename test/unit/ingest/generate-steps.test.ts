import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import { resolveEvidence } from '../../../scripts/diff/resolve-evidence.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';
import { generateSteps, relatedKey } from '../../../scripts/ingest/generate-steps.ts';
import { stepFrontMatterSchema } from '../../../scripts/schema/step.ts';

function patchOf(text: string): ParsedPatch {
  const parsed = parsePatch(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.patch;
}

/** A modified file with one hunk per entry of `sizes` (each hunk adds that many lines). */
function modifiedFile(file: string, sizes: number[]): string {
  let oldLine = 1;
  let newLine = 1;
  const hunks = sizes.map((size) => {
    const header = `@@ -${oldLine},1 +${newLine},${size + 1} @@`;
    const body = [' context', ...Array.from({ length: size }, (_, i) => `+line ${i}`)];
    oldLine += 20;
    newLine += 20 + size;
    return [header, ...body].join('\n');
  });
  return [`diff --git a/${file} b/${file}`, 'index 1111111..2222222 100644', `--- a/${file}`, `+++ b/${file}`, ...hunks].join('\n');
}

describe('generating steps from a diff', () => {
  it('makes one step per file, the most changed file first, marked as generated', () => {
    const steps = generateSteps(patchOf([modifiedFile('src/small.ts', [1]), modifiedFile('src/large.ts', [9])].join('\n') + '\n'));
    expect(steps.map((s) => s.front.title)).toEqual(['Change src/large.ts', 'Change src/small.ts']);
    expect(steps.map((s) => s.fileName)).toEqual(['01-change-src-large-ts.md', '02-change-src-small-ts.md']);
    expect(steps.every((s) => s.front.generated === true)).toBe(true);
    expect(steps[0]!.front.intent).toBe('Adds 9 lines in `src/large.ts`. The largest change of this branch.');
  });

  it('cites the largest hunks as evidence, at most three, in diff order, with headers copied from the diff', () => {
    const [step] = generateSteps(patchOf(`${modifiedFile('src/app.ts', [2, 8, 1, 5, 7])}\n`));
    expect(step!.front.evidence).toEqual([
      { file: 'src/app.ts', hunk: '@@ -21,1 +23,9 @@' },
      { file: 'src/app.ts', hunk: '@@ -61,1 +72,6 @@' },
      { file: 'src/app.ts', hunk: '@@ -81,1 +97,8 @@' },
    ]);
  });

  it('puts related files in one step: a module and its test', () => {
    const steps = generateSteps(patchOf([modifiedFile('src/parser.ts', [4]), modifiedFile('README.md', [1]), modifiedFile('test/parser.test.ts', [3])].join('\n') + '\n'));
    expect(steps.map((s) => s.front.files)).toEqual([['src/parser.ts', 'test/parser.test.ts'], ['README.md']]);
    expect(steps[0]!.front.title).toBe('Change src/parser.ts and 1 related file');
  });

  it('keeps the number of steps in bounds by gathering the smallest changes in a last step', () => {
    const files = Array.from({ length: 9 }, (_, i) => modifiedFile(`src/module${i}.ts`, [10 - i]));
    const steps = generateSteps(patchOf(`${files.join('\n')}\n`), { maxSteps: 4, maxEvidence: 2 });
    expect(steps).toHaveLength(4);
    expect(steps[3]!.front.title).toBe('Other changes in 6 files');
    expect(steps[3]!.front.evidence).toHaveLength(2);
  });

  it('describes a rename and a binary file without citing hunks they do not have', async () => {
    const renamed = patchOf(await readFile('test/fixtures/patches/renamed.patch', 'utf8'));
    const binary = patchOf(await readFile('test/fixtures/patches/binary.patch', 'utf8'));
    const renameStep = generateSteps(renamed).find((s) => s.front.title.startsWith('Rename'));
    expect(renameStep?.front.intent).toMatch(/^Renames `.+` to `.+` \(\d+ % similar\)/);
    const binaryStep = generateSteps(binary)[0]!;
    expect(binaryStep.front.intent).toMatch(/the binary file/);
    expect(binaryStep.front.evidence).toEqual([]);
  });

  it('writes nothing for an empty diff', () => {
    expect(generateSteps({ files: [] })).toEqual([]);
  });

  it('only writes evidence that resolves and front matter the step schema accepts, for every sample patch', async () => {
    const dir = 'test/fixtures/patches';
    let checked = 0;
    for (const name of await readdir(dir)) {
      const parsed = parsePatch(await readFile(path.join(dir, name), 'utf8'));
      if (!parsed.ok) continue;
      for (const step of generateSteps(parsed.patch)) {
        expect(stepFrontMatterSchema.safeParse(step.front).success).toBe(true);
        for (const selector of step.front.evidence) expect(resolveEvidence(parsed.patch, selector).ok, `${name}: ${JSON.stringify(selector)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('telling which files are related', () => {
  it('joins a module with its tests in any of the usual spellings', () => {
    expect(new Set(['src/Parser.ts', 'test/parser.test.ts', 'tests/test_parser.py', 'src/ParserTest.java', 'lib/parser_spec.rb'].map(relatedKey)).size).toBe(1);
  });

  it('keeps generic names such as index.ts apart', () => {
    expect(relatedKey('src/a/index.ts')).not.toBe(relatedKey('src/b/index.ts'));
  });
});

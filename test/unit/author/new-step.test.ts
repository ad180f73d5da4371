import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import { resolveEvidence } from '../../../scripts/diff/resolve-evidence.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { validateYaml } from '../../../scripts/archive/validate.ts';
import { stepFrontMatterSchema } from '../../../scripts/schema/step.ts';
import { formatNewStep, hunkEvidenceLines, newStepFileName, nextStepNumber, stepSlug } from '../../../scripts/author/new-step.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';

function patchOf(text: string): ParsedPatch {
  const parsed = parsePatch(text);
  if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
  return parsed.patch;
}

/** The new step's front matter, read back the way the build reads it. */
function frontMatterOf(text: string) {
  const yaml = /^---\n([\s\S]*?)\n---\n/.exec(text)![1]!;
  return validateYaml(stepFrontMatterSchema, parseYamlSource(yaml, 2), 'steps/03-x.md');
}

const TWO_FILES = `diff --git a/src/gauge.rs b/src/gauge.rs
index 1111111..2222222 100644
--- a/src/gauge.rs
+++ b/src/gauge.rs
@@ -1,3 +1,4 @@ pub mod gauge;
 a
+b
 c
 d
@@ -10,2 +11,2 @@ fn decode(buf: &[u8]) -> Result<Frame, "err"> {
 x
-y
+z
diff --git a/old name.txt b/old name.txt
deleted file mode 100644
index 3333333..0000000
--- a/old name.txt
+++ /dev/null
@@ -1 +0,0 @@
-gone
`;

describe('new step numbering', () => {
  it('takes the number after the highest step, whatever the gaps, padding and other files', () => {
    expect(nextStepNumber([])).toBe(1);
    expect(nextStepNumber(['01-a.md', '02-b.md'])).toBe(3);
    expect(nextStepNumber(['01-a.md', '07-b.md', '3-c.md'])).toBe(8);
    expect(nextStepNumber(['9-a.md', '10-b.md'])).toBe(11);
    expect(nextStepNumber(['.01-a.md.tmp', 'notes.txt', '05-draft.txt', '02-b.md'])).toBe(3);
  });

  it('names the file with two digits, then three past 99', () => {
    expect(newStepFileName(['01-a.md'], 'Verify the frames')).toBe('02-verify-the-frames.md');
    expect(newStepFileName(['99-a.md'], 'Last')).toBe('100-last.md');
  });
});

describe('new step slugs', () => {
  it('keeps letters and digits, lower case, one dash between words', () => {
    expect(stepSlug('Check the checksum: before trusting a frame!')).toBe('check-the-checksum-before-trusting-a-frame');
    expect(stepSlug('  `decode_frame` → CRC-16  ')).toBe('decode-frame-crc-16');
    expect(stepSlug('Élan vital, naïve café')).toBe('elan-vital-naive-cafe');
  });

  it('gives a title with no letters or digits the slug "step"', () => {
    expect(stepSlug('→ ✓ …')).toBe('step');
    expect(stepSlug('x')).toBe('x');
  });

  it('cuts a long title at a word, at most 50 characters', () => {
    const slug = stepSlug('Move the station lookup out of the ingest loop so that every batch reuses one cached table');
    expect(slug.length).toBeLessThanOrEqual(50);
    expect(slug).toBe('move-the-station-lookup-out-of-the-ingest-loop-so');
  });

  it('always makes a name the archive loader accepts as a step (property over random titles)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'aZ09 -_:/.\\"\'#@!é→\u0000\n\t😀';
    for (let run = 0; run < 500; run++) {
      const title = Array.from({ length: Math.floor(random() * 80) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const name = newStepFileName([], title);
      expect(name).toMatch(/^01-[a-z0-9]+(-[a-z0-9]+)*\.md$/);
      expect(name.length).toBeLessThanOrEqual(56);
    }
  });
});

describe('new step hunk listing', () => {
  it('lists every hunk of the diff, one line each, with the header as the diff has it', () => {
    expect(hunkEvidenceLines(patchOf(TWO_FILES))).toEqual([
      '{ file: src/gauge.rs, hunk: "@@ -1,3 +1,4 @@ pub mod gauge;" }',
      `{ file: src/gauge.rs, hunk: '@@ -10,2 +11,2 @@ fn decode(buf: &[u8]) -> Result<Frame, "err"> {' }`,
      '{ file: old name.txt, hunk: "@@ -1 +0,0 @@" }',
    ]);
  });

  it('writes front matter the build accepts, whose evidence resolves to every hunk of the diff', () => {
    const patch = patchOf(TWO_FILES);
    const text = formatNewStep('Decode: the "frame"', patch);
    const { data, problems } = frontMatterOf(text);
    expect(problems).toEqual([]);
    expect(data!.title).toBe('Decode: the "frame"');
    expect(data!.files).toEqual(['src/gauge.rs', 'old name.txt']);
    expect(data!.evidence).toHaveLength(3);
    for (const selector of data!.evidence) expect(resolveEvidence(patch, selector).ok, JSON.stringify(selector)).toBe(true);
  });

  it('leaves a valid step when the author deletes hunk lines, files or all of them', () => {
    const text = formatNewStep('Pick', patchOf(TWO_FILES));
    const lines = text.split('\n');
    const withoutSecondHunk = lines.filter((line) => !line.includes('@@ -10,2')).join('\n');
    expect(frontMatterOf(withoutSecondHunk).data!.evidence.map((e) => ('hunk' in e ? e.hunk : ''))).toEqual(['@@ -1,3 +1,4 @@ pub mod gauge;', '@@ -1 +0,0 @@']);
    const onlyFirstFile = lines.filter((line) => !line.includes('old name.txt')).join('\n');
    expect(frontMatterOf(onlyFirstFile).data!.files).toEqual(['src/gauge.rs']);
  });

  it('reads back any path and function context exactly (property over random text)', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'ab {}[]:,#&*!|>\'"%@`\\é→\t😀-?';
    const text = (n: number) => Array.from({ length: 1 + Math.floor(random() * n) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let run = 0; run < 300; run++) {
      const file = `dir/${text(20).replace(/[\s\\"]/g, '_')}.ts`;
      const context = text(40).replace(/[\t]/g, ' ').trim();
      const header = `@@ -1,1 +1,2 @@${context ? ` ${context}` : ''}`;
      const patch = patchOf(`diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n${header}\n a\n+b\n`);
      const { data, problems } = frontMatterOf(formatNewStep(text(30), patch));
      expect(problems, header).toEqual([]);
      expect(data!.evidence).toEqual([{ file: patch.files[0]!.newPath, hunk: patch.files[0]!.hunks[0]!.header }]);
    }
  });

  it('offers no files or hunks for an empty diff, and the step still builds', () => {
    const { data, problems } = frontMatterOf(formatNewStep('Nothing', undefined));
    expect(problems).toEqual([]);
    expect(data).toMatchObject({ files: [], evidence: [] });
  });
});

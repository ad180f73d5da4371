import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/build/cli-args.ts';
import { EXPORT_USAGE, parseExportArgs } from '../../../scripts/export/export.ts';
import { isId } from '../../../scripts/export/github-export.ts';
import { groupNotes } from '../../../scripts/import/import.ts';
import { parseImportArgs } from '../../../scripts/import/import-args.ts';

describe('npm run export arguments', () => {
  it('takes the forge, the project and --dir, and --since as a date', () => {
    expect(parseExportArgs(['github', 'wrenworks/tide-clock', '--dir', 'export'])).toEqual({ forge: 'github', project: 'wrenworks/tide-clock', dir: 'export', since: undefined });
    expect(parseExportArgs(['gitlab', 'group/sub/project', '--dir', 'e', '--since', '2026-01-31']).since).toEqual(new Date('2026-01-31T00:00:00Z'));
  });

  it('says what to write instead', () => {
    expect(() => parseExportArgs(['gitea', 'a/b', '--dir', 'e'])).toThrow(/^"gitea" is not a forge this exporter knows: the first word must be github or gitlab/);
    expect(() => parseExportArgs(['github', 'justname', '--dir', 'e'])).toThrow(/^"justname" must be OWNER\/NAME/);
    expect(() => parseExportArgs(['github', 'a/b'])).toThrow(/^--dir is required: the folder the export goes into/);
    expect(() => parseExportArgs(['github', 'a/b', '--dir', 'e', '--since', 'last week'])).toThrow('--since "last week" is not a date: write 2026-01-31 or 2026-01-31T12:00:00Z');
  });

  it('names an unknown option plainly, like the other commands, and tells help (exit 0) from a mistake', () => {
    expect(() => parseExportArgs(['github', 'a/b', '--dir', 'e', '--bogus'])).toThrow(`review-archive export: unknown option --bogus\n\n${EXPORT_USAGE}`);
    const mistake = catchUsage(() => parseExportArgs(['github', 'a/b']));
    expect(mistake.helpAsked).toBe(false);
    expect(parseExportArgs(['github', 'a/b', '--dir=-h']).dir).toBe('-h');
    const help = catchUsage(() => parseExportArgs(['--help']));
    expect(help.helpAsked).toBe(true);
    expect(help.message).toBe(EXPORT_USAGE);
  });
});

function catchUsage(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('npm run import arguments for forges', () => {
  it('takes a folder for github and gitlab, and refuses pika\'s file options', () => {
    expect(parseImportArgs(['github', 'export', '--repo', '../clone'])).toEqual({ source: 'github', out: 'content', repo: '../clone', dir: 'export' });
    expect(parseImportArgs(['gitlab', 'export', '--out', 'archive'])).toEqual({ source: 'gitlab', out: 'archive', repo: undefined, dir: 'export' });
    expect(() => parseImportArgs(['github'])).toThrow(/^the export folder is missing: npm run import -- github DIR/);
    expect(() => parseImportArgs(['gitlab', 'export', '--diff', 'd.patch'])).toThrow(/^--diff is for pika exports; a gitlab export is a folder/);
  });
});

describe('import notes', () => {
  it('says a note shared by many branches once, with the count and the first folders', () => {
    const notes = ['branches/1-a: no diff: x', 'branches/2-b: no diff: x', 'branches/3-c: no diff: x', 'branches/4-d: no diff: x', 'branches/2-b: steps/01-a.md was written or changed by a person: kept as it is'];
    expect(groupNotes(notes)).toEqual(['4 branches (branches/1-a, branches/2-b, branches/3-c, …): no diff: x', 'branches/2-b: steps/01-a.md was written or changed by a person: kept as it is']);
  });
});

describe('ids from an API answer', () => {
  it('become folder names only when they are plain positive numbers', () => {
    expect([41, '41', 0, -3, 1.5, '../../etc', '4e3', null].map(isId)).toEqual([true, true, false, false, false, false, false, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseBuildArgs, UsageError } from '../../../scripts/build/cli-args.ts';
import { parseImportArgs } from '../../../scripts/import/import-args.ts';
import { parseIngestArgs } from '../../../scripts/ingest/ingest-args.ts';

describe('the ingest command line', () => {
  it('reads every option, with content as the default archive', () => {
    expect(parseIngestArgs(['--repo', 'r', '--target', 'main', '--since', '2026-01-31', '--limit', '5'])).toEqual({ repo: 'r', out: 'content', target: 'main', since: new Date('2026-01-31'), limit: 5 });
  });

  it('explains a missing repository, a bad date and a bad limit', () => {
    expect(() => parseIngestArgs([])).toThrow(/^--repo is required/);
    expect(() => parseIngestArgs(['--repo', 'r', '--since', 'yesterday'])).toThrow('--since yesterday: not a date');
    expect(() => parseIngestArgs(['--repo', 'r', '--limit', '0'])).toThrow(UsageError);
  });
});

describe('the import command line', () => {
  it('takes one export as files, or a folder of exports', () => {
    expect(parseImportArgs(['pika', '--branch', 'b.json', '--tutorial', 't.json', '--diff', 'd.patch'])).toEqual({ source: 'pika', out: 'content', repo: undefined, files: { branch: 'b.json', tutorial: 't.json', ci: undefined, diff: 'd.patch' } });
    expect(parseImportArgs(['pika', 'exports', '--repo', 'r', '--out', 'o'])).toEqual({ source: 'pika', out: 'o', repo: 'r', dir: 'exports' });
  });

  it('refuses an unknown source and a folder mixed with files', () => {
    expect(() => parseImportArgs(['gerrit', 'x'])).toThrow(/"gerrit" is not a source this importer knows/);
    expect(() => parseImportArgs(['pika', 'exports', '--branch', 'b.json'])).toThrow(/--branch and a folder cannot go together/);
  });
});

describe('every command line', () => {
  const failure = (parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      return error as UsageError;
    }
    throw new Error('expected a usage error');
  };

  it('names the command and the unknown option, then shows the usage, and is not a request for help', () => {
    for (const [command, parse] of [
      ['build', () => parseBuildArgs(['--colour'])],
      ['ingest', () => parseIngestArgs(['--repo', 'r', '--colour'])],
      ['import', () => parseImportArgs(['github', 'x', '--colour'])],
    ] as const) {
      const error = failure(parse);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.helpAsked).toBe(false);
      expect(error.message.split('\n')[0]).toBe(`review-archive ${command}: unknown option --colour`);
      expect(error.message).toContain(`Usage: npm run ${command} --`);
    }
  });

  it('answers --help and -h with the usage alone, as help asked for (exit code 0)', () => {
    for (const parse of [() => parseBuildArgs(['--help']), () => parseIngestArgs(['-h']), () => parseImportArgs(['--help'])]) {
      const error = failure(parse);
      expect(error.helpAsked).toBe(true);
      expect(error.message).toMatch(/^Usage: npm run /);
    }
  });

  it('says when an option is missing its value', () => {
    expect(failure(() => parseBuildArgs(['--out'])).message.split('\n')[0]).toMatch(/^review-archive build: Option '--out <value>' argument missing/);
  });
});

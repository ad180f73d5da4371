import { describe, expect, it } from 'vitest';
import type { BuildState } from '../../../scripts/build/build-state.ts';
import { pageChanges, pageIsAffected } from '../../../scripts/dev/changed-pages.ts';
import { DevUsageError, parseDevArgs } from '../../../scripts/dev/dev-args.ts';
import { excerptAround, problemViews } from '../../../scripts/dev/problem-view.ts';

const STEP = ['---', 'title: Check', 'reviewer: Kim', 'intent: Why.', 'files:', '  - a.ts', 'evidence: []', '---', 'Body.'].join('\n');

describe('problems panel excerpts', () => {
  it('shows three lines either side of the line at fault, that line marked', () => {
    expect(excerptAround(STEP, 3)).toEqual([
      { number: 1, text: '---', marked: false },
      { number: 2, text: 'title: Check', marked: false },
      { number: 3, text: 'reviewer: Kim', marked: true },
      { number: 4, text: 'intent: Why.', marked: false },
      { number: 5, text: 'files:', marked: false },
      { number: 6, text: '  - a.ts', marked: false },
    ]);
    expect(excerptAround(STEP, 9).map((line) => line.number)).toEqual([6, 7, 8, 9]);
  });

  it('shows nothing for a line the file does not have, and cuts very long lines', () => {
    expect(excerptAround(STEP, 0)).toEqual([]);
    expect(excerptAround(STEP, 10)).toEqual([]);
    const [line] = excerptAround('x'.repeat(5000), 1);
    expect(line!.text).toHaveLength(241);
    expect(line!.text.endsWith('…')).toBe(true);
  });

  it('lists problems in the report order with the report line, reading each file once', () => {
    const reads: string[] = [];
    const views = problemViews(
      [
        { file: 'b/steps/01-x.md', line: 3, field: 'reviewer', message: 'is not a known field' },
        { file: 'a/branch.md', message: 'is missing' },
        { file: 'b/steps/01-x.md', line: 9, message: 'second' },
      ],
      (file) => (reads.push(file), STEP),
    );
    expect(views.map((view) => view.report)).toEqual(['a/branch.md: is missing', 'b/steps/01-x.md:3: reviewer: is not a known field', 'b/steps/01-x.md:9: second']);
    expect(views[0]!.excerpt).toEqual([]);
    expect(views[1]!.excerpt.find((line) => line.marked)?.text).toBe('reviewer: Kim');
    expect(reads).toEqual(['b/steps/01-x.md']);
  });

  it('shows control and direction characters as escapes, as the terminal does, and tabs as spaces', () => {
    const [line] = excerptAround('title: "admin\u202e\u2066 ok"\x1b[2J\tend', 1);
    expect(line!.text).toBe('title: "admin\\u202e\\u2066 ok"\\x1b[2J    end');
    const [view] = problemViews([{ file: 'a.md', line: 1, field: 'x\u202e', message: 'bad\nline' }], () => 'x');
    expect([view!.field, view!.message]).toEqual(['x\\u202e', 'bad\\nline']);
  });

  it('shows no lines when the file cannot be read', () => {
    expect(problemViews([{ file: 'gone.md', line: 2, message: 'm' }], () => undefined)[0]!.excerpt).toEqual([]);
  });
});

type Branches = BuildState['branches'];
function branch(output: string, title = 'T'): Branches[string] {
  return { folder: 'f', signature: 's', digest: 'd', output, summary: { title } as Branches[string]['summary'], facts: { title } as Branches[string]['facts'], classes: [], dataHashes: {} };
}

describe('which open pages a change reloads', () => {
  it('a step edit reloads its branch page and the listing pages, not other branch pages', () => {
    const changes = pageChanges({ 1: branch('a'), 2: branch('b') }, { 1: branch('a2'), 2: branch('b') });
    expect(changes).toEqual({ branches: [1], listing: false });
    expect(pageIsAffected('branch/1/', changes)).toBe(true);
    expect(pageIsAffected('branch/2/', changes)).toBe(false);
    expect(pageIsAffected('', changes)).toBe(true);
    expect(pageIsAffected('stats/', changes)).toBe(true);
  });

  it('a new title, a new or a removed branch reloads every branch page (neighbour links show titles)', () => {
    expect(pageChanges({ 1: branch('a') }, { 1: branch('a2', 'New title') })).toEqual({ branches: [1], listing: true });
    const added = pageChanges({ 1: branch('a') }, { 1: branch('a'), 3: branch('c') });
    expect(added).toEqual({ branches: [3], listing: true });
    expect(pageIsAffected('branch/1/', added)).toBe(true);
    expect(pageChanges({ 1: branch('a'), 3: branch('c') }, { 1: branch('a') })).toEqual({ branches: [3], listing: true });
  });

  it('a branch whose page changed but not its summary (a new step) leaves the listing as it was', () => {
    const before = branch('a');
    const after = { ...branch('a2'), facts: { title: 'T', steps: 3 } as Branches[string]['facts'] };
    expect(pageChanges({ 1: before }, { 1: after })).toEqual({ branches: [1], listing: false });
  });

  it('nothing changed: no page reloads', () => {
    const changes = pageChanges({ 1: branch('a') }, { 1: branch('a') });
    expect(pageIsAffected('branch/1/', changes) || pageIsAffected('', changes)).toBe(false);
  });
});

describe('npm run dev arguments', () => {
  it('serves on localhost:4321 unless told otherwise', () => {
    expect(parseDevArgs([])).toEqual({ contentDir: 'content', port: 4321, host: 'localhost', cacheDir: '.review-archive/dev' });
    expect(parseDevArgs(['--content', '../r', '--port', '8080', '--host', '0.0.0.0'])).toMatchObject({ contentDir: '../r', port: 8080, host: '0.0.0.0' });
  });

  it('says what is wrong with a bad port or an unknown option', () => {
    const message = (argv: string[]) => {
      try {
        parseDevArgs(argv);
        return 'no error';
      } catch (error) {
        expect(error).toBeInstanceOf(DevUsageError);
        return (error as Error).message.split('\n')[0];
      }
    };
    expect(message(['--port', '99999'])).toBe('review-archive dev: --port must be a number from 1 to 65535, not "99999"');
    expect(message(['--port', 'http'])).toBe('review-archive dev: --port must be a number from 1 to 65535, not "http"');
    expect(message(['--watch'])).toBe('review-archive dev: unknown option --watch');
  });
});

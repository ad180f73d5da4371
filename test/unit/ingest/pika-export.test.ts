import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateYaml } from '../../../scripts/archive/validate.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';
import { locateHunk, mapPikaExport, summaryOf } from '../../../scripts/import/pika/map-export.ts';
import { pikaBranchSchema, pikaCiSchema, pikaTutorialSchema } from '../../../scripts/import/pika/pika-schema.ts';
import type { PikaExport } from '../../../scripts/import/pika/read-export.ts';
import { ciFileSchema as pikaCiYamlSchema } from '../../../scripts/schema/ci.ts';

const fixture = 'test/fixtures/pika/exports/lunar-cycle';

async function loadFixture(): Promise<{ exported: PikaExport; patchText: string; patch: ParsedPatch }> {
  const read = async <T>(name: string, parse: (value: unknown) => T) => parse(JSON.parse(await readFile(`${fixture}/${name}`, 'utf8')));
  const patchText = await readFile(`${fixture}/diff.patch`, 'utf8');
  const noLines = (file: string) => ({ file, lineOf: () => undefined });
  const exported: PikaExport = {
    paths: { branch: `${fixture}/branch.json` },
    branch: await read('branch.json', (v) => pikaBranchSchema.parse(v)),
    tutorial: await read('tutorial.json', (v) => pikaTutorialSchema.parse(v)),
    ci: await read('ci.json', (v) => pikaCiSchema.parse(v)),
    sources: { branch: noLines('branch.json'), tutorial: noLines('tutorial.json'), ci: noLines('ci.json') },
  };
  return { exported, patchText, patch: (parsePatch(patchText) as { ok: true; patch: ParsedPatch }).patch };
}

describe('mapping a pika-git export', () => {
  it('maps pika words for states and statuses to ours', async () => {
    const { exported } = await loadFixture();
    expect(exported.branch.state).toBe('merged');
    expect(exported.branch.tutorial_status).toBe('ready');
    expect(exported.ci!.runs.map((run) => [run.status, run.lanes.map((lane) => lane.status)])).toEqual([
      ['success', ['success', 'success', 'success']],
      ['failed', ['success', 'failed', 'skipped']],
    ]);
  });

  it('rejects a status it does not know, naming the field, its line and the words it knows', () => {
    const source = parseYamlSource('{\n  "repo": "a/b", "branch_id": 1, "branch_name": "x", "title": "T",\n  "state": "exploded",\n  "target_branch": "main", "head_sha": "abcdef1", "base_sha": "abcdef2",\n  "tutorial_status": null, "updated_at": "2026-01-01T00:00:00Z"\n}');
    const { problems } = validateYaml(pikaBranchSchema, source, 'branch.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'branch.json', line: 3, field: 'state' });
    expect(problems[0]!.message).toMatch(/^must be one of open, opened, .*merged.*closed.*, not "exploded"$/);
  });

  it('writes the summary, then the media links as a list', async () => {
    const { exported } = await loadFixture();
    expect(summaryOf(exported.tutorial!)).toMatch(/documents why\.\n\nMedia:\n\n- \[Sketch of the lunar clock\]\(<https:\/\/example\.org\/tide-clock\/lunar-clock\.png>\)\n- <https:\/\/example\.org\/tide-clock\/demo\.mp4>$/);
  });

  it('finds the file of an evidence hunk, preferring the step\'s own files when several files share the header', async () => {
    const { patch } = await loadFixture();
    expect(locateHunk(patch, '@@ -1,3 +1,5 @@', ['docs/harbours.md'])).toEqual({ selector: { file: 'docs/harbours.md', hunk: '@@ -1,3 +1,5 @@' } });
    expect(locateHunk(patch, '@@ -1,3 +1,5 @@', [])).toEqual({ selector: { file: 'README.md', hunk: '@@ -1,3 +1,5 @@' } });
    expect(locateHunk(patch, '@@ -8,4 +9,4 @@ def metres(value):', [])).toEqual({ selector: { file: 'src/units.py', hunk: '@@ -8,4 +9,4 @@' } });
  });

  it('says which snippet is not in the diff', async () => {
    const { patch } = await loadFixture();
    expect(locateHunk(patch, '@@ -99,1 +99,2 @@', ['src/tides.py'])).toEqual({ message: "hunk @@ -99,1 +99,2 @@ is in no file of the diff (the step's files: src/tides.py)" });
    expect(locateHunk(patch, 'line 12', [])).toEqual({ message: '"line 12" is not a hunk header such as "@@ -193,6 +193,17 @@"' });
  });

  it('lists CI runs oldest first, whatever order pika-git wrote them in', async () => {
    const { exported, patch, patchText } = await loadFixture();
    const { folder } = mapPikaExport(exported, patchText, patch, 'Mira Tan');
    const ci = folder!.files.get('ci.yaml')!;
    expect(ci.indexOf('id: 5201')).toBeLessThan(ci.indexOf('id: 5202'));
    expect(ci).toContain('rerun_of: 5201');
    expect(folder!.files.get('branch.md')).toContain('author: Mira Tan');
    expect(folder!.folder).toBe('318-lunar-cycle');
  });

  it("writes each lane's log_text as a log file named by the lane's log:, with its times, entrypoint, retries and failure kind", async () => {
    const { exported, patch, patchText } = await loadFixture();
    const run = exported.ci!.runs[0]!;
    run.lanes[0] = { ...run.lanes[0]!, log_text: '##[group]Run cargo test\nerror[E0425]: cannot find value `tide`\n', started_at: '2026-02-03T09:30:04Z', finished_at: '2026-02-03T09:31:10Z', entrypoint: 'cargo test', retry_count: 2, failure_kind: 'test_failure' };
    const { folder, problems } = mapPikaExport(exported, patchText, patch, undefined);
    expect(problems).toEqual([]);
    const logPath = `ci/${run.id}/${run.lanes[0]!.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.log`;
    expect(folder!.files.get(logPath)).toBe('##[group]Run cargo test\nerror[E0425]: cannot find value `tide`\n');
    const ci = validateYaml(pikaCiYamlSchema, parseYamlSource(folder!.files.get('ci.yaml')!), 'ci.yaml');
    expect(ci.problems).toEqual([]);
    const lane = ci.data!.runs.find((r) => r.id === run.id)!.lanes[0]!;
    expect(lane).toEqual({ name: run.lanes[0]!.title, status: run.lanes[0]!.status, log: logPath, started_at: '2026-02-03T09:30:04Z', finished_at: '2026-02-03T09:31:10Z', entrypoint: 'cargo test', retries: 2, failure_kind: 'test_failure' });
  });

  it('refuses a merged branch without its merge commit', async () => {
    const { exported, patch, patchText } = await loadFixture();
    const { folder, problems } = mapPikaExport({ ...exported, branch: { ...exported.branch, merge_commit_sha: null } }, patchText, patch, undefined);
    expect(folder).toBeUndefined();
    expect(problems).toEqual([{ file: 'branch.json', line: undefined, field: 'merge_commit_sha', message: 'is required when state is merged' }]);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import type { ForgeBranch, ForgeThread } from '../../../scripts/import/forge/forge-branch.ts';
import { placeThreads } from '../../../scripts/import/forge/place-threads.ts';
import { laneStatusOf, mapGithubPull } from '../../../scripts/import/github/map-github.ts';
import { readLogText } from '../../../scripts/import/forge/log-source.ts';
import { jobLogsOf, matchJobLogs } from '../../../scripts/import/github/logs-zip.ts';
import { readZipDirectory } from '../../../scripts/import/github/zip-file.ts';
import { readGithubExport } from '../../../scripts/import/github/read-github.ts';
import { activityOf, mapGitlabMergeRequest } from '../../../scripts/import/gitlab/map-gitlab.ts';
import { readGitlabExport } from '../../../scripts/import/gitlab/read-gitlab.ts';
import { fakeShas, FIXTURE_SHA_NAMES, materializeExport } from '../../support/forge-fixtures.ts';

const shas = fakeShas(FIXTURE_SHA_NAMES);
let work: string;
const github = new Map<number, ForgeBranch>();
const gitlab = new Map<number, ForgeBranch>();

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ra-forge-map-'));
  await materializeExport('test/fixtures/github/export', path.join(work, 'github'), shas);
  await materializeExport('test/fixtures/gitlab/export', path.join(work, 'gitlab'), shas);
  const read = await readGithubExport(path.join(work, 'github'));
  expect(read.problems).toEqual([]);
  expect(read.repo).toBe('wrenworks/tide-clock');
  for (const pull of read.pulls) github.set(pull.pull.value.number, mapGithubPull(pull, new Map()).branch!);
  const lab = await readGitlabExport(path.join(work, 'gitlab'));
  expect(lab.problems).toEqual([]);
  for (const mr of lab.mergeRequests) gitlab.set(mr.mergeRequest.value.iid, mapGitlabMergeRequest(mr, new Map()).branch!);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('GitHub pull requests', () => {
  it('maps merged, squash-merged, closed and draft pull requests to states and commits', () => {
    const facts = [...github.values()].map((b) => [b.id, b.name, b.state, b.draft, b.mergeCommit, b.head, b.base, b.author]);
    expect(facts).toEqual([
      [44, 'draft/ui', 'open', true, undefined, shas.HEAD_44, shas.BASE_44, 'carol'],
      [43, 'experiment/tidal-ai', 'closed', false, undefined, '5eadbeef00000000000000000000000000000043', shas.BASE_43, 'dave'],
      [42, 'fix/leap-seconds', 'merged', false, shas.SQUASH_42, shas.HEAD_42, shas.BASE_42, 'bob'],
      [41, 'feature/moon-phase', 'merged', false, shas.MERGE_41, shas.HEAD_41, shas.BASE_41, 'ada'],
    ]);
  });

  it('keeps every submitted verdict, the dismissed one too, and drops the pending draft review', () => {
    expect(github.get(41)!.reviews.map((r) => [r.author, r.state, r.body ?? ''])).toEqual([
      ['bob', 'changes_requested', 'The legacy offset is still read in `nextTide`.'],
      ['erin', 'dismissed', 'Approving before the trim.'],
      ['bob', 'commented', ''],
      ['carol', 'approved', 'Looks right to me.'],
    ]);
  });

  it('groups replies into their thread, in order, with the resolved state from threads.json', () => {
    const thread = github.get(41)!.threads.find((t) => t.file === 'src/moon.ts' && t.line === 3)!;
    expect(thread.comments.map((c) => [c.author, c.body])).toEqual([
      ['bob', 'Should `phaseOf` take a time zone?'],
      ['ada', 'No: the phase is the same everywhere at one instant.'],
      ['bob', 'Fair, resolving.'],
    ]);
    expect(thread.comments[0]!.edited_at).toBe('2026-01-05T12:06:00Z');
    expect(thread.resolved).toBe(true);
  });

  it('keeps an outdated comment on its original line with its diff hunk, a multi-line range, an old-side line and a file comment', () => {
    const threads = github.get(41)!.threads.map((t) => ({ file: t.file, side: t.side, line: t.line, start: t.start_line, outdated: t.outdated, hunk: t.hunk?.split('\n')[0] }));
    expect(threads).toEqual([
      { file: 'src/moon.ts', side: 'new', line: 3, start: undefined, outdated: false, hunk: '@@ -0,0 +1,6 @@' },
      { file: 'src/moon.ts', side: 'new', line: 9, start: undefined, outdated: true, hunk: '@@ -0,0 +1,9 @@' },
      { file: 'src/tide.ts', side: 'old', line: 4, start: undefined, outdated: false, hunk: '@@ -1,12 +1,11 @@' },
      { file: 'src/moon.ts', side: 'new', line: 5, start: 3, outdated: false, hunk: '@@ -0,0 +1,6 @@' },
      { file: 'src/tide.ts', side: 'new', line: undefined, start: undefined, outdated: false, hunk: undefined },
    ]);
  });

  it('makes one run per head sha: Actions jobs (latest attempt, retries counted) and other check runs as lanes', () => {
    const runs = github.get(41)!.runs.map((run) => ({
      id: run.id,
      head: run.head,
      status: run.status,
      url: run.url,
      lanes: run.lanes.map((lane) => [lane.name, lane.status, lane.retries ?? 0, lane.duration_secs]),
    }));
    expect(runs).toEqual([
      { id: 9000, head: shas.HEAD1_41, status: 'failed', url: 'https://github.com/wrenworks/tide-clock/actions/runs/9000', lanes: [['CI / test (node 22)', 'failed', 1, 60], ['CI / lint', 'cancelled', 0, 40]] },
      {
        id: 9001,
        head: shas.HEAD_41,
        status: 'success',
        url: 'https://github.com/wrenworks/tide-clock/actions/runs/9001',
        lanes: [['CI / test (node 22)', 'success', 0, 150], ['CI / deploy preview', 'skipped', 0, 0], ['codecov/patch', 'skipped', 0, 10]],
      },
    ]);
  });

  it("links each lane to its job on GitHub: an Actions job to its check run's details_url, another check to its own", () => {
    const [first, second] = github.get(41)!.runs;
    expect(first!.lanes.map((lane) => lane.url)).toEqual(['https://github.com/wrenworks/tide-clock/actions/runs/9000/job/70001', 'https://github.com/wrenworks/tide-clock/actions/runs/9000/job/70003']);
    expect(second!.lanes.map((lane) => lane.url)).toEqual([
      'https://github.com/wrenworks/tide-clock/actions/runs/9001/job/70011',
      'https://github.com/wrenworks/tide-clock/actions/runs/9001/job/70012',
      'https://codecov.example/wrenworks/tide-clock/41',
    ]);
  });

  it('takes job logs from logs.zip: whole files, step folders joined as groups, the runner\'s -2147483648_ files left out', async () => {
    const [first, second] = github.get(41)!.runs;
    const firstLog = readLogText(first!.lanes[0]!.log!);
    expect(firstLog).toContain('##[error]Process completed with exit code 1.');
    expect(firstLog).not.toContain('runner system log');
    expect(readLogText(second!.lanes[0]!.log!)).toBe(
      "##[group]Set up job\n2026-01-05T12:01:05.1234567Z Current runner version: '2.321.0'\n##[endgroup]\n##[group]Run npm test\n2026-01-05T12:01:05.1234567Z Test Files  3 passed (3)\n2026-01-05T12:01:05.1234567Z      Tests  24 passed (24)\n##[endgroup]\n",
    );
    expect(second!.lanes[2]!.log).toBeUndefined();
  });

  it('shows a deleted account as ghost', () => {
    expect(github.get(43)!.comments).toEqual([{ author: 'ghost', at: '2026-01-05T18:50:00Z', body: 'Closing: the model needs data we do not have.' }]);
  });

  it('maps each check conclusion, never showing a neutral or stale check as passed', () => {
    expect(laneStatusOf('completed', 'timed_out')).toEqual({ status: 'failed', failure_kind: 'timeout' });
    expect(laneStatusOf('completed', 'neutral')).toEqual({ status: 'skipped' });
    expect(laneStatusOf('completed', 'cancelled')).toEqual({ status: 'cancelled' });
    expect(laneStatusOf('in_progress', null)).toEqual({ status: 'running' });
    expect(laneStatusOf('waiting', null)).toEqual({ status: 'queued' });
  });

  it('requires the merge commit of a merged pull request', async () => {
    const read = await readGithubExport(path.join(work, 'github'));
    const pull = read.pulls.find((p) => p.pull.value.number === 42)!;
    const broken = { ...pull, pull: { ...pull.pull, value: { ...pull.pull.value, merge_commit_sha: null } } };
    expect(mapGithubPull(broken, new Map()).problems).toEqual([{ file: path.join(work, 'github', 'pulls.json'), line: 61, field: '[0].merge_commit_sha', message: 'is required when merged_at is set: the merge (or squash) commit' }]);
  });
});

describe('logs.zip job names', () => {
  it('pairs a job with the name GitHub cut short or stripped in the zip', async () => {
    const file = path.join(work, 'names.zip');
    await writeFile(file, zipSync({ '0_Build and test on ubuntu-latest with node 22 an.txt': strToU8('\ufeffcut\n'), '1_deploy docs.txt': strToU8('slash\n') }));
    const logs = jobLogsOf(readZipDirectory(file));
    const matched = matchJobLogs(['deploy / docs', 'Build and test on ubuntu-latest with node 22 and the full matrix'], logs);
    const texts = await Promise.all([...matched].map(async ([index, log]) => [index, readLogText({ kind: 'zip', file, parts: log.parts })]));
    // GitHub starts each log with a byte order mark; the archive's log does not.
    expect(texts.sort()).toEqual([
      [0, 'slash\n'],
      [1, 'cut\n'],
    ]);
  });

  it('refuses bytes that are not a zip, saying why', async () => {
    const file = path.join(work, 'rate-limited.zip');
    await writeFile(file, '<html>rate limited</html>');
    expect(() => readZipDirectory(file)).toThrow('no end of central directory: not a zip, or the download was cut short');
  });
});

describe('placing forge threads in the diff the archive holds', () => {
  const parsed = parsePatch('diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+deux\n three\n');
  if (!parsed.ok) throw new Error('fixture patch does not parse');
  const patch = parsed.patch;
  const comment = { author: 'bob', at: '2026-01-05T12:00:00Z', body: 'hm' };
  const thread = (over: Partial<ForgeThread>): ForgeThread => ({ file: 'a.ts', side: 'new', line: 2, resolved: false, outdated: false, comments: [comment], ...over });

  it('keeps a thread on a line of the diff where it is', () => {
    expect(placeThreads([thread({})], patch).threads).toEqual([{ file: 'a.ts', side: 'new', line: 2, comments: [comment] }]);
  });

  it('keeps a comment on a file the diff lacks as outdated, with its hunk and a note', () => {
    const placed = placeThreads([thread({ file: 'gone.ts', hunk: '@@ -1 +1 @@\n-x\n+y' })], patch);
    expect(placed.threads).toEqual([{ file: 'gone.ts', side: 'new', line: 2, outdated: true, hunk: '@@ -1 +1 @@\n-x\n+y', comments: [comment] }]);
    expect(placed.notes).toEqual(['a comment on gone.ts is on a file not in the diff: kept as outdated']);
  });

  it('moves a thread with no hunk to show into the conversation, saying where it was', () => {
    const placed = placeThreads([thread({ line: 40, side: 'old' })], patch);
    expect(placed.threads).toEqual([]);
    expect(placed.comments).toEqual([{ ...comment, body: 'On `a.ts` line 40 (old side), no longer in the diff:\n\nhm' }]);
  });

  it('puts a comment on the whole file on its first changed line', () => {
    expect(placeThreads([thread({ line: undefined })], patch).threads).toEqual([{ file: 'a.ts', side: 'old', line: 2, comments: [comment] }]);
  });

  it('without a diff, shows every line thread as outdated when it has its hunk', () => {
    expect(placeThreads([thread({ hunk: '@@ -1,3 +1,3 @@' })], undefined).threads).toEqual([{ file: 'a.ts', side: 'new', line: 2, outdated: true, hunk: '@@ -1,3 +1,3 @@', comments: [comment] }]);
  });
});

describe('GitLab merge requests', () => {
  it('maps a merged and a draft merge request, the draft marker left out of the title', () => {
    expect([...gitlab.values()].map((b) => [b.id, b.name, b.title, b.state, b.draft, b.mergeCommit, b.base])).toEqual([
      [7, 'feature/moon-phase', 'Moon phases beside the tides', 'merged', false, shas.MERGE_41, undefined],
      [8, 'fix/leap-seconds', 'Handle leap seconds', 'open', true, undefined, shas.BASE_42],
    ]);
  });

  it('places a DiffNote on an old line, a range from line_range, and marks a discussion resolved when all its notes are', () => {
    expect(gitlab.get(7)!.threads.map((t) => [t.file, t.side, t.line, t.start_line, t.resolved, t.comments.length])).toEqual([
      ['src/tide.ts', 'old', 4, undefined, true, 2],
      ['src/moon.ts', 'new', 5, 3, false, 1],
    ]);
  });

  it('keeps the conversation, turns approval system notes into verdicts, those recording a fact into events, and drops the others', () => {
    const branch = gitlab.get(7)!;
    expect(branch.comments.map((c) => c.body)).toEqual(['Does this change the cache key for CI?']);
    expect(branch.reviews).toEqual([
      { author: 'carol', state: 'approved', submitted_at: '2026-01-05T14:30:00.000Z' },
      { author: 'erin', state: 'approved', submitted_at: '2026-01-05T13:20:00.000Z' },
    ]);
    // "changed the description" and "requested review from @bob" are left out.
    expect(branch.events).toEqual([
      { kind: 'pushed', commits: 1, author: 'ada', at: '2026-01-05T12:55:00.000Z' },
      { kind: 'ready', author: 'ada', at: '2026-01-05T12:50:00.000Z' },
      { kind: 'unapproved', author: 'erin', at: '2026-01-05T13:40:00.000Z' },
      { kind: 'merged', author: 'ada', at: '2026-01-05T15:00:00.000Z' },
    ]);
    expect(gitlab.get(8)!.comments.map((c) => c.body)).toEqual(['Waiting on the IERS bulletin before this goes in.']);
  });

  it('reads the facts of system notes in the words GitLab has used for them', () => {
    expect(activityOf('added 3 commits\n\n<ul><li>abc1234 - One</li></ul>\n\n[Compare with previous version](https://gitlab.example.com/x)')).toEqual({ kind: 'pushed', commits: 3 });
    expect(activityOf('added 2 new commits')).toEqual({ kind: 'pushed', commits: 2 });
    expect(activityOf('marked this merge request as **draft**')).toEqual({ kind: 'draft' });
    expect(activityOf('unmarked as a **Work In Progress**')).toEqual({ kind: 'ready' });
    expect(activityOf('marked as a **Work In Progress**')).toEqual({ kind: 'draft' });
    expect(activityOf('enabled an automatic merge when the pipeline for 1234abcd succeeds')).toBeUndefined();
    expect(activityOf('resolved all threads')).toBeUndefined();
  });

  it('makes a run of each pipeline with its jobs, failure reasons, links and traces', async () => {
    const [run] = gitlab.get(7)!.runs;
    expect(run!.lanes.map((lane) => [lane.name, lane.status, lane.failure_kind, lane.duration_secs])).toEqual([
      ['unit', 'success', undefined, 160.2],
      ['lint', 'failed', 'script_failure', 40],
      ['deploy:review', 'skipped', undefined, undefined],
    ]);
    expect(run!.status).toBe('failed');
    expect(run!.lanes[1]!.url).toBe('https://gitlab.example.com/wrenworks/tide-clock/-/jobs/55002');
    expect(readLogText(run!.lanes[1]!.log!)).toContain('section_start:1767618025:step_script[collapsed=true]');
  });
});

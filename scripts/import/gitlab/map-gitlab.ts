import type { Problem } from '../../build/report.ts';
import { isWebUrl, type LaneStatus } from '../../schema/ci.ts';
import type { Activity } from '../../schema/discussion.ts';
import type { Checked } from '../forge/export-files.ts';
import type { LogSource } from '../forge/log-source.ts';
import { runStatusOf, secondsBetween, type ForgeAuthors, type ForgeBranch, type ForgeComment, type ForgeLane, type ForgeReview, type ForgeRun, type ForgeThread } from '../forge/forge-branch.ts';
import { uniqueNames } from '../github/map-github.ts';
import type { GitlabDiscussion, GitlabJob, GitlabMergeRequest, GitlabNote, GitlabPipeline, GitlabStatus, GitlabUser } from './gitlab-schema.ts';

/** Everything the export holds about one merge request. */
export interface GitlabMergeRequestData {
  mergeRequest: Checked<GitlabMergeRequest>;
  file: string;
  /** discussions.json; when absent, notes.json's notes each stand alone. */
  discussions: GitlabDiscussion[];
  pipelines: GitlabPipeline[];
  /** Pipeline id → its jobs. */
  jobs: ReadonlyMap<number, GitlabJob[]>;
  /** Job id → its trace file. */
  traces: ReadonlyMap<number, LogSource>;
}

/**
 * One merge request as a ForgeBranch. Pure.
 * - state: opened (and locked, a merge under way) → open; merged; closed. Drafts are open, marked.
 * - merge_commit: the merge commit, else the squash commit; a fast-forward merge has neither and
 *   its head stands in (as ingest does for a fast-forwarded branch).
 * - DiffNote discussions → threads placed by their position (`new_line`, else `old_line`, and
 *   `line_range` for a range), resolved when every resolvable note is; other notes → comments;
 *   system notes are dropped, except approvals, which are verdicts, and those recording a fact
 *   (pushed commits, merged, unapproved, ready, draft), which are events.
 * - each pipeline → a run; its jobs → lanes, with their traces as logs.
 */
export function mapGitlabMergeRequest(data: GitlabMergeRequestData, authors: ForgeAuthors): { branch?: ForgeBranch; problems: Problem[] } {
  const mr = data.mergeRequest.value;
  const problems: Problem[] = [];
  const merged = mr.state === 'merged';
  const mergeCommit = merged ? (mr.merge_commit_sha ?? mr.squash_commit_sha ?? mr.sha) : undefined;
  const reviews: ForgeReview[] = [];
  const comments: ForgeComment[] = [];
  const threads: ForgeThread[] = [];
  const events: Activity[] = [];
  for (const discussion of data.discussions) {
    const notes = discussion.notes;
    const first = notes[0];
    if (!first) continue;
    if (first.system) {
      for (const note of notes) {
        const verdict = verdictOf(note.body);
        if (verdict) reviews.push({ author: usernameOf(note.author, authors), state: verdict, submitted_at: note.created_at });
        const activity = verdict ? undefined : activityOf(note.body);
        if (activity) events.push({ ...activity, author: usernameOf(note.author, authors), at: note.created_at });
      }
      continue;
    }
    const spoken = notes.filter((note) => !note.system).map((note) => commentOf(note, authors));
    if (first.type === 'DiffNote' && first.position) {
      const resolvable = notes.filter((note) => note.resolvable);
      threads.push({ ...placeOf(first), resolved: resolvable.length > 0 && resolvable.every((note) => note.resolved === true), outdated: false, comments: spoken });
    } else comments.push(...spoken);
  }
  const runs = runsOf(data);
  if (problems.length) return { problems };
  return {
    branch: {
      key: `gitlab:${mr.iid}`,
      id: mr.iid,
      name: mr.source_branch,
      title: mr.title.trim().replace(/^(Draft:|\[Draft\]|\(Draft\)|WIP:)\s*/i, '') || mr.source_branch,
      state: merged ? 'merged' : mr.state === 'closed' ? 'closed' : 'open',
      draft: !merged && mr.state !== 'closed' && (mr.draft === true || mr.work_in_progress === true),
      target: mr.target_branch,
      mergeCommit,
      fastForward: merged && !mr.merge_commit_sha && !mr.squash_commit_sha,
      head: mr.sha,
      base: mr.diff_refs?.base_sha ?? undefined,
      author: usernameOf(mr.author, authors),
      updated: mr.updated_at,
      description: mr.description ?? '',
      sourceFile: data.file,
      reviews,
      comments,
      threads,
      events,
      runs,
      webUrl: mr.web_url,
    },
    problems,
  };
}

/** The system notes that are a verdict (GitLab writes them in English whatever the user's language). */
function verdictOf(body: string): ForgeReview['state'] | undefined {
  const text = body.trim().toLowerCase();
  if (text === 'approved this merge request') return 'approved';
  if (text.startsWith('requested changes')) return 'changes_requested';
  return undefined;
}

/**
 * The system notes that record a fact, by the text GitLab writes (its SystemNotes services):
 * "added 2 commits" (then the list), "merged", "unapproved this merge request", "marked this
 * merge request as **ready**" / "**draft**" (before GitLab 14, "unmarked as a **Work In
 * Progress**" / "marked as a **Work In Progress**"). Every other system note (assignees, labels,
 * title edits, "resolved all threads") is left out.
 */
export function activityOf(body: string): Pick<Activity, 'kind' | 'commits'> | undefined {
  const text = (body.trim().split('\n')[0] ?? '').trim().toLowerCase().replace(/\*\*/g, '');
  const added = /^added (\d+) (?:new )?commits?\b/.exec(text);
  if (added) return { kind: 'pushed', commits: Number(added[1]) };
  if (text === 'merged' || text.startsWith('merged ')) return { kind: 'merged' };
  if (text === 'unapproved this merge request') return { kind: 'unapproved' };
  if (text === 'marked this merge request as ready' || text === 'unmarked as a work in progress') return { kind: 'ready' };
  if (text === 'marked this merge request as draft' || text === 'marked as a work in progress') return { kind: 'draft' };
  return undefined;
}

function usernameOf(user: GitlabUser, authors: ForgeAuthors): string {
  if (!user) return 'ghost';
  if (!authors.has(user.username)) {
    const url = user.web_url && /^https?:\/\//.test(user.web_url) ? user.web_url : undefined;
    authors.set(user.username, { name: user.name?.trim() || user.username, ...(url ? { url } : {}) });
  }
  return user.username;
}

function commentOf(note: GitlabNote, authors: ForgeAuthors): ForgeComment {
  const edited = note.updated_at && note.updated_at !== note.created_at ? { edited_at: note.updated_at } : {};
  return { author: usernameOf(note.author, authors), at: note.created_at, body: note.body, ...edited };
}

/**
 * Where a DiffNote sits: a line with a `new_line` is on the new side (added or unchanged), one
 * with only an `old_line` on the old side (deleted); `line_range.start` gives a range's first line.
 */
export function placeOf(note: GitlabNote): Pick<ForgeThread, 'file' | 'side' | 'line' | 'start_line'> {
  const position = note.position!;
  const file = position.new_path ?? position.old_path ?? '';
  if (position.position_type === 'file' || (position.new_line == null && position.old_line == null)) return { file, side: 'new' };
  const side = position.new_line != null ? 'new' : 'old';
  const line = (side === 'new' ? position.new_line : position.old_line)!;
  const start = position.line_range?.start;
  const startLine = start ? (side === 'new' ? start.new_line : start.old_line) : undefined;
  return { file, side, line, ...(startLine != null && startLine < line ? { start_line: startLine } : {}) };
}

export function laneStatusOf(status: GitlabStatus): LaneStatus {
  switch (status) {
    case 'success':
      return 'success';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    // A manual job nobody started did not run.
    case 'skipped':
    case 'manual':
      return 'skipped';
    case 'running':
      return 'running';
    default:
      return 'queued';
  }
}

function runsOf(data: GitlabMergeRequestData): ForgeRun[] {
  const runs: ForgeRun[] = [];
  for (const pipeline of data.pipelines) {
    const all = [...(data.jobs.get(pipeline.id) ?? [])].sort((a, b) => a.id - b.id);
    const retried = new Map<string, number>();
    for (const job of all) if (job.retried) retried.set(job.name, (retried.get(job.name) ?? 0) + 1);
    const current = all.filter((job) => !job.retried);
    const lanes: ForgeLane[] = current.map((job) => {
      const secs = job.duration ?? secondsBetween(job.started_at, job.finished_at);
      const status = laneStatusOf(job.status);
      return {
        name: job.name,
        status,
        ...(secs != null ? { duration_secs: Math.round(secs * 1000) / 1000 } : {}),
        ...(job.started_at ? { started_at: job.started_at } : {}),
        ...(job.finished_at ? { finished_at: job.finished_at } : {}),
        ...(retried.get(job.name) ? { retries: retried.get(job.name) } : {}),
        ...(status === 'failed' && job.failure_reason ? { failure_kind: job.failure_reason } : {}),
        ...(isWebUrl(job.web_url) ? { url: job.web_url } : {}),
        ...(data.traces.has(job.id) ? { log: data.traces.get(job.id)! } : {}),
      };
    });
    uniqueNames(lanes);
    const started = lanes.map((lane) => lane.started_at).filter((t): t is string => Boolean(t)).sort()[0];
    const finished = lanes.length && lanes.every((lane) => lane.finished_at) ? lanes.map((lane) => lane.finished_at!).sort().at(-1) : undefined;
    const status = pipelineStatus(pipeline.status, lanes);
    runs.push({
      id: pipeline.id,
      status,
      head: pipeline.sha,
      queued_at: pipeline.created_at,
      ...(started ? { queued_secs: secondsBetween(pipeline.created_at, started), started_at: started } : {}),
      ...(started && finished ? { ran_secs: secondsBetween(started, finished), finished_at: finished } : {}),
      ...(pipeline.web_url && /^https?:\/\//.test(pipeline.web_url) ? { url: pipeline.web_url } : {}),
      lanes,
    });
  }
  return runs.sort((a, b) => a.queued_at.localeCompare(b.queued_at) || a.id - b.id);
}

/** The pipeline's own status where it is final; the jobs' otherwise. */
function pipelineStatus(status: GitlabStatus, lanes: readonly ForgeLane[]): ForgeRun['status'] {
  if (status === 'success' || status === 'skipped') return 'success';
  if (status === 'failed') return 'failed';
  if (status === 'canceled' || status === 'canceling') return 'cancelled';
  if (status === 'running') return 'running';
  return lanes.length ? runStatusOf(lanes) : 'queued';
}

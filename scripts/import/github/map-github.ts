import type { Problem } from '../../build/report.ts';
import { isWebUrl } from '../../schema/ci.ts';
import { runStatusOf, secondsBetween, type ForgeAuthors, type ForgeBranch, type ForgeComment, type ForgeLane, type ForgeReview, type ForgeRun, type ForgeThread } from '../forge/forge-branch.ts';
import type { Checked } from '../forge/export-files.ts';
import type { LogSource } from '../forge/log-source.ts';
import type { CheckConclusion, CheckStatus, GithubCheckRun, GithubIssueComment, GithubJob, GithubPull, GithubReview, GithubReviewComment, GithubThreadNode, GithubUser } from './github-schema.ts';

/** Everything the export holds about one pull request. */
export interface GithubPullData {
  pull: Checked<GithubPull>;
  pullsFile: string;
  reviews: GithubReview[];
  comments: GithubReviewComment[];
  issueComments: GithubIssueComment[];
  /** From threads.json (GraphQL), when exported. */
  threads?: GithubThreadNode[];
  /** Check runs of the commits this pull request's CI ran on, by sha. */
  checkRuns: ReadonlyMap<string, GithubCheckRun[]>;
  /** Actions jobs of those commits, by sha (every attempt). */
  jobs: ReadonlyMap<string, GithubJob[]>;
  /** Job id → where its log is, in the runs' logs.zip. */
  logs: ReadonlyMap<number, LogSource>;
}

/**
 * One pull request as a ForgeBranch. Pure.
 * - state: open; merged when `merged_at` is set; closed. A draft is an open branch marked draft.
 * - reviews: PENDING ones are a reviewer's unsent draft and are dropped.
 * - line comments: grouped into threads by `in_reply_to_id`; a comment whose `line` is null but
 *   `original_line` is set is outdated and keeps its `diff_hunk`; threads.json adds resolved.
 * - CI: one run per head sha: its Actions jobs (latest attempt, earlier ones counted as retries,
 *   logs from logs.zip) and the other check runs, as lanes.
 */
export function mapGithubPull(data: GithubPullData, authors: ForgeAuthors): { branch?: ForgeBranch; problems: Problem[] } {
  const pull = data.pull.value;
  const problems: Problem[] = [];
  const merged = Boolean(pull.merged_at);
  if (merged && !pull.merge_commit_sha) problems.push(data.pull.problemAt(['merge_commit_sha'], 'is required when merged_at is set: the merge (or squash) commit'));
  if (problems.length) return { problems };

  const author = loginOf(pull.user, authors);
  const resolved = new Map<number, GithubThreadNode>();
  for (const node of data.threads ?? []) for (const comment of node.comments.nodes) resolved.set(comment.databaseId, node);

  const reviews: ForgeReview[] = data.reviews
    .filter((review) => review.state !== 'PENDING' && review.submitted_at)
    .map((review) => ({
      author: loginOf(review.user, authors),
      state: review.state.toLowerCase() as ForgeReview['state'],
      submitted_at: review.submitted_at!,
      ...(review.commit_id ? { commit: review.commit_id } : {}),
      ...(review.body?.trim() ? { body: review.body } : {}),
    }));

  const comments: ForgeComment[] = data.issueComments.map((comment) => commentOf(comment.user, comment.created_at, comment.updated_at, comment.body ?? '', authors));
  const threads = threadsOf(data.comments, resolved, authors);
  const runs = runsOf(pull, data);

  const state = merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed';
  return {
    branch: {
      key: `github:${pull.number}`,
      id: pull.number,
      name: pull.head.ref,
      title: pull.title.trim() || pull.head.ref,
      state,
      draft: pull.state === 'open' && pull.draft === true,
      target: pull.base.ref,
      mergeCommit: merged ? pull.merge_commit_sha! : undefined,
      head: pull.head.sha,
      base: pull.base.sha,
      author,
      updated: pull.updated_at,
      description: pull.body ?? '',
      sourceFile: data.pullsFile,
      reviews,
      comments,
      threads,
      // GitHub's timeline (pushes, merges) is not part of the export; the CI runs show the pushes.
      events: [],
      runs,
      webUrl: pull.html_url,
    },
    problems,
  };
}

/** A deleted account is `null` in the API; GitHub shows it as "ghost". */
function loginOf(user: GithubUser, authors: ForgeAuthors): string {
  if (!user) return 'ghost';
  if (!authors.has(user.login)) {
    const url = user.html_url && /^https?:\/\//.test(user.html_url) ? user.html_url : undefined;
    authors.set(user.login, { name: user.name?.trim() || user.login, ...(url ? { url } : {}) });
  }
  return user.login;
}

function commentOf(user: GithubUser, created: string, updated: string, body: string, authors: ForgeAuthors): ForgeComment {
  return { author: loginOf(user, authors), at: created, body, ...(updated !== created ? { edited_at: updated } : {}) };
}

/** Line comments into threads: each reply joins the thread of the comment it answers. */
function threadsOf(comments: readonly GithubReviewComment[], resolvedBy: ReadonlyMap<number, GithubThreadNode>, authors: ForgeAuthors): ForgeThread[] {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const rootOf = (comment: GithubReviewComment): GithubReviewComment => {
    let current = comment;
    const seen = new Set<number>();
    while (current.in_reply_to_id !== undefined && byId.has(current.in_reply_to_id) && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.in_reply_to_id)!;
    }
    return current;
  };
  const groups = new Map<number, GithubReviewComment[]>();
  for (const comment of comments) {
    const root = rootOf(comment);
    const group = groups.get(root.id) ?? [];
    group.push(comment);
    groups.set(root.id, group);
  }
  const threads: Array<ForgeThread & { at: string }> = [];
  for (const [rootId, group] of groups) {
    const root = byId.get(rootId)!;
    group.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    const node = resolvedBy.get(rootId);
    const fileLevel = root.subject_type === 'file' || (root.line == null && root.original_line == null);
    const outdated = !fileLevel && (root.line == null || node?.isOutdated === true);
    const line = fileLevel ? undefined : (outdated ? (root.original_line ?? root.line) : root.line) ?? undefined;
    const startLine = outdated ? (root.original_start_line ?? root.start_line) : root.start_line;
    threads.push({
      at: root.created_at,
      file: root.path,
      side: root.side === 'LEFT' ? 'old' : 'new',
      line,
      ...(startLine != null && line !== undefined && startLine < line ? { start_line: startLine } : {}),
      resolved: node?.isResolved ?? false,
      outdated,
      ...(root.diff_hunk ? { hunk: root.diff_hunk } : {}),
      comments: group.map((comment) => commentOf(comment.user, comment.created_at, comment.updated_at, comment.body, authors)),
    });
  }
  return threads.sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...thread }) => thread);
}

/** A check's status and conclusion as a lane status; what our statuses cannot say goes into failure_kind. */
export function laneStatusOf(status: CheckStatus, conclusion: CheckConclusion | null | undefined): Pick<ForgeLane, 'status' | 'failure_kind'> {
  if (status === 'in_progress') return { status: 'running' };
  if (status !== 'completed') return { status: 'queued' };
  switch (conclusion) {
    case 'success':
      return { status: 'success' };
    case 'failure':
      return { status: 'failed' };
    case 'timed_out':
      return { status: 'failed', failure_kind: 'timeout' };
    case 'startup_failure':
      return { status: 'failed', failure_kind: 'infrastructure' };
    case 'action_required':
      return { status: 'failed', failure_kind: 'action_required' };
    case 'cancelled':
      return { status: 'cancelled' };
    // Neutral and stale checks passed no judgement: shown as skipped, never as passed.
    case 'skipped':
    case 'neutral':
    case 'stale':
      return { status: 'skipped' };
    default:
      return { status: 'queued' };
  }
}

/** The commits whose CI belongs to this pull request: its head, and earlier heads its reviews name. */
function ciShas(pull: GithubPull, data: GithubPullData): string[] {
  const shas = [pull.head.sha, ...data.reviews.map((review) => review.commit_id).filter((sha): sha is string => Boolean(sha))];
  return [...new Set(shas)].filter((sha) => data.checkRuns.has(sha) || data.jobs.has(sha));
}

function runsOf(pull: GithubPull, data: GithubPullData): ForgeRun[] {
  const runs: ForgeRun[] = [];
  for (const sha of ciShas(pull, data)) {
    const jobs = latestAttempts(data.jobs.get(sha) ?? []);
    const jobIds = new Set((data.jobs.get(sha) ?? []).map((job) => job.id));
    const allChecks = data.checkRuns.get(sha) ?? [];
    const checks = allChecks.filter((check) => !jobIds.has(check.id));
    // An Actions job is also a check run of the same id, whose details_url is the job's page.
    const detailsOf = new Map(allChecks.map((check) => [check.id, check.details_url ?? check.html_url]));
    const lanes: Array<ForgeLane & { queued?: string }> = [];
    for (const { job, retries } of jobs) {
      const status = laneStatusOf(job.status, job.conclusion);
      lanes.push({
        name: job.workflow_name ? `${job.workflow_name} / ${job.name}` : job.name,
        ...status,
        ...durationOf(job.started_at, job.completed_at),
        ...(retries ? { retries } : {}),
        ...urlOf(detailsOf.get(job.id) ?? job.html_url),
        ...(data.logs.has(job.id) ? { log: data.logs.get(job.id)! } : {}),
        queued: job.created_at ?? job.started_at ?? undefined,
      });
    }
    for (const check of checks) {
      lanes.push({ name: check.name, ...laneStatusOf(check.status, check.conclusion), ...durationOf(check.started_at, check.completed_at), ...urlOf(check.details_url ?? check.html_url), queued: check.started_at ?? undefined });
    }
    if (lanes.length === 0) continue;
    uniqueNames(lanes);
    const times = (pick: (lane: (typeof lanes)[number]) => string | undefined) => lanes.map(pick).filter((t): t is string => Boolean(t)).sort();
    const queued = times((lane) => lane.queued)[0] ?? times((lane) => lane.started_at)[0];
    if (!queued) continue;
    const started = times((lane) => lane.started_at)[0];
    const finished = lanes.every((lane) => lane.finished_at) ? times((lane) => lane.finished_at).at(-1) : undefined;
    const runIds = jobs.map(({ job }) => job.run_id);
    const id = runIds.length ? Math.min(...runIds) : Math.min(...checks.map((check) => check.id));
    const url = jobs[0]?.job.html_url?.replace(/\/job\/\d+$/, '') ?? checks.find((check) => check.details_url)?.details_url ?? undefined;
    runs.push({
      id,
      status: runStatusOf(lanes),
      head: sha,
      queued_at: queued,
      ...(started ? { queued_secs: secondsBetween(queued, started), started_at: started } : {}),
      ...(started && finished ? { ran_secs: secondsBetween(started, finished), finished_at: finished } : {}),
      ...(url && /^https?:\/\//.test(url) ? { url } : {}),
      lanes: lanes.map(({ queued: _queued, ...lane }) => lane),
    });
  }
  return runs.sort((a, b) => a.queued_at.localeCompare(b.queued_at) || a.id - b.id);
}

function urlOf(url: string | null | undefined): Pick<ForgeLane, 'url'> {
  return isWebUrl(url) ? { url } : {};
}

/** Re-run jobs come back with the same name and a higher run_attempt: the latest stands, the others count. */
function latestAttempts(jobs: readonly GithubJob[]): Array<{ job: GithubJob; retries: number }> {
  const latest = new Map<string, { job: GithubJob; retries: number }>();
  for (const job of [...jobs].sort((a, b) => (a.run_attempt ?? 1) - (b.run_attempt ?? 1) || a.id - b.id)) {
    const key = `${job.run_id}\0${job.workflow_name ?? ''}\0${job.name}`;
    const before = latest.get(key);
    latest.set(key, { job, retries: before ? before.retries + 1 : 0 });
  }
  return [...latest.values()].sort((a, b) => a.job.run_id - b.job.run_id || a.job.id - b.job.id);
}

function durationOf(started: string | null | undefined, finished: string | null | undefined): Pick<ForgeLane, 'started_at' | 'finished_at' | 'duration_secs'> {
  const secs = secondsBetween(started, finished);
  return { ...(started ? { started_at: started } : {}), ...(finished ? { finished_at: finished } : {}), ...(secs !== undefined ? { duration_secs: secs } : {}) };
}

/** Lane names are anchors on the CI page: a second `build` becomes `build (2)`. */
export function uniqueNames(lanes: Array<{ name: string }>): void {
  const seen = new Map<string, number>();
  for (const lane of lanes) {
    const count = (seen.get(lane.name) ?? 0) + 1;
    seen.set(lane.name, count);
    if (count > 1) lane.name = `${lane.name} (${count})`;
  }
}

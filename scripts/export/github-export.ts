import path from 'node:path';
import type { ProgressStream } from '../ingest/progress.ts';
import { createProgress } from '../ingest/progress.ts';
import { exportEachRequest, fetchInto, itemsOf, saveWhole, type ExportTally } from './forge-api.ts';

/** GraphQL for review threads' resolved state; `gh api graphql --paginate` fills `$endCursor`. */
export const REVIEW_THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $endCursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $endCursor) {
        pageInfo { hasNextPage endCursor }
        nodes { isResolved isOutdated path comments(first: 100) { nodes { databaseId } } }
      }
    }
  }
}`;

/** A positive integer id, safe as a folder name. */
export function isId(value: unknown): boolean {
  return typeof value === 'number' ? Number.isSafeInteger(value) && value > 0 : typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value);
}

export interface ExportOptions {
  /** `OWNER/NAME` (GitHub) or `GROUP/PROJECT` (GitLab). */
  project: string;
  dir: string;
  /** Only pull requests updated at or after this time get their files. */
  since?: Date;
  cli?: string;
  progress?: ProgressStream;
  /** The export's own time, for github.json; the clock by default. */
  now?: () => Date;
}

/**
 * `npm run export -- github OWNER/NAME --dir DIR`: the layout the importer reads (README,
 * "From GitHub / GitLab"). Resumable: a file already saved is not fetched again; a pull request's
 * files are fetched again only when its `updated_at` changed since they were saved.
 */
export async function exportGithub(options: ExportOptions): Promise<ExportTally & { pulls: number }> {
  const { project, dir } = options;
  const cli = options.cli ?? 'gh';
  const tally: ExportTally = { fetched: 0, kept: 0, failures: [] };
  const api = (...args: string[]) => ({ cli, args });
  await saveWhole(path.join(dir, 'github.json'), `${JSON.stringify({ repo: project, exported_at: (options.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z') })}\n`);
  // The list is the export's index: always fetched, so a later export sees new and changed pulls.
  const list = await fetchInto(path.join(dir, 'pulls.json'), api('--paginate', `repos/${project}/pulls?state=all&per_page=100&sort=updated&direction=desc`), tally, { refresh: true });
  // Numbers become folder names: only plain numbers, whatever the answer holds.
  const pulls = itemsOf(list).filter((pull) => isId(pull.number) && (!options.since || Date.parse(String(pull.updated_at)) >= options.since.getTime()));
  const progress = options.progress ? createProgress({ label: 'export', total: pulls.length, stream: options.progress, unit: 'pull requests' }) : undefined;
  const [owner, name] = project.split('/');
  const seenRuns = new Set<string>();
  const folderOf = (pull: Record<string, unknown>) => path.join(dir, 'pulls', String(pull.number));
  const describe = (pull: Record<string, unknown>) => ({ folder: folderOf(pull), updatedAt: String(pull.updated_at) });
  await exportEachRequest(pulls, describe, async (pull, own, refresh) => {
    const number = Number(pull.number);
    const folder = folderOf(pull);
    const reviews = await fetchInto(path.join(folder, 'reviews.json'), api('--paginate', `repos/${project}/pulls/${number}/reviews?per_page=100`), own, { refresh });
    await fetchInto(path.join(folder, 'comments.json'), api('--paginate', `repos/${project}/pulls/${number}/comments?per_page=100`), own, { refresh });
    await fetchInto(path.join(folder, 'issue-comments.json'), api('--paginate', `repos/${project}/issues/${number}/comments?per_page=100`), own, { refresh });
    await fetchInto(path.join(folder, 'threads.json'), api('graphql', '--paginate', '-f', `query=${REVIEW_THREADS_QUERY}`, '-F', `owner=${owner}`, '-F', `name=${name}`, '-F', `number=${number}`), own, { refresh });
    const head = (pull.head as { sha?: string } | undefined)?.sha;
    const reviewed = itemsOf(reviews).map((review) => review.commit_id);
    for (const sha of new Set([head, ...reviewed].filter((s): s is string => typeof s === 'string' && /^[0-9a-f]{40}$/.test(s)))) {
      const checks = await fetchInto(path.join(dir, 'commits', sha, 'check-runs.json'), api('--paginate', `repos/${project}/commits/${sha}/check-runs?per_page=100`), own, { refresh });
      for (const check of itemsOf(checks, 'check_runs')) {
        const runId = /\/actions\/runs\/(\d+)/.exec(String(check.details_url ?? check.html_url ?? ''))?.[1];
        if (!runId || seenRuns.has(runId)) continue;
        seenRuns.add(runId);
        await fetchInto(path.join(dir, 'actions', 'runs', runId, 'jobs.json'), api('--paginate', `repos/${project}/actions/runs/${runId}/jobs?filter=all&per_page=100`), own, { refresh });
        // Logs expire (90 days by default): a 410 is a failure to note, not a reason to stop.
        await fetchInto(path.join(dir, 'actions', 'runs', runId, 'logs.zip'), api(`repos/${project}/actions/runs/${runId}/logs`), own);
      }
    }
  }, tally, progress);
  return { ...tally, pulls: pulls.length };
}

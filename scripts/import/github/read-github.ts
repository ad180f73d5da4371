import path from 'node:path';
import { z } from 'zod';
import { mapLimited } from '../../archive/load-archive.ts';
import type { Problem } from '../../build/report.ts';
import { listNames } from '../../ingest/files.ts';
import { readListFile, readObjectPages, type Checked } from '../forge/export-files.ts';
import {
  githubCheckRunSchema,
  githubExportInfoSchema,
  githubIssueCommentSchema,
  githubJobSchema,
  githubPullSchema,
  githubReviewCommentSchema,
  githubReviewSchema,
  githubThreadNodeSchema,
  type GithubCheckRun,
  type GithubJob,
  type GithubPull,
  type GithubThreadNode,
} from './github-schema.ts';
import { jobLogsOf, matchJobLogs } from './logs-zip.ts';
import { readZipDirectory, ZipError } from './zip-file.ts';
import { verifyLog, type LogSource } from '../forge/log-source.ts';
import type { GithubPullData } from './map-github.ts';

/**
 * Reads a GitHub export folder (the layout `npm run export -- github` writes; README, "From
 * GitHub / GitLab"). Every file is read and checked; problems name file, line and field.
 * Only pulls.json is required.
 */
export async function readGithubExport(dir: string): Promise<{ repo?: string; pulls: GithubPullData[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const pullsFile = path.join(dir, 'pulls.json');
  const [info, pulls] = await Promise.all([readObjectPages(path.join(dir, 'github.json'), githubExportInfoSchema), readListFile(pullsFile, githubPullSchema)]);
  problems.push(...info.problems, ...pulls.problems);
  if (!pulls.items && pulls.problems.length === 0) problems.push({ file: pullsFile, message: `does not exist: export the pull requests first (npm run export -- github OWNER/NAME --dir ${dir})` });

  const [ci, perPull] = await Promise.all([readCi(dir), mapLimited(pulls.items ?? [], 8, (pull) => readPullFiles(dir, pull))]);
  problems.push(...ci.problems);
  const seen = new Map<number, Checked<GithubPull>>();
  const data: GithubPullData[] = [];
  for (const [index, files] of perPull.entries()) {
    const pull = pulls.items![index]!;
    problems.push(...files.problems);
    const earlier = seen.get(pull.value.number);
    if (earlier) {
      problems.push(pull.problemAt(['number'], `${pull.value.number} appears twice in the list; each pull request once`));
      continue;
    }
    seen.set(pull.value.number, pull);
    data.push({ pull, pullsFile, ...files.data, checkRuns: ci.checkRuns, jobs: ci.jobs, logs: ci.logs });
  }
  return { repo: info.pages?.[0]?.value.repo, pulls: data, problems };
}

type PullFiles = Pick<GithubPullData, 'reviews' | 'comments' | 'issueComments' | 'threads'>;

async function readPullFiles(dir: string, pull: Checked<GithubPull>): Promise<{ data: PullFiles; problems: Problem[] }> {
  const folder = path.join(dir, 'pulls', String(pull.value.number));
  const [reviews, comments, issueComments, threads] = await Promise.all([
    readListFile(path.join(folder, 'reviews.json'), githubReviewSchema),
    readListFile(path.join(folder, 'comments.json'), githubReviewCommentSchema),
    readListFile(path.join(folder, 'issue-comments.json'), githubIssueCommentSchema),
    readThreads(path.join(folder, 'threads.json')),
  ]);
  return {
    data: {
      reviews: reviews.items?.map((item) => item.value) ?? [],
      comments: comments.items?.map((item) => item.value) ?? [],
      issueComments: issueComments.items?.map((item) => item.value) ?? [],
      threads: threads.nodes,
    },
    problems: [...reviews.problems, ...comments.problems, ...issueComments.problems, ...threads.problems],
  };
}

/**
 * threads.json: GraphQL answers (one, several concatenated, or slurped) of
 * `repository.pullRequest.reviewThreads`, or a plain list of its nodes.
 */
const graphqlThreadsSchema = z.union([
  z.array(githubThreadNodeSchema),
  z.looseObject({
    data: z.looseObject({
      repository: z.looseObject({ pullRequest: z.looseObject({ reviewThreads: z.looseObject({ nodes: z.array(githubThreadNodeSchema) }) }) }),
    }),
  }),
]);

async function readThreads(file: string): Promise<{ nodes?: GithubThreadNode[]; problems: Problem[] }> {
  const read = await readObjectPages(file, graphqlThreadsSchema);
  if (!read.pages) return { problems: read.problems };
  const nodes = read.pages.flatMap(({ value }) => (Array.isArray(value) ? value : value.data.repository.pullRequest.reviewThreads.nodes));
  return { nodes, problems: read.problems };
}

/** commits/<sha>/check-runs.json and actions/runs/<id>/{jobs.json,logs.zip}, indexed by head sha. */
async function readCi(dir: string): Promise<{ checkRuns: Map<string, GithubCheckRun[]>; jobs: Map<string, GithubJob[]>; logs: Map<number, LogSource>; problems: Problem[] }> {
  const problems: Problem[] = [];
  const checkRuns = new Map<string, GithubCheckRun[]>();
  const jobs = new Map<string, GithubJob[]>();
  const logs = new Map<number, LogSource>();
  const commitsDir = path.join(dir, 'commits');
  await mapLimited(await listNames(commitsDir), 8, async (sha) => {
    const read = await readListFile(path.join(commitsDir, sha, 'check-runs.json'), githubCheckRunSchema, 'check_runs');
    problems.push(...read.problems);
    for (const { value } of read.items ?? []) push(checkRuns, value.head_sha, value);
  });
  const runsDir = path.join(dir, 'actions', 'runs');
  await mapLimited(await listNames(runsDir), 8, async (runId) => {
    const read = await readListFile(path.join(runsDir, runId, 'jobs.json'), githubJobSchema, 'jobs');
    problems.push(...read.problems);
    const runJobs = (read.items ?? []).map((item) => item.value);
    for (const job of runJobs) push(jobs, job.head_sha, job);
    const zipFile = path.join(runsDir, runId, 'logs.zip');
    const retry = `download it again with gh api repos/OWNER/NAME/actions/runs/${runId}/logs > ${zipFile}`;
    let entries;
    try {
      entries = readZipDirectory(zipFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if (!(error instanceof ZipError)) throw error;
      problems.push({ file: zipFile, message: `cannot be read as a zip (${error.message}): ${retry}` });
      return;
    }
    // The zip holds the latest attempt of each job.
    const latest = [...new Map(runJobs.sort((a, b) => (a.run_attempt ?? 1) - (b.run_attempt ?? 1)).map((job) => [job.name, job])).values()];
    for (const [index, log] of matchJobLogs(latest.map((job) => job.name), jobLogsOf(entries))) {
      const source: LogSource = { kind: 'zip', file: zipFile, parts: log.parts };
      // Every byte is inflated and its CRC checked now, so a damaged zip stops the import before it writes.
      try {
        verifyLog(source);
      } catch (error) {
        if (!(error instanceof ZipError)) throw error;
        problems.push({ file: zipFile, message: `cannot be read as a zip (${error.message}): ${retry}` });
        return;
      }
      logs.set(latest[index]!.id, source);
    }
  });
  for (const list of checkRuns.values()) list.sort((a, b) => a.id - b.id);
  for (const list of jobs.values()) list.sort((a, b) => a.id - b.id);
  return { checkRuns, jobs, logs, problems };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

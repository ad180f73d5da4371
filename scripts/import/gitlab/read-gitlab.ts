import path from 'node:path';
import { mapLimited } from '../../archive/load-archive.ts';
import type { Problem } from '../../build/report.ts';
import { hashFile, type LogSource } from '../forge/log-source.ts';
import { readListFile, readObjectPages, type Checked } from '../forge/export-files.ts';
import { gitlabDiscussionSchema, gitlabExportInfoSchema, gitlabJobSchema, gitlabMergeRequestSchema, gitlabNoteSchema, gitlabPipelineSchema, type GitlabJob, type GitlabMergeRequest } from './gitlab-schema.ts';
import type { GitlabMergeRequestData } from './map-gitlab.ts';

/**
 * Reads a GitLab export folder: merge_requests.json (required), and per merge request
 * merge_requests/<iid>/{discussions,notes,pipelines}.json, pipelines/<id>/jobs.json and
 * jobs/<id>/trace.log (all optional). Every file is read and checked before anything is written.
 */
export async function readGitlabExport(dir: string): Promise<{ project?: string; mergeRequests: GitlabMergeRequestData[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const file = path.join(dir, 'merge_requests.json');
  const [info, list] = await Promise.all([readObjectPages(path.join(dir, 'gitlab.json'), gitlabExportInfoSchema), readListFile(file, gitlabMergeRequestSchema)]);
  problems.push(...info.problems, ...list.problems);
  if (!list.items && list.problems.length === 0) problems.push({ file, message: `does not exist: export the merge requests first (npm run export -- gitlab GROUP/PROJECT --dir ${dir})` });
  const seen = new Set<number>();
  const unique: Array<Checked<GitlabMergeRequest>> = [];
  for (const item of list.items ?? []) {
    if (seen.has(item.value.iid)) problems.push(item.problemAt(['iid'], `${item.value.iid} appears twice in the list; each merge request once`));
    else unique.push(item);
    seen.add(item.value.iid);
  }
  const read = await mapLimited(unique, 8, (mergeRequest) => readMergeRequest(dir, file, mergeRequest));
  for (const one of read) problems.push(...one.problems);
  return { project: info.pages?.[0]?.value.project, mergeRequests: read.map((one) => one.data), problems };
}

async function readMergeRequest(dir: string, file: string, mergeRequest: Checked<GitlabMergeRequest>): Promise<{ data: GitlabMergeRequestData; problems: Problem[] }> {
  const folder = path.join(dir, 'merge_requests', String(mergeRequest.value.iid));
  const [discussions, notes, pipelines] = await Promise.all([
    readListFile(path.join(folder, 'discussions.json'), gitlabDiscussionSchema),
    readListFile(path.join(folder, 'notes.json'), gitlabNoteSchema),
    readListFile(path.join(folder, 'pipelines.json'), gitlabPipelineSchema),
  ]);
  const problems = [...discussions.problems, ...notes.problems, ...pipelines.problems];
  const jobs = new Map<number, GitlabJob[]>();
  const traces = new Map<number, LogSource>();
  for (const { value: pipeline } of pipelines.items ?? []) {
    const read = await readListFile(path.join(dir, 'pipelines', String(pipeline.id), 'jobs.json'), gitlabJobSchema, 'jobs');
    problems.push(...read.problems);
    const list = (read.items ?? []).map((item) => item.value);
    jobs.set(pipeline.id, list);
    await mapLimited(list, 4, async (job) => {
      const file = path.join(dir, 'jobs', String(job.id), 'trace.log');
      // Hashed as a stream, not held: the trace is copied when the folder is written.
      let hashed;
      try {
        hashed = hashFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      traces.set(job.id, { kind: 'file', file, ...hashed });
    });
  }
  // Without discussions.json, each note of notes.json stands alone (no replies, no threads' resolved state beyond its own).
  const discussionList = discussions.items?.map((item) => item.value) ?? (notes.items ?? []).map((item, index) => ({ id: `note-${index}`, notes: [item.value] }));
  return {
    data: { mergeRequest, file, discussions: discussionList, pipelines: (pipelines.items ?? []).map((item) => item.value), jobs, traces },
    problems,
  };
}

import path from 'node:path';
import { createProgress } from '../ingest/progress.ts';
import { exportEachRequest, fetchInto, itemsOf, saveWhole, type ExportTally } from './forge-api.ts';
import { isId, type ExportOptions } from './github-export.ts';

/**
 * `npm run export -- gitlab GROUP/PROJECT --dir DIR`, through `glab api`: merge requests, their
 * discussions and pipelines, each pipeline's jobs (retried ones included) and each job's trace.
 * Resumable like the GitHub export.
 */
export async function exportGitlab(options: ExportOptions): Promise<ExportTally & { pulls: number }> {
  const { dir } = options;
  const cli = options.cli ?? 'glab';
  const project = encodeURIComponent(options.project);
  const tally: ExportTally = { fetched: 0, kept: 0, failures: [] };
  const api = (...args: string[]) => ({ cli, args });
  await saveWhole(path.join(dir, 'gitlab.json'), `${JSON.stringify({ project: options.project, exported_at: (options.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z') })}\n`);
  const since = options.since ? `&updated_after=${options.since.toISOString()}` : '';
  const list = await fetchInto(path.join(dir, 'merge_requests.json'), api('--paginate', `projects/${project}/merge_requests?state=all&per_page=100&order_by=updated_at${since}`), tally, { refresh: true });
  // Ids become folder names: only plain numbers, whatever the answer holds.
  const requests = itemsOf(list).filter((mr) => isId(mr.iid) && (!options.since || Date.parse(String(mr.updated_at)) >= options.since.getTime()));
  const progress = options.progress ? createProgress({ label: 'export', total: requests.length, stream: options.progress, unit: 'merge requests' }) : undefined;
  const folderOf = (mr: Record<string, unknown>) => path.join(dir, 'merge_requests', String(mr.iid));
  const describe = (mr: Record<string, unknown>) => ({ folder: folderOf(mr), updatedAt: String(mr.updated_at) });
  await exportEachRequest(requests, describe, async (mr, own, refresh) => {
    const iid = Number(mr.iid);
    const folder = folderOf(mr);
    await fetchInto(path.join(folder, 'discussions.json'), api('--paginate', `projects/${project}/merge_requests/${iid}/discussions?per_page=100`), own, { refresh });
    const pipelines = await fetchInto(path.join(folder, 'pipelines.json'), api('--paginate', `projects/${project}/merge_requests/${iid}/pipelines?per_page=100`), own, { refresh });
    for (const pipeline of itemsOf(pipelines).filter((p) => isId(p.id))) {
      const jobs = await fetchInto(path.join(dir, 'pipelines', String(pipeline.id), 'jobs.json'), api('--paginate', `projects/${project}/pipelines/${pipeline.id}/jobs?include_retried=true&per_page=100`), own, { refresh });
      for (const job of itemsOf(jobs).filter((j) => isId(j.id))) await fetchInto(path.join(dir, 'jobs', String(job.id), 'trace.log'), api(`projects/${project}/jobs/${job.id}/trace`), own);
    }
  }, tally, progress);
  return { ...tally, pulls: requests.length };
}

import path from 'node:path';
import type { LaneLogFile } from '../archive/lane-logs.ts';
import { laneKey } from '../archive/lane-logs.ts';
import type { SiteCiLogs, SiteRun } from '../schema/site.ts';
import { laneFileName } from './anchors.ts';
import type { LogRenderer, RenderedLog } from './lane-log.ts';

/** Error lines of a failed lane carried to the branch page and search. */
const FIRST_ERRORS = 5;

/**
 * Renders every lane log of a CI file (a branch's ci.yaml or a nightly job) for its CI page.
 * Returns the logs by `<run id>/<lane anchor>`, their HTML in pieces that one after the other make
 * the page's log file (each log says where its bytes lie in it), and the runs with each failed lane's first error
 * lines, which the branch page shows as excerpts and search indexes; and the sha256 of each whole
 * log's text file written, by its path below `textDir`.
 *
 * @param textDir where each truncated log's whole text goes, as `<run id>/<lane slug>.txt`; the
 *   page links to it by the same relative path
 */
export async function renderCiLogs(runs: readonly SiteRun[], logs: ReadonlyMap<string, LaneLogFile>, renderer: LogRenderer, textDir: string): Promise<{ runs: SiteRun[]; logs: SiteCiLogs; html: Buffer[]; textHashes: Record<string, string> }> {
  const rendered: SiteCiLogs = {};
  const textHashes: Record<string, string> = {};
  const html: Buffer[] = [];
  let offset = 0;
  const withErrors: SiteRun[] = [];
  const href = (run: SiteRun, anchor: string) => `${run.id}/${laneFileName(run.id, anchor)}`;
  const jobs = runs.flatMap((run, runIndex) =>
    run.lanes.flatMap((lane, laneIndex) => {
      const log = logs.get(laneKey(runIndex, laneIndex));
      return log ? [{ key: laneKey(runIndex, laneIndex), render: () => renderer.render(log, lane.anchor, path.join(textDir, ...href(run, lane.anchor).split('/')), href(run, lane.anchor)) }] : [];
    }),
  );
  const results = new Map<string, RenderedLog>();
  if (renderer.rendersInWorkers) {
    // Every lane's log is asked for at once, so that all the pool's workers have some; a failure is
    // reported once all have settled, so that none is left writing when the build stops.
    const settled = await Promise.allSettled(jobs.map((job) => job.render()));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    settled.forEach((outcome, i) => results.set(jobs[i]!.key, (outcome as PromiseFulfilledResult<RenderedLog>).value));
  } else {
    // In this thread, one at a time: memory holds one log's view.
    for (const job of jobs) results.set(job.key, await job.render());
  }
  for (const [runIndex, run] of runs.entries()) {
    const lanes = [];
    for (const [laneIndex, lane] of run.lanes.entries()) {
      const result = results.get(laneKey(runIndex, laneIndex));
      if (!result) {
        lanes.push(lane);
        continue;
      }
      const { html: bytes, textSha256, ...facts } = result;
      if (textSha256) textHashes[href(run, lane.anchor)] = textSha256;
      html.push(bytes);
      rendered[`${run.id}/${lane.anchor}`] = { ...facts, htmlBytes: [offset, bytes.length], textHref: result.truncated ? href(run, lane.anchor) : undefined };
      offset += bytes.length;
      lanes.push(lane.status === 'failed' && result.errors.length ? { ...lane, firstErrors: result.errors.slice(0, FIRST_ERRORS).map(({ text, anchor }) => ({ text, anchor })) } : lane);
    }
    withErrors.push({ ...run, lanes });
  }
  // The pieces, not joined: they are hashed and written one after the other (a page's logs are
  // up to tens of megabytes, 250 MB for the bench's corpus, which a join would copy once more).
  return { runs: withErrors, logs: rendered, html, textHashes };
}

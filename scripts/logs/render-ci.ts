import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LaneLogFile } from '../archive/lane-logs.ts';
import { laneKey } from '../archive/lane-logs.ts';
import type { SiteCiLogs, SiteRun } from '../schema/site.ts';
import { laneFileName } from './anchors.ts';
import { ENTRY, placeFileSync, type LogRenderer, type RenderedLog } from './lane-log.ts';

/** Error lines of a failed lane carried to the branch page and search. */
const FIRST_ERRORS = 5;

/** A folder of the site data for a CI page's logs' HTML: where it is, and its path relative to the site data (`ci/7`). */
export interface LogHtmlFolder {
  dir: string;
  relative: string;
}

/**
 * Renders every lane log of a CI file (a branch's ci.yaml or a nightly job) for its CI page.
 * Returns the logs by `<run id>/<lane anchor>`, each saying which file of `htmlFolder` holds its
 * HTML and where in it; the runs with each failed lane's first error lines, which the branch page
 * shows as excerpts and search indexes; the sha256 of each log's HTML by that file's path in the
 * site data; and the sha256 of each whole log's text file written, by its path below `textDir`.
 *
 * A log kept in the cache has its entry linked into `htmlFolder` (`<lane anchor>.entry`, the HTML
 * after its first line), not copied: the CI pages of the bench's corpus are 1.6 GB of log HTML,
 * and a copy of it in the site data was a third of what the logs cost to write.
 *
 * @param textDir where each truncated log's whole text goes, as `<run id>/<lane slug>.txt`; the
 *   page links to it by the same relative path
 * @param htmlFolder an empty or missing folder for the logs' HTML
 */
export async function renderCiLogs(runs: readonly SiteRun[], logs: ReadonlyMap<string, LaneLogFile>, renderer: LogRenderer, textDir: string, htmlFolder: LogHtmlFolder): Promise<{ runs: SiteRun[]; logs: SiteCiLogs; htmlHashes: Record<string, string>; textHashes: Record<string, string> }> {
  const rendered: SiteCiLogs = {};
  const textHashes: Record<string, string> = {};
  const htmlHashes: Record<string, string> = {};
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
      const { html, textSha256, ...facts } = result;
      if (textSha256) textHashes[href(run, lane.anchor)] = textSha256;
      const placed = placeHtml(html, htmlFolder, lane.anchor);
      htmlHashes[placed.htmlFile] = placed.sha256;
      rendered[`${run.id}/${lane.anchor}`] = { ...facts, htmlFile: placed.htmlFile, htmlBytes: placed.htmlBytes, textHref: result.truncated ? href(run, lane.anchor) : undefined };
      lanes.push(lane.status === 'failed' && result.errors.length ? { ...lane, firstErrors: result.errors.slice(0, FIRST_ERRORS).map(({ text, anchor }) => ({ text, anchor })) } : lane);
    }
    withErrors.push({ ...run, lanes });
  }
  return { runs: withErrors, logs: rendered, htmlHashes, textHashes };
}

/** Puts a log's HTML in its page's folder: its cache entry by hard link (a copy where links cannot go), or the bytes rendered without a cache. */
function placeHtml(html: RenderedLog['html'], folder: LogHtmlFolder, anchor: string): { htmlFile: string; htmlBytes: [number, number]; sha256: string } {
  if ('entry' in html) {
    const name = `${anchor}${ENTRY}`;
    placeFileSync(html.entry.file, path.join(folder.dir, name));
    return { htmlFile: `${folder.relative}/${name}`, htmlBytes: [html.entry.start, html.entry.length], sha256: html.entry.sha256 };
  }
  const name = `${anchor}.html`;
  mkdirSync(folder.dir, { recursive: true });
  writeFileSync(path.join(folder.dir, name), html.bytes);
  return { htmlFile: `${folder.relative}/${name}`, htmlBytes: [0, html.bytes.length], sha256: createHash('sha256').update(html.bytes).digest('hex') };
}

/**
 * The part of a site data file of a log's HTML that its recorded hash covers: all of it, or, for a
 * cache entry linked there (its first line is its own sealed facts), the HTML after that line.
 */
export function logHtmlHashed(file: string, bytes: Buffer): Buffer {
  if (!file.endsWith(ENTRY)) return bytes;
  return bytes.subarray(bytes.indexOf(0x0a) + 1);
}

import type { CiRun } from '../schema/ci.ts';
import type { SiteBranch, SiteDiffFile, SiteRun, SiteStep } from '../schema/site.ts';
import { displayPath, type DiffFile } from '../diff/types.ts';
import type { BranchAssets } from '../archive/load-archive.ts';
import { fileAnchors, type ResolvedBranch } from '../build/resolve-branch.ts';
import type { HighlightedFile, HighlightRequest } from './highlight-file.ts';
import { fileNotes } from './file-notes.ts';
import { slugify } from './html.ts';
import { languageForPath } from './languages.ts';
import { renderInlineMarkdown, renderMarkdown } from './markdown.ts';
import { collapseReason, type CollapseOptions } from './collapse.ts';
import { lineAnchorPrefix, renderRows, renderRowsCut } from './render-diff.ts';
import { planTables, type TableStart } from './diff-tables.ts';
import { laneAnchors, runAnchor } from '../logs/anchors.ts';
import type { Authors } from '../schema/authors.ts';
import { renderDiscussion, type RenderedDiscussion } from '../discussion/render-discussion.ts';
import { countElements, evidenceBudget, fitEvidence, planFilePages, ROW_COST } from './page-budget.ts';

/**
 * The most lines of a cited hunk a step shows: generated steps cite whole hunks, some of them
 * thousands of lines long, which would make the tutorial a second copy of the diff.
 */
export const EVIDENCE_LINES = 120;

/** git's file mode for a submodule (a "gitlink"). */
const SUBMODULE_MODE = '160000';

export type Highlight = (request: HighlightRequest) => Promise<HighlightedFile>;

/** Turns a resolved branch into what the site shows: sanitized HTML, highlighted diffs, anchors. */
export interface RenderOptions extends CollapseOptions {
  highlight: Highlight;
  /** Display names for the people of discussions (authors.yaml). */
  authors?: Authors;
}

export async function renderBranch(resolved: ResolvedBranch, options: RenderOptions): Promise<SiteBranch> {
  const { highlight } = options;
  const { branch, patch } = resolved;
  const front = branch.front;
  const anchors = fileAnchors(patch, slugify);
  const takenPrefixes = new Set<string>();
  const linePrefixes = patch.files.map((file) => lineAnchorPrefix(displayPath(file), takenPrefixes));
  const languages = patch.files.map((file) => languageForPath(displayPath(file)));
  const highlighted = await Promise.all(
    patch.files.map((file, i) =>
      highlight({ language: languages[i]!, hunks: file.hunks.map((hunk) => hunk.lines.map(({ kind, text }) => ({ kind, text }))) }),
    ),
  );

  const collapsed = patch.files.map((file) => collapseReason(displayPath(file), file.additions + file.deletions, options));
  // Review threads hang under their rows: the discussion gives the diff renderer a lookup per file.
  const discussion: RenderedDiscussion | undefined = branch.discussion
    ? await renderDiscussion({
        patch,
        discussion: branch.discussion,
        authors: options.authors ?? {},
        front,
        runs: branch.runs,
        highlight,
        files: patch.files.map((_, i) => ({ anchor: anchors[i]!, lineAnchor: linePrefixes[i]!, language: languages[i]!, collapsed: collapsed[i] !== undefined })),
      })
    : undefined;

  // Which steps cite each hunk, so the full diff can link back to them.
  const citations = new Map<string, SiteDiffFile['hunks'][number]['citedBy']>();
  resolved.steps.forEach(({ step, evidence }, index) => {
    for (const found of evidence) {
      const key = `${patch.files.indexOf(found.file)}:${found.hunkIndex}`;
      const list = citations.get(key) ?? [];
      if (!list.some((c) => c.number === index + 1)) list.push({ number: index + 1, anchor: `step-${index + 1}`, title: step.front.title });
      citations.set(key, list);
    }
  });

  const files: SiteDiffFile[] = patch.files.map((file, i) => {
    // A long diff is cut into tables the browser lays out one by one (diff-tables.ts).
    const tables = planTables(file.hunks.map((hunk) => hunk.lines.length));
    const cutsIn = (h: number) => tables.filter((table) => table.hunk === h && table.line > 0).map((table) => table.line);
    const rows = file.hunks.map((hunk, h) => renderRowsCut(hunk.lines, highlighted[i]![h]!, { anchorPrefix: linePrefixes[i], after: discussion?.rowsAfter(i, false) }, cutsIn(h)));
    const tableAt = (table: TableStart) => (table.line === 0 ? 0 : rows[table.hunk]!.offsets[cutsIn(table.hunk).indexOf(table.line)]!);
    return {
      anchor: anchors[i]!,
      path: displayPath(file),
      oldPath: file.oldPath,
      newPath: file.newPath,
      status: file.status,
      oldMode: file.oldMode,
      newMode: file.newMode,
      similarity: file.similarity,
      binary: file.binary,
      additions: file.additions,
      deletions: file.deletions,
      language: languages[i]!,
      lineAnchor: linePrefixes[i]!,
      collapsed: collapsed[i],
      submodule: file.oldMode === SUBMODULE_MODE || file.newMode === SUBMODULE_MODE || undefined,
      notes: fileNotes(file.hunks.flatMap((hunk) => hunk.lines.map((line) => line.text)), highlighted[i]!),
      binarySides: file.binary ? binarySides(file, branch.assets) : undefined,
      tables: tables.length ? tables.map((table) => ({ hunk: table.hunk, at: tableAt(table), lines: table.lines })) : undefined,
      hunks: file.hunks.map((hunk, h) => ({
        anchor: `${anchors[i]}-h${h + 1}`,
        header: hunk.header,
        html: rows[h]!.html,
        citedBy: citations.get(`${i}:${h}`) ?? [],
      })),
    };
  });

  // Each step shows at most EVIDENCE_LINES of a cited hunk, and all of them together stay within the
  // evidence budget (page-budget.ts); the rest is one link away in the diff.
  const citedCode = resolved.steps.map(({ evidence }) =>
    evidence.map((found) => {
      const offset = found.hunk.lines.indexOf(found.lines[0]!);
      return highlighted[patch.files.indexOf(found.file)]![found.hunkIndex]!.slice(offset, offset + Math.min(found.lines.length, EVIDENCE_LINES));
    }),
  );
  const shownLines = fitEvidence(citedCode.flat(), evidenceBudget(patch.files.length));
  const evidenceRows = resolved.steps.map(({ evidence }, s) =>
    evidence.map((found, e) => {
      const lines = found.lines.slice(0, shownLines);
      return { fileIndex: patch.files.indexOf(found.file), lines, code: citedCode[s]![e]!.slice(0, lines.length), omitted: found.lines.length - lines.length };
    }),
  );
  // Files too big to ship on the branch page get a page of their own (see page-budget.ts).
  const evidenceCode = evidenceRows.flat().map(({ code }) => code.join(''));
  const reserved = {
    elements: evidenceCode.reduce((sum, code) => sum + countElements(code), 0) + evidenceRows.flat().reduce((sum, { lines }) => sum + lines.length * ROW_COST.elements, 0),
    bytes: evidenceCode.reduce((sum, code) => sum + code.length, 0) + evidenceRows.flat().reduce((sum, { lines }) => sum + lines.length * ROW_COST.bytes, 0),
  };
  const ownPages = planFilePages(
    files.map((file) => ({ collapsed: file.collapsed !== undefined, html: file.hunks.map((hunk) => hunk.html).join('') })),
    reserved,
  );
  for (const n of ownPages) files[n - 1]!.page = n;

  const anchorOfPath = new Map<string, string>();
  patch.files.forEach((file, i) => {
    for (const p of [file.oldPath, file.newPath]) if (p && !anchorOfPath.has(p)) anchorOfPath.set(p, anchors[i]!);
  });

  const steps: SiteStep[] = await Promise.all(
    resolved.steps.map(async ({ step, evidence }, index) => ({
      number: index + 1,
      anchor: `step-${index + 1}`,
      title: step.front.title,
      intentHtml: await renderInlineMarkdown(step.front.intent, { highlight }),
      files: step.front.files.map((path) => ({ path, anchor: anchorOfPath.get(path) ?? null })),
      evidence: evidence.map((found, e) => {
        const { fileIndex, lines, code, omitted } = evidenceRows[index]![e]!;
        const page = files[fileIndex]!.page;
        return {
          file: displayPath(found.file),
          fileAnchor: anchors[fileIndex]!,
          hunkAnchor: `${anchors[fileIndex]}-h${found.hunkIndex + 1}`,
          header: found.header,
          page,
          // Relative to the branch page (every page address ends in a slash), so any base path works.
          html: renderRows(lines, code, { linkPrefix: `${page ? `files/${page}/` : ''}#${linePrefixes[fileIndex]}`, after: discussion?.rowsAfter(fileIndex, true) }),
          omittedLines: omitted > 0 ? omitted : undefined,
        };
      }),
      // A step's explanation sits under its h3 title.
      bodyHtml: await renderMarkdown(step.body, { headingOffset: 3, highlight }),
      generated: step.front.generated ?? false,
    })),
  );

  const latest = branch.runs.at(-1);
  return {
    id: front.id,
    name: front.name,
    title: front.title,
    state: front.state,
    target: front.target,
    mergeCommit: front.merge_commit,
    head: front.head,
    base: front.base,
    author: front.author,
    updated: front.updated,
    tutorial: front.tutorial,
    ci: latest?.status ?? 'none',
    // The summary sits under the page's h2 "Summary".
    summaryHtml: await renderMarkdown(branch.summary, { headingOffset: 2, highlight }),
    runs: branch.runs.map(toSiteRun),
    steps,
    discussion: discussion?.site,
    diff: {
      files,
      additions: patch.files.reduce((sum, f) => sum + f.additions, 0),
      deletions: patch.files.reduce((sum, f) => sum + f.deletions, 0),
    },
  };
}

/** Images a browser shows safely in `<img>`; SVG is left out, since opened on its own it could run script. */
const IMAGE = /\.(png|jpe?g|gif|webp|avif|bmp|ico)$/i;

/** Where a binary file's content is published next to its branch page. */
export function assetPath(side: 'old' | 'new', filePath: string): string {
  return `files/${side}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}

function binarySides(file: DiffFile, assets: BranchAssets): SiteDiffFile['binarySides'] {
  const side = (which: 'old' | 'new', filePath: string | null) => {
    if (!filePath) return undefined;
    const asset = assets[which].get(filePath);
    const size = asset?.size ?? file.binarySizes?.[which];
    const image = asset && IMAGE.test(filePath) ? assetPath(which, filePath) : undefined;
    return size === undefined && !image ? undefined : { size, image };
  };
  const sides = { old: side('old', file.oldPath), new: side('new', file.newPath) };
  return sides.old || sides.new ? sides : undefined;
}

export function toSiteRun(run: CiRun): SiteRun {
  const laneCounts: SiteRun['laneCounts'] = {};
  for (const lane of run.lanes) laneCounts[lane.status] = (laneCounts[lane.status] ?? 0) + 1;
  const anchors = laneAnchors(run);
  return {
    id: run.id,
    status: run.status,
    head: run.head,
    queuedAt: run.queued_at,
    queuedSecs: run.queued_secs,
    ranSecs: run.ran_secs,
    rerunOf: run.rerun_of,
    anchor: runAnchor(run.id),
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    entrypoint: run.entrypoint,
    url: run.url,
    lanes: run.lanes.map((lane, index) => ({
      name: lane.name,
      status: lane.status,
      durationSecs: lane.duration_secs,
      anchor: anchors[index]!,
      startedAt: lane.started_at,
      finishedAt: lane.finished_at,
      entrypoint: lane.entrypoint,
      retries: lane.retries,
      failureKind: lane.failure_kind,
      rerunOfLane: lane.rerun_of_lane,
      url: lane.url,
      hasLog: lane.log !== undefined,
    })),
    laneCounts,
  };
}

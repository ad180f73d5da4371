import { formatPath } from '../../archive/validate.ts';
import { parseHunkHeader } from '../../diff/parse-patch.ts';
import { resolveEvidence } from '../../diff/resolve-evidence.ts';
import { displayPath, type DiffFile, type ParsedPatch } from '../../diff/types.ts';
import { slugify } from '../../render/html.ts';
import type { Problem } from '../../build/report.ts';
import type { CiRun } from '../../schema/ci.ts';
import { laneAnchors, laneFileName } from '../../logs/anchors.ts';
import type { EvidenceSelector } from '../../schema/step.ts';
import { formatBranchFile, formatCiFile, formatStepFile, stepFileName } from '../../ingest/archive-files.ts';
import type { PikaCi, PikaMediaLink, PikaTutorial } from './pika-schema.ts';
import type { PikaExport, SourceRef } from './read-export.ts';

/** One branch folder of our archive, as text. */
export interface BranchFolder {
  id: number;
  /** `<id>-<slug>` under branches/. */
  folder: string;
  /** Path inside the folder → text. */
  files: Map<string, string>;
}

/**
 * Turns a pika-git export and its diff into our branch folder, keeping every fact the pika-git
 * page showed: the branch facts, the executive summary and media links, the steps with their
 * evidence hunks, and the CI runs with their lanes. Pure; problems name file, field and line.
 *
 * @param author the head commit's author from --repo; pika-git exports carry none
 */
export function mapPikaExport(exported: PikaExport, patchText: string, patch: ParsedPatch, author: string | undefined): { folder?: BranchFolder; problems: Problem[] } {
  const { branch, tutorial, ci, sources } = exported;
  const problems: Problem[] = [];
  if (branch.state === 'merged' && !branch.merge_commit_sha) {
    problems.push(at(sources.branch, ['merge_commit_sha'], 'is required when state is merged'));
  }

  const files = new Map<string, string>();
  const steps = tutorial ? mapSteps(tutorial, patch, sources.tutorial!, problems) : [];
  for (const step of steps) files.set(`steps/${step.fileName}`, step.text);

  const summary = tutorial ? summaryOf(tutorial) : '';
  files.set(
    'branch.md',
    formatBranchFile(
      {
        id: branch.branch_id,
        name: branch.branch_name,
        title: branch.title,
        state: branch.state,
        target: branch.target_branch,
        merge_commit: branch.merge_commit_sha ?? undefined,
        head: branch.head_sha,
        base: branch.base_sha,
        author: author || 'unknown',
        updated: branch.updated_at,
        tutorial: branch.tutorial_status,
      },
      summary,
    ),
  );
  files.set('diff.patch', patchText);
  if (ci && ci.runs.length) files.set('ci.yaml', formatCiFile(mapRuns(ci, sources.ci!, problems, files)));

  if (problems.length) return { problems };
  const slug = slugify(branch.branch_name).slice(0, 60).replace(/-+$/, '');
  return { folder: { id: branch.branch_id, folder: `${branch.branch_id}-${slug}`, files }, problems };
}

/** The executive summary, then the media links as a list. */
export function summaryOf(tutorial: PikaTutorial): string {
  const links = tutorial.media_links.map(linkLine);
  const parts = [tutorial.executive_summary.trim(), links.length ? `Media:\n\n${links.join('\n')}` : ''];
  return parts.filter(Boolean).join('\n\n');
}

function linkLine(link: PikaMediaLink): string {
  if (typeof link === 'string') return `- <${link}>`;
  const text = link.title || link.label || link.name;
  return text ? `- [${text.replaceAll(']', '\\]')}](<${link.url}>)` : `- <${link.url}>`;
}

function mapSteps(tutorial: PikaTutorial, patch: ParsedPatch, source: SourceRef, problems: Problem[]): Array<{ fileName: string; text: string }> {
  return tutorial.steps.map((step, index) => {
    const evidence = step.evidence_snippets.flatMap((snippet, snippetIndex) => {
      const found = locateHunk(patch, snippet, step.affected_files);
      if ('selector' in found) return [found.selector];
      problems.push(at(source, ['steps', index, 'evidence_snippets', snippetIndex], found.message));
      return [];
    });
    const front = {
      title: step.title,
      // Our steps need an intent; a pika step without one is introduced by its title.
      intent: step.intent.trim() || step.title,
      files: step.affected_files,
      evidence,
    };
    return { fileName: stepFileName(index + 1, slugify(step.title).slice(0, 48).replace(/-+$/, '')), text: formatStepFile(front, step.body_markdown) };
  });
}

/**
 * Finds the diff file holding the hunk a snippet names. pika-git cites a hunk by its header
 * only; when files share the header, one of the step's affected files is preferred, in the
 * step's order, then the first in the diff.
 */
export function locateHunk(patch: ParsedPatch, snippet: string, affectedFiles: readonly string[]): { selector: EvidenceSelector } | { message: string } {
  const wanted = parseHunkHeader(snippet.trim());
  if (!wanted) return { message: `"${snippet}" is not a hunk header such as "@@ -193,6 +193,17 @@"` };
  const holders = patch.files.filter((file) =>
    file.hunks.some((hunk) => hunk.oldStart === wanted.oldStart && hunk.oldLines === wanted.oldLines && hunk.newStart === wanted.newStart && hunk.newLines === wanted.newLines),
  );
  if (holders.length === 0) return { message: `hunk ${wanted.range} is in no file of the diff${affectedFiles.length ? ` (the step's files: ${affectedFiles.join(', ')})` : ''}` };
  const names = (file: DiffFile) => [file.newPath, file.oldPath].filter((p): p is string => p !== null);
  const preferred = affectedFiles.map((path) => holders.find((file) => names(file).includes(path))).find((file) => file !== undefined);
  const file = preferred ?? holders[0]!;
  const selector = { file: displayPath(file), hunk: wanted.range };
  const resolved = resolveEvidence(patch, selector);
  if (!resolved.ok || resolved.file !== file) return { message: `hunk ${wanted.range} of ${displayPath(file)} cannot be cited: another file of the diff has the same path` };
  return { selector };
}

/**
 * pika-git's runs as ours, oldest first; a re-run must follow the run it repeats. A lane's
 * `log_text` becomes the file `ci/<run id>/<lane slug>.log` (added to `files`), named by its `log:`.
 */
function mapRuns(ci: PikaCi, source: SourceRef, problems: Problem[], files: Map<string, string>): CiRun[] {
  const order = ci.runs.map((run, index) => ({ run, index })).sort((a, b) => Date.parse(a.run.created_at) - Date.parse(b.run.created_at) || a.run.id - b.run.id);
  const seen = new Set<number>();
  return order.map(({ run, index }) => {
    if (seen.has(run.id)) problems.push(at(source, ['runs', index, 'id'], `${run.id} appears twice; run ids must be unique`));
    if (run.rerun_of != null && !seen.has(run.rerun_of)) {
      problems.push(at(source, ['runs', index, 'rerun_of'], `refers to run ${run.rerun_of}, which is not an earlier run of this export`));
    }
    seen.add(run.id);
    const anchors = laneAnchors({ id: run.id, lanes: run.lanes.map((lane) => ({ name: lane.title })) });
    return {
      id: run.id,
      status: run.status,
      head: run.source_head_sha,
      queued_at: run.created_at,
      queued_secs: run.queued_secs ?? undefined,
      ran_secs: run.ran_secs ?? undefined,
      rerun_of: run.rerun_of ?? undefined,
      lanes: run.lanes.map((lane, laneIndex) => {
        const log = lane.log_text ? `ci/${run.id}/${laneFileName(run.id, anchors[laneIndex]!).replace(/\.txt$/, '.log')}` : undefined;
        if (log) files.set(log, lane.log_text!);
        return {
          name: lane.title,
          status: lane.status,
          log,
          started_at: lane.started_at ?? undefined,
          finished_at: lane.finished_at ?? undefined,
          entrypoint: lane.entrypoint || undefined,
          retries: lane.retry_count ?? undefined,
          failure_kind: lane.failure_kind || undefined,
        };
      }),
    };
  });
}

function at(source: SourceRef, path: PropertyKey[], message: string): Problem {
  return { file: source.file, line: source.lineOf(path), field: formatPath(path), message };
}

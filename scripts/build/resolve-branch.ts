import { parsePatch } from '../diff/parse-patch.ts';
import { resolveEvidence, type ResolvedEvidence } from '../diff/resolve-evidence.ts';
import { displayPath, type ParsedPatch } from '../diff/types.ts';
import type { LoadedBranch, LoadedStep } from '../archive/load-archive.ts';
import type { Problem } from './report.ts';
import { formatPath } from '../archive/validate.ts';
import { checkThreads } from '../discussion/place-threads.ts';

export interface ResolvedStep {
  step: LoadedStep;
  evidence: ResolvedEvidence[];
}

export interface ResolvedBranch {
  branch: LoadedBranch;
  patch: ParsedPatch;
  steps: ResolvedStep[];
}

/**
 * Parses a branch's diff and points every evidence selector of its steps at a real hunk.
 * Pure: problems come back as values, each naming the file, field and line at fault.
 */
export function resolveBranch(branch: LoadedBranch, patchText: string): { resolved?: ResolvedBranch; problems: Problem[] } {
  const { patch, steps, problems } = resolveSteps(branch.patchFile, patchText, branch.steps);
  if (patch && branch.discussionFile && branch.discussionSource) {
    const threads = branch.discussion?.threads.map((thread, index) => [index, thread] as const) ?? branch.validThreads ?? [];
    problems.push(...checkThreads(patch, threads, branch.discussionFile, branch.discussionSource));
  }
  return patch && !problems.length ? { resolved: { branch, patch, steps }, problems } : { problems };
}

/**
 * The diff and evidence half of resolveBranch, which needs no valid branch.md: a branch whose front
 * matter is wrong still has its diff and its steps' evidence checked, so one run reports both.
 */
export function resolveSteps(patchFile: string, patchText: string, loadedSteps: readonly LoadedStep[]): { patch?: ParsedPatch; steps: ResolvedStep[]; problems: Problem[] } {
  const parsed = parsePatch(patchText);
  if (!parsed.ok) {
    return { steps: [], problems: parsed.problems.map((p) => ({ file: patchFile, line: p.line, message: p.message })) };
  }
  const problems: Problem[] = [];
  const steps = loadedSteps.map((step) => {
    const evidence: ResolvedEvidence[] = [];
    step.front.evidence.forEach((selector, index) => {
      const result = resolveEvidence(parsed.patch, selector);
      if (result.ok) {
        evidence.push(result);
      } else {
        const path = ['evidence', index];
        problems.push({ file: step.file, line: step.source.lineOf(path), field: formatPath(path), message: result.message });
      }
    });
    return { step, evidence };
  });
  return { patch: parsed.patch, steps, problems };
}

/** Stable, unique anchor ids for the files of a diff, in diff order. */
export function fileAnchors(patch: ParsedPatch, slugify: (text: string) => string): string[] {
  const used = new Map<string, number>();
  return patch.files.map((file) => {
    const base = `diff-${slugify(displayPath(file))}`;
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    return count ? `${base}-${count + 1}` : base;
  });
}

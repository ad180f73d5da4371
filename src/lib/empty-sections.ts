import type { SiteBranch } from '../../scripts/schema/site.ts';

/**
 * The sections of a branch page that have nothing to show, said in one short line under the header
 * ("No CI runs · no summary · no tutorial") instead of a box each: on a real history most branches
 * have no CI and no tutorial, and three near-empty boxes pushed the diff a screen down.
 */
export interface EmptySections {
  ci: boolean;
  summary: boolean;
  steps: boolean;
  /** The line to show, or undefined when every section has content. */
  line?: string;
}

/** What the line says of a branch without steps, by its tutorial status. */
const NO_STEPS: Record<SiteBranch['tutorial'], string> = {
  none: 'no tutorial',
  pending: 'tutorial being written',
  failed: 'tutorial generation failed',
  ready: 'tutorial without steps',
};

export function emptySections(branch: Pick<SiteBranch, 'runs' | 'summaryHtml' | 'steps' | 'tutorial'>): EmptySections {
  const ci = branch.runs.length === 0;
  const summary = branch.summaryHtml.trim() === '';
  const steps = branch.steps.length === 0;
  const parts = [ci && 'no CI runs', summary && 'no summary', steps && NO_STEPS[branch.tutorial]].filter((part): part is string => !!part);
  const joined = parts.join(' · ');
  return { ci, summary, steps, line: joined ? joined.charAt(0).toUpperCase() + joined.slice(1) : undefined };
}

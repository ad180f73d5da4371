import type { SiteBranch } from '../schema/site.ts';
import type { BranchFacts } from '../schema/stats.ts';
import { reviewFacts } from './review-stats.ts';

/**
 * What the stats page needs of one rendered branch. The build keeps it in its state beside the
 * branch's summary, so an unchanged branch counts in the stats without its data being read again.
 */
export function branchFacts(branch: SiteBranch): BranchFacts {
  const { id, name, title, state, updated, tutorial } = branch;
  return {
    id,
    name,
    title,
    state,
    updated,
    tutorial,
    steps: branch.steps.length,
    files: branch.diff.files.length,
    additions: branch.diff.additions,
    deletions: branch.diff.deletions,
    runs: branch.runs.map((run) => ({
      queuedAt: run.queuedAt,
      status: run.status,
      lanes: run.lanes.map((lane) => ({ name: lane.name, status: lane.status })),
    })),
    ...(branch.discussion && { review: reviewFacts(branch) }),
  };
}

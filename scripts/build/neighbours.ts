import type { SiteBranchSummary } from '../schema/site.ts';

/** What a branch page shows of the branches before and after it (by id). */
export interface NeighbourLink {
  id: number;
  name: string;
  title: string;
}

export interface Neighbours {
  previous?: NeighbourLink;
  next?: NeighbourLink;
}

/**
 * Each branch's previous and next branch by id, the order the archive numbers them in. A branch
 * page links to both, so its page depends on them: the build compares these to decide which
 * unchanged pages still need rebuilding when a neighbour is added, removed or renamed.
 */
export function branchNeighbours(branches: readonly Pick<SiteBranchSummary, 'id' | 'name' | 'title'>[]): Map<number, Neighbours> {
  const byId = [...branches].sort((a, b) => a.id - b.id);
  const link = (branch: (typeof byId)[number] | undefined): NeighbourLink | undefined => branch && { id: branch.id, name: branch.name, title: branch.title };
  return new Map(byId.map((branch, index) => [branch.id, { previous: link(byId[index - 1]), next: link(byId[index + 1]) }]));
}

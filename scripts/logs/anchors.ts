import type { CiRun } from '../schema/ci.ts';
import { slugify } from '../render/html.ts';

/** A run's anchor on its CI page. */
export const runAnchor = (runId: number) => `run-${runId}`;

/**
 * Each lane's anchor on the CI page, `run-<id>-<lane slug>` (e.g. `run-169-check-fixture`),
 * stable for a name. Two lanes whose names slug alike get `-2`, `-3` in file order.
 */
export function laneAnchors(run: Pick<CiRun, 'id' | 'lanes'>): string[] {
  const taken = new Set<string>();
  return run.lanes.map((lane) => {
    const base = `${runAnchor(run.id)}-${slugify(lane.name)}`;
    let anchor = base;
    for (let n = 2; taken.has(anchor); n++) anchor = `${base}-${n}`;
    taken.add(anchor);
    return anchor;
  });
}

/** The lane's anchor without the run's part: the name of its plain-text log, `<slug>.txt`. */
export const laneFileName = (runId: number, anchor: string) => `${anchor.slice(runAnchor(runId).length + 1)}.txt`;

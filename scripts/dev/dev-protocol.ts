/** What the dev server (dev.ts) and the script in its pages (dev-client.ts) say to each other. */
import type { ProblemView } from './problem-view.ts';

/** Custom events on Vite's HMR websocket. */
export const DEV_EVENTS = {
  /** The archive's problems after a rebuild (none when it is fixed): a DevState. */
  problems: 'review-archive:problems',
  /** A rebuild changed pages: a PageChanges. */
  changed: 'review-archive:changed',
} as const;

/** Below the site's base: the current DevState, for a page that has just loaded. */
export const DEV_STATE_PATH = '__review-archive/state.json';

export interface DevState {
  problems: ProblemView[];
}

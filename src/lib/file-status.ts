import type { SiteDiffFile } from '../../scripts/schema/site.ts';

/** How a file's change is named on the page. */
export const STATUS_WORDS: Record<SiteDiffFile['status'], string> = {
  added: 'added',
  deleted: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'copied',
  'mode-changed': 'mode changed',
  binary: 'binary',
};

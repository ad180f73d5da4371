import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The branch diffs the peers render, in folder order: every `diff.patch` of the archive that has
 * content. An empty diff (a merge that changed nothing) is skipped by every peer alike, so that a
 * peer that pays a process start per diff is not charged for pages with nothing to show.
 */
export async function nonEmptyDiffs(contentDir: string): Promise<string[]> {
  const branchesDir = path.join(contentDir, 'branches');
  const found: string[] = [];
  for (const name of (await readdir(branchesDir)).sort()) {
    const file = path.join(branchesDir, name, 'diff.patch');
    const info = await stat(file).catch(() => undefined);
    if (info && info.size > 0) found.push(file);
  }
  return found;
}

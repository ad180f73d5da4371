/**
 * How much diff a branch page carries before files move to pages of their own.
 *
 * A real branch can change a hundred files and tens of thousands of lines; shipped on one page that
 * is megabytes of HTML and hundreds of thousands of elements, which a phone parses for seconds and
 * whose collapsed files nobody opens anyway. So files that start collapsed (lock, vendored,
 * generated, over `collapse_lines`) always get a page of their own (`/branch/<id>/files/<n>/`),
 * and when what is left is still over the budget, the largest files follow until it fits. The
 * branch page keeps every file's header, linked to its page with its counts.
 *
 * The budget leaves room under the page's hard limits (1.5 MB of HTML, 60,000 elements) for the
 * header, the steps with their evidence, the file list and the headers of the moved files.
 */
export interface PageBudget {
  /** Elements (start tags) of diff rows, evidence rows and file entries on the branch page. */
  elements: number;
  /** Bytes of the same. */
  bytes: number;
}

/** The rest of a page (header, step text, footer) is a few thousand elements; this leaves room for it. */
export const BRANCH_PAGE_BUDGET: PageBudget = { elements: 50_000, bytes: 1_200_000 };

/**
 * What each file costs the branch page whether or not its diff is there: its entry in the file list
 * and its header (measured on real pages: about 35 elements and 1 KB).
 */
export const PER_FILE: PageBudget = { elements: 40, bytes: 1_200 };

/** What the planner needs to know of a file's rendered diff. */
export interface FileWeight {
  /** The file starts collapsed (see collapse.ts). */
  collapsed: boolean;
  /** The file's diff rows, as written into the page. */
  html: string;
}

/**
 * The files whose diff goes on a page of its own (`reserved`: what else the page must hold of
 * rows, the steps' evidence), as 1-based positions in the diff (also the
 * page's `<n>`, stable while the diff is), in ascending order.
 */
export function planFilePages(files: readonly FileWeight[], reserved: PageBudget, budget: PageBudget = BRANCH_PAGE_BUDGET): number[] {
  const own = new Set<number>();
  const weights = files.map((file) => ({ elements: countElements(file.html), bytes: Buffer.byteLength(file.html) }));
  // The steps' evidence and every file's header stay on the page whatever moves.
  let elements = reserved.elements + files.length * PER_FILE.elements;
  let bytes = reserved.bytes + files.length * PER_FILE.bytes;
  files.forEach((file, index) => {
    if (file.collapsed && file.html) own.add(index);
    else {
      elements += weights[index]!.elements;
      bytes += weights[index]!.bytes;
    }
  });
  // Largest first, so the fewest files leave the page; ties by position, so the plan is stable.
  const bySize = weights
    .map((weight, index) => ({ ...weight, index }))
    .filter(({ index }) => !own.has(index) && files[index]!.html)
    .sort((a, b) => b.elements - a.elements || a.index - b.index);
  for (const file of bySize) {
    if (elements <= budget.elements && bytes <= budget.bytes) break;
    own.add(file.index);
    elements -= file.elements;
    bytes -= file.bytes;
  }
  return [...own].sort((a, b) => a - b).map((index) => index + 1);
}

/**
 * The elements a fragment of our own markup creates: its start tags. The rows are written by
 * render-diff.ts and tokenizer.ts, whose text is escaped, so every `<` opens or closes a tag.
 */
export function countElements(html: string): number {
  let count = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) if (html[at + 1] !== '/') count++;
  return count;
}

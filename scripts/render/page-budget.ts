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
 * The hard limits of a branch page are 1.5 MB of HTML and 60,000 elements, but the budget is set by
 * what a phone reads quickly: Lighthouse's mobile run (a 4× slower CPU, a slow 4G network) scores a
 * page by its first paint and by how long the main thread is blocked, and both grow with the HTML
 * the browser parses and styles. Measured on real histories' largest pages (README, "Reading real
 * histories"), pages of 3,000 to 8,000 elements and 80 to 200 KB scored 72 to 96 on a loaded 2-core
 * machine and 16,000 elements 66, so the diff rows, evidence and file entries of a branch page get
 * 4,000 elements and 150 KB. A file's header costs less than its rows (no code to lay out), so a
 * branch of a hundred files, all moved, still reads quickly at about 6,000 elements.
 */
export interface PageBudget {
  /** Elements (start tags) of diff rows, evidence rows and file entries on the branch page. */
  elements: number;
  /** Bytes of the same. */
  bytes: number;
}

/** The rest of a page (header, summary, step text, footer) is a few hundred elements; this leaves room for it. */
export const BRANCH_PAGE_BUDGET: PageBudget = { elements: 5_000, bytes: 160_000 };

/**
 * The part of the budget the steps' evidence may take: generated steps cite a branch's largest hunks,
 * a dozen steps of them would fill the page on their own and leave no room for the diff.
 */
export const EVIDENCE_BUDGET: PageBudget = { elements: 2_500, bytes: 80_000 };

/**
 * The evidence budget of a branch of `files` files: what the page budget leaves beside every file's
 * entry and header, within EVIDENCE_BUDGET, and never under a third of it (so a hundred-file
 * branch still shows the start of what its steps cite).
 */
export function evidenceBudget(files: number): PageBudget {
  const left = (total: number, perFile: number, most: number) => Math.max(Math.round(most / 3), Math.min(most, total - files * perFile));
  return {
    elements: left(BRANCH_PAGE_BUDGET.elements, PER_FILE.elements, EVIDENCE_BUDGET.elements),
    bytes: left(BRANCH_PAGE_BUDGET.bytes, PER_FILE.bytes, EVIDENCE_BUDGET.bytes),
  };
}

/** A diff row's own elements (tr, four cells, two number links) and bytes around its code. */
export const ROW_COST: PageBudget = { elements: 7, bytes: 70 };

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

/**
 * How many lines of each evidence block a branch page shows: the same number for every block
 * (the largest that keeps them all within `budget`), so each step keeps the start of what it cites
 * and the rest is one link away in the diff. `blocks` holds each block's highlighted lines, already
 * cut to what a step shows at most; 0 means captions only.
 */
export function fitEvidence(blocks: readonly (readonly string[])[], budget: PageBudget = EVIDENCE_BUDGET): number {
  const longest = Math.max(0, ...blocks.map((lines) => lines.length));
  // Cost of the first n lines of every block, for each n: one pass, then a search for the largest fit.
  const elementsUpTo = new Array<number>(longest + 1).fill(0);
  const bytesUpTo = new Array<number>(longest + 1).fill(0);
  for (const lines of blocks) {
    lines.forEach((code, index) => {
      elementsUpTo[index + 1]! += countElements(code) + ROW_COST.elements;
      bytesUpTo[index + 1]! += code.length + ROW_COST.bytes;
    });
  }
  let shown = 0;
  let elements = 0;
  let bytes = 0;
  for (let n = 1; n <= longest; n++) {
    elements += elementsUpTo[n]!;
    bytes += bytesUpTo[n]!;
    if (elements > budget.elements || bytes > budget.bytes) break;
    shown = n;
  }
  return shown;
}

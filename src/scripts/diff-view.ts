/**
 * Unified / split switch for the Diff section. The page is written in the unified view, which reads
 * fully without JavaScript; this script adds the switch, rearranges the rows side by side on demand
 * and remembers the choice. Line-number cells (which carry the permalink ids) are moved, never
 * copied, so every anchor keeps working in both views.
 *
 * Rearranging every row of a big page at once froze it for seconds, so a hunk is rearranged only
 * when it comes near the window, and a long one a slice of rows at a time (a 3,000-line lock file
 * is one hunk): the switch itself touches only the rows in and near the window. Under 700 px there is no room
 * for two sides, so the switch is not offered and a remembered split reads as unified.
 *
 * It also gives the line numbers a roving focus: they are links, but not tab stops (the page marks
 * them tabindex=-1, so a hunk is one stop, its header); ArrowDown / ArrowUp move between them.
 */
type View = 'unified' | 'split';

const STORAGE_KEY = 'review-archive:diff-view';
/** Narrower than this, two sides would be a dozen characters each. */
const WIDE_ENOUGH = '(min-width: 700px)';
/** Files this far beyond the window are rearranged before they scroll into it. */
const AHEAD = '1500px 0px';

/**
 * What the split view shows of a hunk, worked out from the rows' classes alone (cheap): a line
 * beside its counterpart, or a row that is not a line (a review thread) in its place.
 */
type Step = { pair: [HTMLTableRowElement | undefined, HTMLTableRowElement | undefined] } | { row: HTMLTableRowElement };

/** Side-by-side rows are made this many steps at a time, as they near the window. */
const SLICE = 150;

interface SplitHunk {
  tbody: HTMLTableSectionElement;
  originals: HTMLTableRowElement[];
  steps: Step[];
  /** Steps[0, done) are on the page side by side; the rest still read unified, below them. */
  done: number;
  /** Originals already hidden or moved into the split flow. */
  consumed: Set<HTMLTableRowElement>;
  /** First original, in page order, that may not be consumed yet. */
  cursor: number;
  splitRows: HTMLTableRowElement[];
  /** Each moved line-number cell and the row and position it came from. */
  moved: Array<{ cell: HTMLTableCellElement; row: HTMLTableRowElement; index: number }>;
  /** Watches the first row still unified, to make the next slice before it scrolls in. */
  watcher?: IntersectionObserver;
}

const splitHunks = new Map<HTMLTableSectionElement, SplitHunk>();

/** Rows of the diff itself: `a` added, `d` deleted, `c` context, `n` "no newline" (render-diff.ts). */
const LINE_KINDS = new Set(['a', 'd', 'c', 'n']);

function codeCell(source: HTMLTableRowElement | undefined, side: 'old' | 'new'): HTMLTableCellElement {
  const cell = document.createElement('td');
  cell.className = `split-code ${source ? (source.className === 'c' ? 'ctx' : source.className === 'd' ? 'del' : 'add') : 'blank'}`;
  if (source) {
    const sign = source.cells[2]?.textContent ?? ' ';
    const signCell = document.createElement('span');
    signCell.className = 'split-sign';
    signCell.textContent = source.className === 'c' ? ' ' : sign;
    cell.append(signCell);
    cell.insertAdjacentHTML('beforeend', source.cells[3]?.innerHTML ?? '');
    cell.dataset.side = side;
  }
  return cell;
}

function numberCell(source: HTMLTableRowElement | undefined, index: 0 | 1, hunk: SplitHunk): HTMLTableCellElement {
  const original = source?.cells[index];
  if (!original || !original.id) {
    const empty = document.createElement('td');
    empty.className = 'split-ln';
    empty.textContent = original?.textContent ?? '';
    return empty;
  }
  hunk.moved.push({ cell: original, row: source!, index });
  original.classList.add('split-ln');
  return original;
}

function splitRow(hunk: SplitHunk, oldRow: HTMLTableRowElement | undefined, newRow: HTMLTableRowElement | undefined): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.className = 'split';
  row.append(numberCell(oldRow, 0, hunk), codeCell(oldRow, 'old'), numberCell(newRow, 1, hunk), codeCell(newRow, 'new'));
  return row;
}

/**
 * The split view's steps for a hunk's rows. Rows that are not lines of the diff (review threads
 * under a line, say) keep their place after the line they follow, in both views: in a change, a
 * thread follows the side-by-side row that holds its line, not the whole change.
 */
function planSplit(originals: readonly HTMLTableRowElement[]): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < originals.length) {
    const row = originals[i]!;
    if (!LINE_KINDS.has(row.className)) {
      steps.push({ row });
      i++;
    } else if (row.className === 'n') {
      i++;
    } else if (row.className === 'c') {
      steps.push({ pair: [row, row] });
      i++;
    } else {
      const deleted: HTMLTableRowElement[] = [];
      const added: HTMLTableRowElement[] = [];
      const after = new Map<HTMLTableRowElement | undefined, HTMLTableRowElement[]>();
      let lastLine: HTMLTableRowElement | undefined;
      const take = (kind: 'd' | 'a', into: HTMLTableRowElement[]) => {
        while (i < originals.length && (originals[i]!.className === kind || originals[i]!.className === 'n' || !LINE_KINDS.has(originals[i]!.className))) {
          const current = originals[i]!;
          if (current.className === kind) {
            into.push(current);
            lastLine = current;
          } else if (current.className !== 'n') {
            after.set(lastLine, [...(after.get(lastLine) ?? []), current]);
          }
          i++;
        }
      };
      take('d', deleted);
      take('a', added);
      for (const row of after.get(undefined) ?? []) steps.push({ row });
      for (let k = 0; k < Math.max(deleted.length, added.length); k++) {
        steps.push({ pair: [deleted[k], added[k]] });
        for (const side of [deleted[k], added[k]]) for (const row of (side && after.get(side)) || []) steps.push({ row });
      }
    }
  }
  return steps;
}

/** The hunk's split state, made on first use (no rows change yet). */
function splitHunk(tbody: HTMLTableSectionElement): SplitHunk {
  let hunk = splitHunks.get(tbody);
  if (!hunk) {
    const originals = [...tbody.rows].filter((row) => !row.classList.contains('hunk-header'));
    hunk = { tbody, originals, steps: planSplit(originals), done: 0, consumed: new Set(), cursor: 0, splitRows: [], moved: [] };
    splitHunks.set(tbody, hunk);
  }
  return hunk;
}

/** The first row of the hunk that still reads unified, in page order. */
function firstUnified(hunk: SplitHunk): HTMLTableRowElement | undefined {
  while (hunk.cursor < hunk.originals.length && hunk.consumed.has(hunk.originals[hunk.cursor]!)) hunk.cursor++;
  return hunk.originals[hunk.cursor];
}

/**
 * Makes the next slice of a hunk side by side: its lines are hidden, its threads moved, and its
 * split rows put before the first row that still reads unified. Slices go in order, so the
 * rows above stay split and the rows below stay unified until they near the window.
 */
function splitNextSlice(hunk: SplitHunk): void {
  const flow: HTMLTableRowElement[] = [];
  const end = Math.min(hunk.steps.length, hunk.done + SLICE);
  for (let k = hunk.done; k < end; k++) {
    const step = hunk.steps[k]!;
    if ('row' in step) {
      flow.push(step.row);
      hunk.consumed.add(step.row);
      continue;
    }
    const [oldRow, newRow] = step.pair;
    const row = splitRow(hunk, oldRow, newRow);
    flow.push(row);
    hunk.splitRows.push(row);
    for (const line of [oldRow, newRow]) {
      if (!line || hunk.consumed.has(line)) continue;
      line.hidden = true;
      hunk.consumed.add(line);
    }
  }
  hunk.done = end;
  // "No newline" rows are not steps: they are hidden with the line before them.
  for (let k = hunk.cursor; k < hunk.originals.length; k++) {
    const row = hunk.originals[k]!;
    if (row.className === 'n' && !row.hidden && (k === 0 || hunk.consumed.has(hunk.originals[k - 1]!))) {
      row.hidden = true;
      hunk.consumed.add(row);
    }
    if (!hunk.consumed.has(row)) break;
  }
  const before = firstUnified(hunk);
  if (before) hunk.tbody.insertBefore(fragmentOf(flow), before);
  else hunk.tbody.append(fragmentOf(flow));
}

function fragmentOf(rows: readonly HTMLTableRowElement[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...rows);
  return fragment;
}

const isFinished = (hunk: SplitHunk) => hunk.done >= hunk.steps.length;

/**
 * Makes the next slice of a hunk side by side (with `through`, every slice up to that row), then
 * watches its first unified row to make the next one before it scrolls in.
 */
function toSplit(tbody: HTMLTableSectionElement, through?: Element): void {
  const hunk = splitHunk(tbody);
  hunk.watcher?.disconnect();
  const table = tbody.closest<HTMLTableElement>('table.diff-table');
  if (table && !table.classList.contains('is-split')) setColumns(table, 'split');
  // One slice covers more than the window ahead (150 rows of at least a line each); the watcher
  // below makes the next one before it scrolls in. No position is read here: on a table of
  // thousands of rows, each read is a layout of the whole table.
  const wanted = through as HTMLTableRowElement | undefined;
  do splitNextSlice(hunk);
  while (!isFinished(hunk) && wanted && hunk.originals.includes(wanted) && !hunk.consumed.has(wanted));
  if (isFinished(hunk)) return;
  const next = firstUnified(hunk);
  if (!next) return;
  hunk.watcher = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) toSplit(tbody);
    },
    { rootMargin: AHEAD },
  );
  hunk.watcher.observe(next);
}

function toUnified(hunk: SplitHunk): void {
  hunk.watcher?.disconnect();
  for (const { cell, row, index } of hunk.moved) {
    cell.classList.remove('split-ln');
    row.insertBefore(cell, row.cells[index] ?? null);
  }
  for (const row of hunk.splitRows) row.remove();
  // Lines were hidden in place; only rows that followed a line (threads) moved. Each goes back
  // after the row it followed, in page order: re-adding every row would restyle the whole table.
  hunk.originals.forEach((row, index) => {
    if (row.hidden) row.hidden = false;
    else if (hunk.consumed.has(row)) hunk.tbody.insertBefore(row, index === 0 ? firstRowAfterHeader(hunk.tbody) : hunk.originals[index - 1]!.nextSibling);
  });
  splitHunks.delete(hunk.tbody);
}

function firstRowAfterHeader(tbody: HTMLTableSectionElement): ChildNode | null {
  const header = tbody.querySelector(':scope > tr.hunk-header');
  return header ? header.nextSibling : tbody.firstChild;
}

/** Split tables share their width evenly between the sides, whatever the lines' lengths. */
function setColumns(table: HTMLTableElement, view: View): void {
  table.querySelector(':scope > colgroup')?.remove();
  table.classList.toggle('is-split', view === 'split');
  if (view !== 'split') return;
  const columns = document.createElement('colgroup');
  for (const kind of ['ln', 'code', 'ln', 'code']) {
    const column = document.createElement('col');
    column.className = `col-${kind}`;
    columns.append(column);
  }
  table.prepend(columns);
}

function splitFile(file: Element, through?: Element): void {
  const hunks = [...file.querySelectorAll<HTMLTableSectionElement>('tbody.hunk')];
  // Every position read before any hunk changes: one layout, not one per hunk.
  const near = hunks.map((tbody) => tbody.getBoundingClientRect().top < 2 * innerHeight);
  hunks.forEach((tbody, index) => {
    // A hunk far below the window waits for it; one above it, or holding the linked line, is made now.
    if (through && tbody.contains(through)) toSplit(tbody, through);
    else if (near[index]) toSplit(tbody);
    else hunkWatcher?.observe(tbody);
  });
}

/** Rearranges each hunk as it nears the window, while the split view is on. */
let hunkWatcher: IntersectionObserver | undefined;

function apply(section: HTMLElement, view: View): void {
  section.dataset.view = view;
  for (const button of section.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
  }
  hunkWatcher?.disconnect();
  hunkWatcher = undefined;
  const files = section.querySelectorAll<HTMLElement>('.diff-file');
  if (view === 'split') {
    hunkWatcher = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          hunkWatcher?.unobserve(entry.target);
          toSplit(entry.target as HTMLTableSectionElement);
        }
      },
      { rootMargin: AHEAD },
    );
    // The file holding a permalinked line first, so it can be scrolled to at once.
    const linked = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    const target = linked?.closest('.diff-file');
    if (target && linked) splitFile(target, linked.closest('tr') ?? linked);
    // What is in view now changes in this frame, not after the observer's first report. (All
    // positions read before any file changes: one layout, not one per file.)
    const near = [...files].filter((file) => {
      const box = file.getBoundingClientRect();
      return box.bottom > -innerHeight && box.top < 2 * innerHeight;
    });
    near.forEach((file) => splitFile(file));
    for (const file of files) {
      if (file === target || near.includes(file)) continue;
      for (const tbody of file.querySelectorAll<HTMLTableSectionElement>('tbody.hunk')) hunkWatcher.observe(tbody);
    }
  } else {
    for (const hunk of [...splitHunks.values()]) toUnified(hunk);
    for (const table of section.querySelectorAll<HTMLTableElement>('table.diff-table.is-split')) setColumns(table, 'unified');
  }
}

function storedView(): View {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

/** The line-number links of a hunk, in reading order (in split, old side before new on each row). */
function lineLinks(tbody: Element): HTMLAnchorElement[] {
  return [...tbody.querySelectorAll<HTMLAnchorElement>('tr:not([hidden]) > td[id] > a')];
}

/** ArrowDown / ArrowUp from a hunk's header link or one of its line numbers move along its lines. */
function onArrow(event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const from = event.target instanceof HTMLAnchorElement ? event.target : null;
  const tbody = from?.closest('tbody.hunk');
  if (!from || !tbody) return;
  const links = lineLinks(tbody);
  const at = links.indexOf(from);
  const next = at === -1 ? (event.key === 'ArrowDown' ? links[0] : undefined) : links[at + (event.key === 'ArrowDown' ? 1 : -1)];
  const header = tbody.querySelector<HTMLAnchorElement>('.hunk-header a');
  const destination = next ?? (event.key === 'ArrowUp' && at === 0 ? header : undefined);
  if (!destination) return;
  event.preventDefault();
  destination.focus();
}

function setUp(): void {
  const section = document.querySelector<HTMLElement>('#diff');
  if (!section) return;
  section.addEventListener('keydown', onArrow);
  // Focused and linked rows stop below the sticky file header: its height, as it wraps.
  const header = section.querySelector<HTMLElement>('.diff-file-header');
  if (header) {
    const measure = () => section.style.setProperty('--file-header-height', `${header.offsetHeight}px`);
    new ResizeObserver(measure).observe(header);
  }
  const switcher = section.querySelector<HTMLElement>('[data-view-switch]');
  if (!switcher || !section.querySelector('tbody.hunk')) return;
  const wide = matchMedia(WIDE_ENOUGH);
  let chosen = storedView();
  const show = () => {
    switcher.hidden = !wide.matches;
    const view = wide.matches ? chosen : 'unified';
    if (section.dataset.view !== view && (view === 'split' || section.dataset.view === 'split')) apply(section, view);
  };
  switcher.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-view]');
    if (!button) return;
    chosen = button.dataset.view === 'split' ? 'split' : 'unified';
    apply(section, chosen);
    try {
      localStorage.setItem(STORAGE_KEY, chosen);
    } catch {
      // Storage may be off (private mode); the switch still works for this page.
    }
  });
  wide.addEventListener('change', show);
  show();
  // Rows moved: bring a permalinked line back into view.
  if (section.dataset.view === 'split' && location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

setUp();

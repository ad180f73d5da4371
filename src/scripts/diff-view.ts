/**
 * Unified / split switch for the Diff section. The page is written in the unified view, which reads
 * fully without JavaScript; this script adds the switch, rearranges the rows side by side on demand
 * and remembers the choice. Line-number cells (which carry the permalink ids) are moved, never
 * copied, so every anchor keeps working in both views.
 *
 * Rearranging every row of a big page at once froze it for seconds, so a file is rearranged only
 * when it comes near the window: the switch itself touches no rows. Under 700 px there is no room
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

interface SplitHunk {
  tbody: HTMLTableSectionElement;
  originals: HTMLTableRowElement[];
  splitRows: HTMLTableRowElement[];
  /** Each moved line-number cell and the row and position it came from. */
  moved: Array<{ cell: HTMLTableCellElement; row: HTMLTableRowElement; index: number }>;
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
 * Rows that are not lines of the diff (review threads under a line, say) keep their place after
 * the line they follow, in both views; they are moved into the split flow, not copied.
 */
function toSplit(tbody: HTMLTableSectionElement): void {
  if (splitHunks.has(tbody)) return;
  const originals = [...tbody.rows].filter((row) => !row.classList.contains('hunk-header'));
  const hunk: SplitHunk = { tbody, originals, splitRows: [], moved: [] };
  const flow: HTMLTableRowElement[] = [];
  let i = 0;
  while (i < originals.length) {
    const row = originals[i]!;
    if (!LINE_KINDS.has(row.className)) {
      flow.push(row);
      i++;
    } else if (row.className === 'n') {
      i++;
    } else if (row.className === 'c') {
      flow.push(splitRow(hunk, row, row));
      i++;
    } else {
      // A change: its deleted lines beside its added ones, rows after any of them below the pair.
      const deleted: HTMLTableRowElement[] = [];
      const added: HTMLTableRowElement[] = [];
      const after: HTMLTableRowElement[] = [];
      while (i < originals.length && (originals[i]!.className === 'd' || originals[i]!.className === 'n' || (!LINE_KINDS.has(originals[i]!.className) && added.length === 0))) {
        if (originals[i]!.className === 'd') deleted.push(originals[i]!);
        else if (originals[i]!.className !== 'n') after.push(originals[i]!);
        i++;
      }
      while (i < originals.length && (originals[i]!.className === 'a' || originals[i]!.className === 'n' || !LINE_KINDS.has(originals[i]!.className))) {
        if (originals[i]!.className === 'a') added.push(originals[i]!);
        else if (originals[i]!.className !== 'n') after.push(originals[i]!);
        i++;
      }
      for (let k = 0; k < Math.max(deleted.length, added.length); k++) flow.push(splitRow(hunk, deleted[k], added[k]));
      flow.push(...after);
    }
  }
  hunk.splitRows = flow.filter((row) => row.classList.contains('split'));
  for (const row of originals) if (LINE_KINDS.has(row.className)) row.hidden = true;
  tbody.append(...flow);
  splitHunks.set(tbody, hunk);
}

function toUnified(hunk: SplitHunk): void {
  for (const { cell, row, index } of hunk.moved) {
    cell.classList.remove('split-ln');
    row.insertBefore(cell, row.cells[index] ?? null);
  }
  for (const row of hunk.splitRows) if (row.className !== 't') row.remove();
  for (const row of hunk.originals) row.hidden = false;
  // Back in the page's own order, rows that followed a line included.
  hunk.tbody.append(...hunk.originals);
  splitHunks.delete(hunk.tbody);
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

function splitFile(file: Element): void {
  for (const tbody of file.querySelectorAll<HTMLTableSectionElement>('tbody.hunk')) toSplit(tbody);
  for (const table of file.querySelectorAll<HTMLTableElement>('table.diff-table')) setColumns(table, 'split');
}

/** Rearranges each file as it nears the window, while the split view is on. */
let watcher: IntersectionObserver | undefined;

function apply(section: HTMLElement, view: View): void {
  section.dataset.view = view;
  for (const button of section.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
  }
  watcher?.disconnect();
  watcher = undefined;
  const files = section.querySelectorAll<HTMLElement>('.diff-file');
  if (view === 'split') {
    // The file holding a permalinked line first, so it can be scrolled to at once.
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1)))?.closest('.diff-file') : null;
    if (target) splitFile(target);
    // What is in view now changes in this frame, not after the observer's first report. (All
    // positions read before any file changes: one layout, not one per file.)
    const near = [...files].filter((file) => {
      const box = file.getBoundingClientRect();
      return box.bottom > -innerHeight && box.top < 2 * innerHeight;
    });
    near.forEach(splitFile);
    watcher = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          splitFile(entry.target);
          watcher?.unobserve(entry.target);
        }
      },
      { rootMargin: AHEAD },
    );
    for (const file of files) if (file.querySelector('tbody.hunk')) watcher.observe(file);
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

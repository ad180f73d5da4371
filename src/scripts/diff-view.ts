/**
 * Unified / split switch for the Diff section. The page is written in the unified view, which reads
 * fully without JavaScript; this script adds the switch, rearranges the rows side by side on demand
 * and remembers the choice. Line-number cells (which carry the permalink ids) are moved, never
 * copied, so every anchor keeps working in both views.
 */
type View = 'unified' | 'split';

const STORAGE_KEY = 'review-archive:diff-view';

interface SplitHunk {
  tbody: HTMLTableSectionElement;
  originals: HTMLTableRowElement[];
  splitRows: HTMLTableRowElement[];
  /** Each moved line-number cell and the row and position it came from. */
  moved: Array<{ cell: HTMLTableCellElement; row: HTMLTableRowElement; index: number }>;
}

const splitHunks = new Map<HTMLTableSectionElement, SplitHunk>();

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
  const oldNumber = numberCell(oldRow, 0, hunk);
  const oldCode = codeCell(oldRow, 'old');
  const newNumber = numberCell(newRow, 1, hunk);
  const newCode = codeCell(newRow, 'new');
  row.append(oldNumber, oldCode, newNumber, newCode);
  return row;
}

function toSplit(tbody: HTMLTableSectionElement): void {
  if (splitHunks.has(tbody)) return;
  const originals = [...tbody.rows].filter((row) => !row.classList.contains('hunk-header'));
  const hunk: SplitHunk = { tbody, originals, splitRows: [], moved: [] };
  let i = 0;
  // Review threads (`t` rows) are moved, not copied, so their ids keep working; in a block of
  // changed lines they follow the block's side-by-side rows.
  const isThread = (row: HTMLTableRowElement) => row.className === 't';
  while (i < originals.length) {
    const row = originals[i]!;
    if (row.className === 'n') {
      i++;
      continue;
    }
    if (isThread(row)) {
      hunk.splitRows.push(row);
      i++;
      continue;
    }
    if (row.className === 'c') {
      hunk.splitRows.push(splitRow(hunk, row, row));
      i++;
      continue;
    }
    const deleted: HTMLTableRowElement[] = [];
    const added: HTMLTableRowElement[] = [];
    const threads: HTMLTableRowElement[] = [];
    while (i < originals.length && ['d', 'n', 't'].includes(originals[i]!.className)) {
      if (originals[i]!.className === 'd') deleted.push(originals[i]!);
      if (isThread(originals[i]!)) threads.push(originals[i]!);
      i++;
    }
    while (i < originals.length && ['a', 'n', 't'].includes(originals[i]!.className)) {
      if (originals[i]!.className === 'a') added.push(originals[i]!);
      if (isThread(originals[i]!)) threads.push(originals[i]!);
      i++;
    }
    for (let k = 0; k < Math.max(deleted.length, added.length); k++) hunk.splitRows.push(splitRow(hunk, deleted[k], added[k]));
    hunk.splitRows.push(...threads);
  }
  for (const row of originals) if (row.className !== 't') row.hidden = true;
  tbody.append(...hunk.splitRows);
  splitHunks.set(tbody, hunk);
}

function toUnified(hunk: SplitHunk): void {
  for (const { cell, row, index } of hunk.moved) {
    cell.classList.remove('split-ln');
    row.insertBefore(cell, row.cells[index] ?? null);
  }
  for (const row of hunk.splitRows) if (row.className !== 't') row.remove();
  for (const row of hunk.originals) row.hidden = false;
  // Thread rows were moved among the split rows: putting every original back restores their places.
  hunk.tbody.append(...hunk.originals);
  splitHunks.delete(hunk.tbody);
}

function apply(section: HTMLElement, view: View): void {
  section.dataset.view = view;
  for (const button of section.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
  }
  const bodies = section.querySelectorAll<HTMLTableSectionElement>('.diff-file tbody.hunk');
  if (view === 'split') bodies.forEach(toSplit);
  else for (const hunk of [...splitHunks.values()]) toUnified(hunk);
  for (const table of section.querySelectorAll<HTMLTableElement>('.diff-file table.diff-table')) setColumns(table, view);
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

function storedView(): View {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

function setUp(): void {
  const section = document.querySelector<HTMLElement>('#diff');
  const switcher = section?.querySelector<HTMLElement>('[data-view-switch]');
  if (!section || !switcher) return;
  switcher.hidden = false;
  switcher.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-view]');
    if (!button) return;
    const view = button.dataset.view === 'split' ? 'split' : 'unified';
    apply(section, view);
    try {
      localStorage.setItem(STORAGE_KEY, view);
    } catch {
      // Storage may be off (private mode); the switch still works for this page.
    }
  });
  if (storedView() === 'split') {
    apply(section, 'split');
    // Rows moved: bring a permalinked line back into view.
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }
}

setUp();

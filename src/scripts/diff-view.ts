/**
 * Unified / split switch for the Diff section. The page is written in the unified view, which reads
 * fully without JavaScript; this script adds the switch, rearranges the rows side by side on demand
 * and remembers the choice. Line-number cells (which carry the permalink ids) are moved, never
 * copied, so every anchor keeps working in both views.
 *
 * A browser lays out a table whole, so the build writes a long diff as tables of about a screen of lines
 * (scripts/render/diff-tables.ts), each under `content-visibility: auto`; a long hunk goes on in
 * the next table (`tbody.hunk-cont`). The split view is made a table at a time, for the tables in
 * or near the window when it is chosen and for the others as they near it, so a switch touches (and
 * the browser lays out) a hundred rows or so, however long the file. Under 700 px there is no
 * room for two sides, so the switch is not offered and a remembered split reads as unified.
 *
 * It also gives the line numbers a roving focus: they are links, but not tab stops (the page marks
 * them tabindex=-1, so a hunk is one stop, its header); ArrowDown / ArrowUp move between them.
 */
type View = 'unified' | 'split';
type Row = HTMLTableRowElement;
type Tbody = HTMLTableSectionElement;

const STORAGE_KEY = 'review-archive:diff-view';
/** Narrower than this, two sides would be a dozen characters each. */
const WIDE_ENOUGH = '(min-width: 700px)';
/** Tables this far (px) beyond the window are made side by side before they scroll into it. */
const AHEAD_PX = 1000;

/**
 * What the split view shows of a hunk, worked out from the rows' classes alone (cheap), as indexes
 * into the hunk's rows: a line beside its counterpart (-1: none), or a row that is not a line (a
 * review thread) in its place.
 */
type Step = { pair: [number, number] } | { row: number };

/**
 * A hunk whose split view is planned, over every table it spans. Its rows are read a tbody at a time,
 * as the planner needs them: a 3,000-line new file is one hunk, and reading all of it took a third
 * of the first switch's script time.
 */
interface Hunk {
  /** Its rows read so far (the unified view), the header left out, in page order. */
  rows: Row[];
  /** Their classes, read once: `a`, `d`, `c`, `n` (render-diff.ts) or `t` and others for threads. */
  kinds: string[];
  pieces: Piece[];
  /** How many of the pieces' rows have been read. */
  piecesRead: number;
  /** For each row, the index of the piece (tbody) it is in. */
  pieceOfRow: number[];
  /** For each row, the index of the piece whose split rows show it (none yet, or a "no newline" note: unset). */
  shownBy: number[];
  /** The steps not yet given to a piece, and the last piece that has all of its own. */
  planner: Generator<Step>;
  pending?: Step;
  planned: number;
  /** The piece of the last step given out: a thread goes with the line before it. */
  lastOwner: number;
}

/** One tbody of a hunk (a long hunk has one per table it spans) and what the split view puts in it. */
interface Piece {
  hunk: Hunk;
  index: number;
  tbody: Tbody;
  /** Its rows are the hunk's rows[start, end), once read (readPiece). */
  start: number;
  end: number;
  /** The split steps shown in this tbody: those whose first line is here, and the threads after them. */
  steps: Step[];
  split: boolean;
  splitRows: Row[];
  /** Each moved line-number cell and the row and position it came from. */
  moved: Array<{ cell: HTMLTableCellElement; row: Row; index: number }>;
  /** Each moved code cell (the last of its row) and its row. */
  movedCode: Array<{ cell: HTMLTableCellElement; row: Row }>;
  /** Rows that are not lines (threads) moved into the split rows' flow. */
  carried: Row[];
}

/** The pieces of the hunks planned since the split view was chosen. */
const pieces = new Map<Tbody, Piece>();
/** For each thread row, the row it follows in the unified view, to put it back after. */
const follows = new Map<Row, Element>();

/** Rows of the diff itself: `a` added, `d` deleted, `c` context, `n` "no newline" (render-diff.ts). */
const LINE_KINDS = new Set(['a', 'd', 'c', 'n']);

const SIDE_CLASSES = { c: 'ctx', d: 'del', a: 'add' } as Record<string, string>;
const SIGNS = { c: ' ', d: '-', a: '+' } as Record<string, string>;

/**
 * A side's code in the split view: the line's own code cell, moved (parsing a copy of its HTML was
 * the slowest part of a switch), with the sign before the code. A context line is on both sides: the
 * old side gets a copy.
 */
function codeCell(source: Row | undefined, piece: Piece, copy: boolean): HTMLTableCellElement {
  if (!source) {
    const blank = document.createElement('td');
    blank.className = 'split-code blank';
    return blank;
  }
  const original = source.cells[source.cells.length - 1]!;
  const cell = copy ? (original.cloneNode(true) as HTMLTableCellElement) : original;
  if (!copy) piece.movedCode.push({ cell, row: source });
  cell.className = `split-code ${SIDE_CLASSES[source.className]}`;
  const sign = document.createElement('span');
  sign.className = 'split-sign';
  sign.textContent = SIGNS[source.className]!;
  cell.prepend(sign);
  return cell;
}

function numberCell(source: Row | undefined, index: 0 | 1, piece: Piece): HTMLTableCellElement {
  const original = source?.cells[index];
  if (!original || !original.id) {
    const empty = document.createElement('td');
    empty.className = 'split-ln';
    empty.textContent = original?.textContent ?? '';
    return empty;
  }
  piece.moved.push({ cell: original, row: source!, index });
  original.classList.add('split-ln');
  return original;
}

function splitRow(piece: Piece, oldRow: Row | undefined, newRow: Row | undefined): Row {
  const row = document.createElement('tr');
  row.className = 'split';
  // Every cell is picked before any moves: moving a number cell renumbers the row's cells.
  const cells = [numberCell(oldRow, 0, piece), codeCell(oldRow, piece, oldRow === newRow), numberCell(newRow, 1, piece), codeCell(newRow, piece, false)];
  row.append(...cells);
  return row;
}

/**
 * The split view's steps for a hunk's rows, by their kinds (`kindAt(i)`, undefined past the last
 * row), in page order of their first line, and as they are read: a hunk is read and planned only as
 * far as the tables made side by side need. Rows that are not lines of the diff (review threads
 * under a line, say) keep their place after the line they follow, in both views: in a change, a
 * thread follows the side-by-side row that holds its line, not the whole change.
 */
function* planSplit(kindAt: (row: number) => string | undefined): Generator<Step> {
  let i = 0;
  for (let kind = kindAt(0); kind !== undefined; kind = kindAt(i)) {
    if (!LINE_KINDS.has(kind)) {
      yield { row: i++ };
    } else if (kind === 'n') {
      i++;
    } else if (kind === 'c') {
      yield { pair: [i, i] };
      i++;
    } else {
      // A change: its deleted lines (each with the threads under it), then its added ones, each
      // shown beside the deleted line of the same rank as soon as its own threads are read.
      const deleted: number[] = [];
      const threadsAfter = new Map<number, number[]>();
      const keep = (line: number, row: number) => {
        const list = threadsAfter.get(line);
        if (list) list.push(row);
        else threadsAfter.set(line, [row]);
      };
      let lastLine = -1;
      for (let k = kindAt(i); k === 'd' || k === 'n' || (k !== undefined && !LINE_KINDS.has(k)); k = kindAt(++i)) {
        if (k === 'd') deleted.push((lastLine = i));
        else if (k !== 'n') keep(lastLine, i);
      }
      let rank = 0;
      let added = -1;
      const pairSteps = function* (): Generator<Step> {
        const old = deleted[rank] ?? -1;
        yield { pair: [old, added] };
        for (const side of [old, added]) for (const row of (side >= 0 && threadsAfter.get(side)) || []) yield { row };
        rank++;
      };
      for (let k = kindAt(i); k === 'a' || k === 'n' || (k !== undefined && !LINE_KINDS.has(k)); k = kindAt(++i)) {
        if (k === 'a') {
          if (added >= 0) yield* pairSteps();
          added = i;
        } else if (k !== 'n') keep(added >= 0 ? added : lastLine, i);
      }
      if (added >= 0) yield* pairSteps();
      for (added = -1; rank < deleted.length; ) yield* pairSteps();
    }
  }
}

/** The tbody beyond a table's edge: the first of the next table of the file's diff, or the last of the one before. */
function bodyAcross(tbody: Tbody, direction: 1 | -1): Tbody | undefined {
  const part = tbody.closest('.diff-part');
  const table = (direction === 1 ? part?.nextElementSibling : part?.previousElementSibling)?.querySelector('table');
  const bodies = table?.tBodies;
  return bodies?.[direction === 1 ? 0 : bodies.length - 1];
}

/** The tbodies of the hunk `tbody` belongs to: its own and, for a long hunk, those in the tables after. */
function hunkBodies(tbody: Tbody): Tbody[] {
  let first = tbody;
  while (first.classList.contains('hunk-cont')) {
    const before = bodyAcross(first, -1);
    if (!before) break;
    first = before;
  }
  const bodies = [first];
  // A hunk goes on only across a table's edge, in the next table's first tbody.
  for (;;) {
    const last = bodies.at(-1)!;
    const next = last.nextElementSibling ? undefined : bodyAcross(last, 1);
    if (!next?.classList.contains('hunk-cont')) return bodies;
    bodies.push(next);
  }
}

/** Reads the rows of the hunk's next piece not yet read; false when every piece has been read. */
function readPiece(hunk: Hunk): boolean {
  const piece = hunk.pieces[hunk.piecesRead];
  if (!piece) return false;
  piece.start = hunk.rows.length;
  for (const row of piece.tbody.rows) {
    const kind = row.className;
    if (kind === 'hunk-header') continue;
    hunk.rows.push(row);
    hunk.kinds.push(kind);
    hunk.pieceOfRow.push(piece.index);
    if (!LINE_KINDS.has(kind) && row.previousElementSibling) follows.set(row, row.previousElementSibling);
  }
  piece.end = hunk.rows.length;
  hunk.piecesRead++;
  return true;
}

/**
 * Finds the hunk `tbody` belongs to, over every table it spans, for its split view (no row
 * changes, no row read yet): its pieces and a planner of its steps that reads rows as it goes.
 */
function planHunk(tbody: Tbody): void {
  const hunk: Hunk = { rows: [], kinds: [], pieces: [], piecesRead: 0, pieceOfRow: [], shownBy: [], planner: undefined!, planned: -1, lastOwner: -1 };
  hunkBodies(tbody).forEach((body, index) => {
    const piece: Piece = { hunk, index, tbody: body, start: -1, end: -1, steps: [], split: false, splitRows: [], moved: [], movedCode: [], carried: [] };
    hunk.pieces.push(piece);
    pieces.set(body, piece);
  });
  const kindAt = (row: number): string | undefined => {
    while (row >= hunk.kinds.length) if (!readPiece(hunk)) return undefined;
    return hunk.kinds[row];
  };
  hunk.planner = planSplit(kindAt);
}

/**
 * Gives each piece up to `through` its steps. A step goes where its first line is, so a long
 * change's added lines are shown beside its deleted ones, in the table of those; steps come in page
 * order of that line, so once one belongs further on, every piece before it has all of its own.
 */
function planThrough(hunk: Hunk, through: number): void {
  while (hunk.planned < through) {
    const step = hunk.pending ?? hunk.planner.next().value;
    hunk.pending = undefined;
    if (!step) {
      // Every row has been read: the pieces all have their steps.
      hunk.planned = hunk.pieces.length - 1;
      return;
    }
    const lead = 'row' in step ? -1 : step.pair[0] >= 0 ? step.pair[0] : step.pair[1];
    const owner = lead >= 0 ? hunk.pieceOfRow[lead]! : hunk.lastOwner >= 0 ? hunk.lastOwner : hunk.pieceOfRow[(step as { row: number }).row]!;
    if (owner > through) {
      hunk.pending = step;
      hunk.planned = owner - 1;
      return;
    }
    hunk.pieces[owner]!.steps.push(step);
    for (const row of 'row' in step ? [step.row] : step.pair) if (row >= 0) hunk.shownBy[row] = owner;
    hunk.lastOwner = owner;
  }
}

function pieceOf(tbody: Tbody): Piece {
  if (!pieces.has(tbody)) planHunk(tbody);
  return pieces.get(tbody)!;
}

/**
 * Shows a tbody side by side: its steps' split rows after its own rows, which are hidden (lines) or
 * moved along (threads). Rows of it shown by an earlier piece of its hunk (the added half of a
 * long change) are made there first.
 */
function splitPiece(piece: Piece): void {
  if (piece.split) return;
  piece.split = true;
  const { hunk } = piece;
  // Planned through this piece, its rows are read (a step of a later piece, or the end, was reached).
  planThrough(hunk, piece.index);
  for (let r = piece.start; r < piece.end; r++) {
    const owner = hunk.shownBy[r] ?? -1;
    if (owner >= 0 && owner !== piece.index) splitPiece(hunk.pieces[owner]!);
  }
  const table = piece.tbody.parentElement as HTMLTableElement;
  if (!table.classList.contains('is-split')) setColumns(table, 'split');
  // Cells are moved out of the tbody's rows while it is out of the page: a move inside the page
  // costs the browser bookkeeping per node (a third of the script time of a switch).
  const { tbody } = piece;
  const place = tbody.nextSibling;
  const focused = tbody.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
  table.removeChild(tbody);
  const flow: Row[] = [];
  for (const step of piece.steps) {
    if ('row' in step) {
      const row = hunk.rows[step.row]!;
      flow.push(row);
      piece.carried.push(row);
      continue;
    }
    const [oldLine, newLine] = step.pair;
    const row = splitRow(piece, hunk.rows[oldLine], hunk.rows[newLine]);
    flow.push(row);
    piece.splitRows.push(row);
    for (const line of oldLine === newLine ? [oldLine] : step.pair) {
      if (line < 0) continue;
      hunk.rows[line]!.hidden = true;
      // A "no newline" note is not a step: it is hidden with its line.
      if (hunk.kinds[line + 1] === 'n') hunk.rows[line + 1]!.hidden = true;
    }
  }
  tbody.append(fragmentOf(flow));
  table.insertBefore(tbody, place);
  focused?.focus({ preventScroll: true });
}

function fragmentOf(rows: readonly Row[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...rows);
  return fragment;
}

/** Puts every planned hunk back as the page wrote it. */
function unsplitAll(section: HTMLElement): void {
  const split = [...pieces.values()].filter((piece) => piece.split);
  for (const piece of split) {
    // Code cells first (each goes back last in its row), then the numbers before them.
    for (const { cell, row } of piece.movedCode) {
      cell.removeAttribute('class');
      cell.firstChild?.remove();
      row.append(cell);
    }
    for (const { cell, row, index } of piece.moved) {
      cell.classList.remove('split-ln');
      row.insertBefore(cell, row.cells[index] ?? null);
    }
    for (const row of piece.splitRows) row.remove();
  }
  // Rows of a piece may have been hidden by an earlier piece's split: every planned row is shown again.
  for (const hunk of new Set([...pieces.values()].map((piece) => piece.hunk))) for (const row of hunk.rows) if (row.hidden) row.hidden = false;
  // Threads go back after the row they followed, in page order (a thread may follow a thread).
  for (const piece of split) for (const row of piece.carried) follows.get(row)?.after(row);
  for (const table of section.querySelectorAll<HTMLTableElement>('table.diff-table.is-split')) setColumns(table, 'unified');
  pieces.clear();
  follows.clear();
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

/** Shows a table of the diff side by side (and the pieces of its hunks in tables before it, when they show its rows). */
function splitTable(table: HTMLTableElement): void {
  for (const tbody of table.tBodies) if (tbody.classList.contains('hunk')) splitPiece(pieceOf(tbody));
}

/** The tables of a file's diff (not the small ones inside review threads). */
function diffTables(file: Element): HTMLTableElement[] {
  return [...new Set([...file.querySelectorAll<Tbody>('tbody.hunk')].map((tbody) => tbody.parentElement as HTMLTableElement))];
}

/** What the browser lays out on its own: a long diff's table in its box under content-visibility, or the table. */
const boxOf = (table: HTMLTableElement): Element => table.closest('.diff-part') ?? table;

/** Makes each table side by side as it nears the window, while the split view is on. */
let nearWindow: IntersectionObserver | undefined;

function apply(section: HTMLElement, view: View): void {
  nearWindow?.disconnect();
  nearWindow = undefined;
  if (view === 'unified') {
    setView(section, view);
    unsplitAll(section);
    return;
  }
  // Every position is read before anything changes (the layout is still clean), and only of files in
  // the window and of their tables' boxes, which are laid out already: reading a position inside a
  // box the browser skipped would lay it out.
  const files = [...section.querySelectorAll<HTMLElement>('.diff-file')];
  const inView = (box: DOMRect) => box.bottom > 0 && box.top < innerHeight;
  const filesInView = new Set(files.filter((file) => inView(file.getBoundingClientRect())));
  const now: HTMLTableElement[] = [];
  /** What to watch: a table's box in a file in view, or a whole file (its boxes may not be laid out). */
  const later = new Map<Element, HTMLTableElement | HTMLElement>();
  for (const file of files) {
    if (!filesInView.has(file)) {
      if (file.querySelector('tbody.hunk')) later.set(file, file);
      continue;
    }
    for (const table of diffTables(file)) {
      const box = boxOf(table);
      if (inView(box.getBoundingClientRect())) now.push(table);
      else later.set(box, table);
    }
  }
  setView(section, view);
  // The table holding a permalinked line, so it can be scrolled to at once.
  const linked = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const linkedTable = linked && section.contains(linked) ? linked.closest('tbody.hunk')?.parentElement : null;
  if (linkedTable instanceof HTMLTableElement) splitTable(linkedTable);
  // What is in the window changes in this frame; the rest as it comes near, once this frame is
  // shown (watched from the next one: the tables just below would otherwise be made before it).
  now.forEach(splitTable);
  const watcher = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        watcher.unobserve(entry.target);
        const target = later.get(entry.target)!;
        if (target instanceof HTMLTableElement) {
          splitTable(target);
          continue;
        }
        // A file near the window: its tables near it now (one layout of this file), the others when they near it.
        const tables = diffTables(target).map((table) => ({ table, box: boxOf(table), top: boxOf(table).getBoundingClientRect().top }));
        for (const { table, box, top } of tables) {
          if (top < innerHeight + AHEAD_PX) splitTable(table);
          else {
            later.set(box, table);
            watcher.observe(box);
          }
        }
      }
    },
    { rootMargin: `${AHEAD_PX}px 0px` },
  );
  nearWindow = watcher;
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (nearWindow === watcher) for (const box of later.keys()) watcher.observe(box);
    }),
  );
}

function setView(section: HTMLElement, view: View): void {
  section.dataset.view = view;
  for (const button of section.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
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
function lineLinks(bodies: readonly Tbody[]): HTMLAnchorElement[] {
  return bodies.flatMap((tbody) => [...tbody.querySelectorAll<HTMLAnchorElement>(':scope > tr:not([hidden]) > td[id] > a')]);
}

/** ArrowDown / ArrowUp from a hunk's header link or one of its line numbers move along its lines. */
function onArrow(event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const from = event.target instanceof HTMLAnchorElement ? event.target : null;
  const tbody = from?.closest<Tbody>('tbody.hunk');
  if (!from || !tbody) return;
  const bodies = hunkBodies(tbody);
  const links = lineLinks(bodies);
  const at = links.indexOf(from);
  const next = at === -1 ? (event.key === 'ArrowDown' ? links[0] : undefined) : links[at + (event.key === 'ArrowDown' ? 1 : -1)];
  const header = bodies[0]!.querySelector<HTMLAnchorElement>(':scope > .hunk-header a');
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

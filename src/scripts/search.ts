/**
 * The search page: reads `?q=`, asks the Pagefind index the build wrote to `<base>/pagefind/`,
 * and lists the branches that matched, each with the steps and files where the words were found,
 * linked to their place on the branch page. Searches again as the reader types, keeping the
 * address in step so a search can be shared or reloaded. Pagefind's own script is loaded only
 * here, only when this page runs.
 */
import { excerptParts } from './search-excerpt.ts';
import { branchHits, excerptRepeatsTitle, type PagefindResult, type SearchPlace } from './search-places.ts';

/** The part of Pagefind's browser API this page uses. */
interface Pagefind {
  options(options: { baseUrl: string }): Promise<void>;
  mergeIndex(indexPath: string, options: { baseUrl: string }): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResult> }> } | null>;
}

/** Branches shown at once; more words narrow a longer list down. */
const SHOWN = 50;
/** Steps and files shown under a branch; the rest are counted. */
const PLACES_SHOWN = 5;
/** Typing pauses this long before a search starts. */
const TYPING_PAUSE_MS = 200;
const KIND_LABELS: Record<SearchPlace['kind'], string> = { step: 'Step', file: 'File', comment: 'Comment' };

const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
const box = document.getElementById('site-search') as HTMLInputElement;
const form = box.form!;
const status = document.getElementById('search-status')!;
const list = document.getElementById('search-result-list') as HTMLOListElement;
const empty = document.getElementById('search-empty')!;

let pagefind: Promise<Pagefind> | undefined;
/** Each search's number: an answer that arrives after a newer search started is dropped. */
let latest = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

function loadPagefind(): Promise<Pagefind> {
  // Built at run time from the page's own address, so the site works under any base path.
  const root = new URL(`${base}pagefind/`, location.href).href;
  pagefind ??= (async () => {
    // The index comes in shards of branches (scripts/search/build-index.ts): the first one's
    // script searches them all once the others are merged into it.
    const shards = (await (await fetch(`${root}shards.json`)).json()) as string[];
    const module = (await import(/* @vite-ignore */ `${root}${shards[0]}/pagefind.js`)) as Pagefind;
    // Records are stored without the base (scripts/schema/search.ts); Pagefind puts it in front.
    await module.options({ baseUrl: base });
    for (const shard of shards.slice(1)) await module.mergeIndex(`${root}${shard}/`, { baseUrl: base });
    return module;
  })();
  return pagefind;
}

function quoted(query: string): string {
  return `\u201c${query}\u201d`;
}

function resultItem(result: PagefindResult): HTMLLIElement {
  const { excerpt, places } = branchHits(result);
  const item = document.createElement('li');
  item.className = 'search-result';
  const meta = document.createElement('p');
  meta.className = 'search-result-meta';
  meta.textContent = `#${result.meta.branchId} ${result.meta.branch}`;
  const title = document.createElement('h2');
  title.className = 'search-result-title';
  title.append(link(result.url, result.meta.title));
  item.append(meta, title);
  if (excerpt) item.append(excerptParagraph(excerpt));
  if (places.length) {
    const list = document.createElement('ul');
    list.className = 'search-places';
    list.append(...places.slice(0, PLACES_SHOWN).map(placeItem));
    item.append(list);
  }
  const more = places.length - PLACES_SHOWN;
  if (more > 0) {
    const note = document.createElement('p');
    note.className = 'search-more';
    note.append(link(result.url, `and ${more} more ${more === 1 ? 'place' : 'places'} in this branch`));
    item.append(note);
  }
  return item;
}

function placeItem(place: SearchPlace): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'search-place';
  const kind = document.createElement('span');
  kind.className = 'search-kind';
  kind.dataset.kind = place.kind;
  kind.textContent = KIND_LABELS[place.kind];
  const heading = document.createElement('p');
  heading.className = 'search-place-title';
  heading.append(kind, ' ', link(place.url, place.title));
  item.append(heading);
  const text = excerptParts(place.excerpt)
    .map((part) => part.text)
    .join('');
  if (!excerptRepeatsTitle(text, place.title)) item.append(excerptParagraph(place.excerpt));
  return item;
}

function link(href: string, text: string): HTMLAnchorElement {
  return Object.assign(document.createElement('a'), { href, textContent: text });
}

/** Matched words marked; the excerpt's text only ever goes into text nodes, never parsed as HTML. */
function excerptParagraph(excerpt: string): HTMLParagraphElement {
  const paragraph = document.createElement('p');
  paragraph.className = 'search-result-excerpt';
  for (const part of excerptParts(excerpt)) {
    if (!part.marked) paragraph.append(part.text);
    else paragraph.append(Object.assign(document.createElement('mark'), { textContent: part.text }));
  }
  return paragraph;
}

function show(message: string | Array<string | Node>, results: PagefindResult[] = [], noMatch = false): void {
  status.replaceChildren(...(typeof message === 'string' ? [message] : message));
  list.replaceChildren(...results.map(resultItem));
  empty.hidden = !noMatch;
}

function keepInAddress(query: string): void {
  const url = new URL(location.href);
  if (query) url.searchParams.set('q', query);
  else url.searchParams.delete('q');
  history.replaceState(history.state, '', url);
}

async function search(raw: string): Promise<void> {
  const ticket = ++latest;
  const query = raw.trim();
  keepInAddress(query);
  if (!query) {
    show('Type a word to search branch names, titles, steps and file paths.');
    return;
  }
  try {
    const found = (await (await loadPagefind()).search(query))?.results ?? [];
    const results = await Promise.all(found.slice(0, SHOWN).map((result) => result.data()));
    if (ticket !== latest) return;
    if (!found.length) show(`No results for ${quoted(query)}.`, [], true);
    else if (found.length > SHOWN) show(`The first ${SHOWN} of ${found.length} results for ${quoted(query)}; more words narrow them down.`, results);
    else show(`${found.length} ${found.length === 1 ? 'result' : 'results'} for ${quoted(query)}`, results);
  } catch (error) {
    if (ticket !== latest) return;
    const feed = Object.assign(document.createElement('a'), { href: base, textContent: 'the feed' });
    show([`Search could not load its index (${error instanceof Error ? error.message : String(error)}). Every branch is listed on `, feed, '.']);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  void search(box.value);
});
box.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => void search(box.value), TYPING_PAUSE_MS);
});

// Fetched now, so the first search as the reader types does not wait for it.
loadPagefind().catch(() => {});
box.value = new URLSearchParams(location.search).get('q') ?? '';
if (box.value.trim()) status.textContent = 'Searching\u2026';
void search(box.value);

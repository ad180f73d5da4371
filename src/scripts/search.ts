/**
 * The search page: reads `?q=`, asks the Pagefind index the build wrote to `<base>/pagefind/`,
 * and lists what matched, each result linking to its branch, step or file. Searches again as the
 * reader types, keeping the address in step so a search can be shared or reloaded.
 * Pagefind's own script is loaded only here, only when this page runs.
 */
import type { SearchMeta } from '../../scripts/schema/search.ts';
import { excerptParts } from './search-excerpt.ts';

/** The part of Pagefind's browser API this page uses. */
interface Pagefind {
  options(options: { baseUrl: string }): Promise<void>;
  mergeIndex(indexPath: string, options: { baseUrl: string }): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResult> }> } | null>;
}

interface PagefindResult {
  /** The record's URL with the base in front. */
  url: string;
  excerpt: string;
  meta: SearchMeta;
}

/** Results shown at once; more words narrow a longer list down. */
const SHOWN = 50;
/** Typing pauses this long before a search starts. */
const TYPING_PAUSE_MS = 200;
const KIND_LABELS: Record<SearchMeta['kind'], string> = { branch: 'Branch', step: 'Step', file: 'File' };

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
  const item = document.createElement('li');
  item.className = 'search-result';
  const meta = document.createElement('p');
  meta.className = 'search-result-meta';
  const kind = document.createElement('span');
  kind.className = 'search-kind';
  kind.dataset.kind = result.meta.kind;
  kind.textContent = KIND_LABELS[result.meta.kind] ?? result.meta.kind;
  const branch = document.createElement('span');
  branch.textContent = `#${result.meta.branchId} ${result.meta.branch}`;
  meta.append(kind, ' ', branch);
  const title = document.createElement('h2');
  title.className = 'search-result-title';
  const link = document.createElement('a');
  link.href = result.url;
  link.textContent = result.meta.title;
  title.append(link);
  item.append(meta, title);
  const parts = excerptParts(result.excerpt);
  // A file's record holds little more than its path: an excerpt repeating the heading says nothing.
  if (parts.map((part) => part.text).join('') === result.meta.title) return item;
  const excerpt = document.createElement('p');
  excerpt.className = 'search-result-excerpt';
  for (const part of parts) {
    if (!part.marked) excerpt.append(part.text);
    else excerpt.append(Object.assign(document.createElement('mark'), { textContent: part.text }));
  }
  item.append(excerpt);
  return item;
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

/**
 * The dev server's script in every page it serves (never in a built site): reloads the page when
 * a rebuild changed what it shows, keeping the scroll position, and shows the archive's problems
 * over the last good page until they are fixed. It listens on Vite's HMR websocket, which Astro's
 * dev server already keeps open with each page.
 */
import { pageIsAffected, type PageChanges } from './changed-pages.ts';
import type { ProblemView } from './problem-view.ts';
import { DEV_EVENTS, DEV_STATE_PATH, type DevState } from './dev-protocol.ts';

const base = import.meta.env.BASE_URL;
const scrollKey = `review-archive-dev:scroll:${location.pathname}`;

function restoreScroll(): void {
  const saved = sessionStorage.getItem(scrollKey);
  if (saved === null) return;
  sessionStorage.removeItem(scrollKey);
  const top = Number(saved);
  window.scrollTo(0, top);
  // In the dev server styles arrive after the page has parsed, and a page too short so far cannot
  // scroll that far yet: go there again once everything has loaded.
  if (document.readyState !== 'complete') addEventListener('load', () => window.scrollY !== top && window.scrollTo(0, top), { once: true });
}

function reloadKeepingScroll(): void {
  sessionStorage.setItem(scrollKey, String(window.scrollY));
  location.reload();
}

const OVERLAY_STYLE = `
:host { all: initial; position: fixed; inset: 0; z-index: 2147483647; display: block; overflow: auto;
  background: rgb(0 0 0 / 0.55); font: 14px/1.45 system-ui, sans-serif; }
.panel { margin: 4vh auto; max-width: min(62rem, 94vw); background: #fff; color: #1f2328; border-radius: 8px;
  border-top: 6px solid #cf222e; box-shadow: 0 8px 32px rgb(0 0 0 / 0.4); padding: 1rem 1.25rem 1.25rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
p { margin: 0 0 1rem; color: #59636e; }
ol { margin: 0; padding: 0; list-style: none; }
li { margin: 0 0 1rem; }
.where { font-family: ui-monospace, monospace; font-weight: 600; word-break: break-all; }
.message { margin: 0.15rem 0 0.4rem; }
pre { margin: 0; padding: 0.5rem 0; background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; overflow-x: auto;
  font: 13px/1.5 ui-monospace, monospace; }
.line { display: block; padding: 0 0.75rem; white-space: pre; }
.line[data-marked] { background: #ffebe9; box-shadow: inset 3px 0 #cf222e; }
.number { display: inline-block; min-width: 3.5ch; margin-right: 1ch; text-align: right; color: #59636e; user-select: none; }
button { float: right; font: inherit; border: 1px solid #d1d9e0; background: #f6f8fa; color: inherit; border-radius: 6px; padding: 0.2rem 0.6rem; cursor: pointer; }
@media (prefers-color-scheme: dark) {
  .panel { background: #0d1117; color: #f0f6fc; border-top-color: #f85149; }
  p, .number { color: #9198a1; }
  pre, button { background: #151b23; border-color: #3d444d; }
  .line[data-marked] { background: #4b1113; box-shadow: inset 3px 0 #f85149; }
}`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Every text comes from the archive, so it goes in as text, never as HTML. */
function renderProblems(problems: ProblemView[]): HTMLElement {
  const panel = element('section', undefined, 'panel');
  panel.setAttribute('role', 'alertdialog');
  panel.setAttribute('aria-labelledby', 'review-archive-problems-title');
  const close = element('button', 'Hide');
  close.type = 'button';
  close.addEventListener('click', () => showProblems([]));
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const title = element('h2', `The archive has ${problems.length} ${noun}`);
  title.id = 'review-archive-problems-title';
  panel.append(close, title, element('p', 'The page underneath is the last good build. Fix the file and save: this goes away by itself.'));
  const list = element('ol');
  for (const problem of problems) {
    const item = element('li');
    const where = problem.line ? `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}` : problem.file;
    item.append(element('div', where, 'where'), element('div', problem.field ? `${problem.field}: ${problem.message}` : problem.message, 'message'));
    if (problem.excerpt.length) {
      const pre = element('pre');
      for (const line of problem.excerpt) {
        const row = element('span', undefined, 'line');
        if (line.marked) row.dataset.marked = '';
        row.append(element('span', String(line.number), 'number'), document.createTextNode(line.text || ' '));
        pre.append(row);
      }
      item.append(pre);
    }
    list.append(item);
  }
  panel.append(list);
  return panel;
}

let host: HTMLElement | undefined;

function showProblems(problems: ProblemView[]): void {
  host?.remove();
  host = undefined;
  if (!problems.length) return;
  host = element('review-archive-problems' as 'div');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = element('style', OVERLAY_STYLE);
  shadow.append(style, renderProblems(problems));
  document.body.append(host);
}

restoreScroll();
if (import.meta.hot) {
  import.meta.hot.on(DEV_EVENTS.problems, (state: DevState) => showProblems(state.problems));
  // Astro reloads every page itself when the collections change (and Vite when a template does).
  import.meta.hot.on('vite:beforeFullReload', () => sessionStorage.setItem(scrollKey, String(window.scrollY)));
  import.meta.hot.on(DEV_EVENTS.changed, (changes: PageChanges) => {
    const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname;
    if (pageIsAffected(path, changes)) reloadKeepingScroll();
  });
}
// A page opened (or reloaded) while the archive has problems shows them at once.
fetch(`${base}${DEV_STATE_PATH}`)
  .then((response) => response.json() as Promise<DevState>)
  .then((state) => showProblems(state.problems))
  .catch(() => {});

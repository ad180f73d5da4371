/**
 * Keyboard shortcuts, an extra for readers who use them: `/` focuses the search box (as on GitHub
 * and most documentation sites), `j` / `k` move to the next or previous tutorial step, `?` opens the
 * shortcut help as a dialog. The help lists only what works on the page, and stays hidden without JavaScript,
 * when none of it works. Nothing fires while the reader is typing or holds Ctrl, Alt or Meta (those
 * are other shortcuts); Shift is allowed, since some keyboard layouts need it for `/` and `?`.
 */

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select, [contenteditable]') !== null);
}

function focusSearch(): boolean {
  const box = document.getElementById('site-search');
  if (!(box instanceof HTMLInputElement)) return false;
  box.focus();
  box.select();
  return true;
}

/** The step to go to: the first one below the top of the window (`j`), or the last one above it (`k`). */
function stepToward(direction: 1 | -1): HTMLElement | undefined {
  const steps = [...document.querySelectorAll<HTMLElement>('.steps > .step')];
  const active = document.activeElement instanceof HTMLElement ? steps.indexOf(document.activeElement) : -1;
  if (active >= 0) return steps[active + direction];
  // Measured against a small margin, so the step just jumped to counts as "here".
  const tops = steps.map((step) => step.getBoundingClientRect().top);
  return direction === 1 ? steps.find((_, index) => tops[index]! > 8) : steps.findLast((_, index) => tops[index]! < -8);
}

/** The step a smooth scroll is on its way to, until that scroll ends or the reader scrolls. */
let scrollingTo: HTMLElement | undefined;

function goToStep(step: HTMLElement): void {
  // Focus makes a screen reader read the step's heading; the address is kept in step too.
  step.tabIndex = -1;
  step.focus({ preventScroll: true });
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  scrollingTo = smooth ? step : undefined;
  step.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
  history.replaceState(null, '', `#${step.id}`);
}

// A smooth scroll keeps the destination it started with, but evidence and diff files are laid out
// only as they near the window (content-visibility: auto), so what lies between can grow on the way
// and the scroll ends short of the step (w3c/csswg-drafts#9833; 3,000 px short when a block grew by
// that much). When it ends, land on the step at once; if it is there already, nothing moves.
document.addEventListener('scrollend', () => {
  const step = scrollingTo;
  scrollingTo = undefined;
  step?.scrollIntoView({ block: 'start' });
});
// A reader who scrolls on their own stays where they went.
for (const type of ['wheel', 'touchstart', 'pointerdown'] as const) {
  addEventListener(type, () => (scrollingTo = undefined), { passive: true });
}

const help = document.querySelector<HTMLDialogElement>('[data-keyboard-help]');
const openHelpButton = document.querySelector<HTMLButtonElement>('[data-keyboard-help-open]');
if (help) {
  for (const item of help.querySelectorAll<HTMLElement>('[data-shortcut-needs]')) {
    item.hidden = !document.querySelector(item.dataset.shortcutNeeds!);
  }
}
/** A modal dialog over the page where the reader is, so nothing scrolls; Escape closes it. */
function openHelp(): void {
  if (help && !help.open) help.showModal();
}
if (openHelpButton) {
  openHelpButton.hidden = false;
  openHelpButton.addEventListener('click', openHelp);
}
// The hint names a shortcut, so it is there only when the shortcut works.
const searchBox = document.getElementById('site-search');
if (searchBox instanceof HTMLInputElement && searchBox.placeholder === 'Search') searchBox.placeholder = 'Type / to search';

document.addEventListener('keydown', (event) => {
  // Any other key that scrolls (arrows, Page Down, space) is the reader taking over.
  if (event.key !== 'j' && event.key !== 'k') scrollingTo = undefined;
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
  if (event.key === '/') {
    if (focusSearch()) event.preventDefault();
  } else if (event.key === 'j' || event.key === 'k') {
    const step = stepToward(event.key === 'j' ? 1 : -1);
    if (!step) return;
    event.preventDefault();
    goToStep(step);
  } else if (event.key === '?' && help) {
    event.preventDefault();
    openHelp();
  }
});

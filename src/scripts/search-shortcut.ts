/**
 * The `/` key focuses the search box, as on GitHub and most documentation sites: on every page,
 * unless the reader is typing somewhere or holds Ctrl, Alt or Meta (those are other shortcuts).
 * Shift is allowed: some keyboard layouts need it to type `/`.
 */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select, [contenteditable]') !== null);
}

document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || isTyping(event.target)) return;
  const box = document.getElementById('site-search');
  if (!(box instanceof HTMLInputElement)) return;
  event.preventDefault();
  box.focus();
  box.select();
});

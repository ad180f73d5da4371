import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { indentedLines, trySample } from '../support/sample.ts';
import { openPage } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

/** Branches whose diff has code to highlight. */
const withDiff = sample.branches.filter((b) => b.diffFiles.length > 0);

it.each(withDiff.map((b) => [b.id, b] as const))('branch #%i colours code tokens, differently in light and dark', async (_id, branch) => {
  const context = await newContext(browser());
  try {
    const page = await openPage(context, branch.pagePath);
    // Token spans inside code: the diff tables and any code block of the page.
    const colours = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('pre span, code span, .diff-table span, td.code span'))
          .filter((el) => (el.textContent ?? '').trim() !== '')
          .slice(0, 400)
          .map((el) => getComputedStyle(el).color),
      );

    await page.emulateMedia({ colorScheme: 'light' });
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();

    expect(light.length, 'token spans in code').toBeGreaterThan(0);
    expect(new Set(light).size, 'distinct token colours in light mode').toBeGreaterThan(1);
    expect(new Set(dark).size, 'distinct token colours in dark mode').toBeGreaterThan(1);
    const changed = light.filter((colour, index) => colour !== dark[index]).length;
    expect(changed, `tokens whose colour changes between light and dark (of ${light.length})`).toBeGreaterThan(light.length / 2);
  } finally {
    await context.close();
  }
});

it.each(withDiff.filter((b) => indentedLines(b.patch).length > 0).map((b) => [b.id, b] as const))('branch #%i keeps the indentation of code lines', async (_id, branch) => {
  const context = await newContext(browser());
  try {
    const page = await openPage(context, branch.pagePath);
    // Files off screen are not laid out (content-visibility: auto), and innerText reads layout.
    await page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
    // innerText is what the reader sees: collapsed whitespace would show there.
    const missing = await page.evaluate((lines) => {
      // Collapsed parts (e.g. a large file behind "Show the diff") count once opened.
      for (const details of Array.from(document.querySelectorAll('details'))) details.open = true;
      const shown = document.body.innerText;
      return lines.filter((line) => !shown.includes(line));
    }, indentedLines(branch.patch));
    expect(missing, 'indented lines of diff.patch not shown with their indentation').toEqual([]);
  } finally {
    await context.close();
  }
});

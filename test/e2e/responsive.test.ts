import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { trySample } from '../support/sample.ts';
import { openPage } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();
const WIDTH = 375;

it.each(['', 'stats/', ...sample.branches.map((b) => b.pagePath)])(`/%s has no page-level horizontal scroll at ${WIDTH}px`, async (pagePath) => {
  const context = await newContext(browser(), { viewport: { width: WIDTH, height: 812 }, isMobile: false });
  try {
    const page = await openPage(context, pagePath);
    const { scrollWidth, culprits } = await page.evaluate((width) => {
      // For the failure message: the outermost elements that stick out past the viewport.
      const wide = Array.from(document.body.querySelectorAll('*')).filter((el) => el.getBoundingClientRect().right > width + 0.5);
      const outermost = wide.filter((el) => !wide.includes(el.parentElement as Element));
      const describe = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`;
      return { scrollWidth: document.documentElement.scrollWidth, culprits: outermost.slice(0, 5).map(describe) };
    }, WIDTH);
    expect(scrollWidth, `document width; elements sticking out: ${culprits.join(', ') || 'none found'}`).toBeLessThanOrEqual(WIDTH);
  } finally {
    await context.close();
  }
});

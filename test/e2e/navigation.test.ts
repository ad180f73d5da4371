import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { loadSample } from '../support/sample.ts';
import { openPage, pageUrl } from '../support/site.ts';

const browser = useBrowser();

it('goes from the feed to a branch page and back to the feed', async () => {
  const context = await newContext(browser());
  try {
    for (const branch of loadSample().branches) {
      const page = await openPage(context, '');
      await page.getByRole('link', { name: branch.name, exact: true }).first().click();
      await page.waitForURL(pageUrl(branch.pagePath), { timeout: 10_000 });
      await expect.poll(() => page.locator('h1').first().innerText()).toBe(branch.name);

      await page.getByRole('link', { name: 'Back to feed' }).click();
      await page.waitForURL(pageUrl(''), { timeout: 10_000 });
      expect(await page.getByRole('heading', { name: 'Open branches' }).count()).toBeGreaterThan(0);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

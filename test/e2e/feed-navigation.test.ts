import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { sampleContentDir } from '../support/build-site.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { trySample } from '../support/sample.ts';
import { openPage, pageUrl } from '../support/site.ts';

const { sample, error: sampleError } = trySample();
const browser = useBrowser();

let context: BrowserContext;
beforeAll(async () => {
  if (sampleError) throw new Error(sampleError);
  context = await newContext(browser());
});
afterAll(async () => {
  await context?.close();
});

const idsOn = (hrefs: string[]) => [...new Set(hrefs.map((href) => /\/branch\/(\d+)\/$/.exec(new URL(href).pathname)?.[1]).filter(Boolean).map(Number))];

describe('feed filters', () => {
  it('follows the "merged" filter to a page listing exactly the merged branches, marked as current', async () => {
    const page = await openPage(context, '');
    await page.getByRole('navigation', { name: 'Filter branches' }).getByRole('link', { name: /^merged \d+$/ }).click();
    await page.waitForURL(/\/state\/merged\/$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Merged branches');
    const listed = idsOn(await page.locator('main .branch-list a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href)));
    const merged = sample.branches.filter((b) => b.state === 'merged').map((b) => b.id);
    expect(listed.sort((a, b) => a - b)).toEqual(merged.sort((a, b) => a - b));
    expect(await page.locator('.feed-filters [aria-current="page"]').innerText()).toMatch(/^merged\s+\d+$/);
    await page.close();
  });

  it('counts each filter value as the archive holds it', async () => {
    const page = await openPage(context, '');
    const failed = sample.branches.filter((b) => b.ci === 'failed').length;
    expect(await page.locator('a[data-filter="ci-failed"]').innerText()).toBe(`failed ${failed}`);
    await page.close();
  });
});

describe('nightly runs', () => {
  const jobs = readdirSync(path.join(sampleContentDir, 'nightly')).map((file) => parseYaml(readFileSync(path.join(sampleContentDir, 'nightly', file), 'utf8')) as { name?: string; runs: Array<{ id: number; status: string }> });

  it('shows each nightly job with its latest run on the feed', async () => {
    const page = await openPage(context, '');
    const section = page.getByRole('region', { name: 'Nightly runs' });
    for (const job of jobs) {
      const latest = job.runs.at(-1)!;
      const card = section.locator('.nightly-job', { hasText: job.name! });
      expect((await card.locator('.ci-run-title').innerText()).replace(/\s+/g, ' ')).toMatch(new RegExp(`Run #${latest.id} ${latest.status}`));
    }
    await page.close();
  });
});

describe('moving between branches and steps', () => {
  const withSteps = sample.branches.find((b) => b.steps.length >= 3)!;

  it('links each branch page to the previous and next branch by id', async () => {
    const ids = sample.branches.map((b) => b.id).sort((a, b) => a - b);
    const middle = ids[1]!;
    const page = await openPage(context, `branch/${middle}/`);
    await page.getByRole('link', { name: /Next branch/ }).click();
    await page.waitForURL(new RegExp(`/branch/${ids[2]}/$`));
    await page.getByRole('link', { name: /Previous branch/ }).click();
    await page.waitForURL(new RegExp(`/branch/${middle}/$`));
    await page.close();
  });

  it('moves to the next and previous step with j and k, focusing the step', async () => {
    const page = await openPage(context, `branch/${withSteps.id}/`);
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-3');
    expect(new URL(page.url()).hash).toBe('#step-3');
    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-2');
    await page.waitForFunction(() => Math.abs(document.getElementById('step-2')!.getBoundingClientRect().top) < 80);
    await page.close();
  });

  // Evidence and diff files are laid out only as they near the window, so what lies between can grow
  // while a smooth scroll runs toward a step; the scroll keeps the destination it started with.
  const growStepOne = (page: Page) =>
    page.evaluate(() => {
      const grown = document.createElement('div');
      grown.style.height = '3000px';
      document.getElementById('step-1')!.append(grown);
    });
  const stepTwoTop = (page: Page) => page.evaluate(() => document.getElementById('step-2')!.getBoundingClientRect().top);

  it('lands j on the step when what lies between grows during the scroll', async () => {
    const page = await openPage(context, `branch/${withSteps.id}/`);
    await page.keyboard.press('j');
    await page.waitForFunction(() => Math.abs(document.getElementById('step-1')!.getBoundingClientRect().top) < 80);
    await page.keyboard.press('j');
    await growStepOne(page);
    await page.waitForFunction(() => Math.abs(document.getElementById('step-2')!.getBoundingClientRect().top) < 80);
    await page.close();
  });

  it('leaves a reader who scrolls during that scroll where they went', async () => {
    const page = await openPage(context, `branch/${withSteps.id}/`);
    await page.keyboard.press('j');
    await page.waitForFunction(() => Math.abs(document.getElementById('step-1')!.getBoundingClientRect().top) < 80);
    await page.mouse.move(200, 300);
    await page.keyboard.press('j');
    await growStepOne(page);
    await page.mouse.wheel(0, 100);
    // Wait until scrolling has stopped: two readings a quarter second apart agree.
    let top = await stepTwoTop(page);
    for (let previous = Number.NaN; top !== previous; ) {
      previous = top;
      await page.waitForTimeout(250);
      top = await stepTwoTop(page);
    }
    expect(top).toBeGreaterThan(1000);
    await page.close();
  });

  it('lists j and k in the keyboard help, which ? opens as a dialog in place and Escape closes; pages without steps leave them out', async () => {
    const page = await openPage(context, `branch/${withSteps.id}/`);
    const help = page.locator('dialog.keyboard-help');
    const scrolled = await page.evaluate(() => scrollY);
    await page.keyboard.press('?');
    expect(await help.evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(true);
    expect(await help.innerText()).toMatch(/j\s+k\s+Next or previous tutorial step/);
    // In place: the page does not jump to the footer; Escape closes it.
    expect(await page.evaluate(() => scrollY)).toBe(scrolled);
    await page.keyboard.press('Escape');
    expect(await help.evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(false);
    const feed = await openPage(context, '');
    await feed.keyboard.press('?');
    expect(await feed.locator('dialog.keyboard-help').innerText()).not.toMatch(/tutorial step/);
    await Promise.all([page.close(), feed.close()]);
  });

  it('keeps the help hidden when JavaScript is off, since no shortcut works then', async () => {
    const noScript = await newContext(browser(), { javaScriptEnabled: false });
    const page = await openPage(noScript, `branch/${withSteps.id}/`);
    expect(await page.locator('dialog.keyboard-help').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Keyboard shortcuts' }).isVisible()).toBe(false);
    await noScript.close();
  });
});

describe('feeds for readers and crawlers', () => {
  it('serves rss.xml as well-formed RSS 2.0 with one item per merged branch, newest first', async () => {
    const page = await context.newPage();
    const response = await page.goto(pageUrl('rss.xml'));
    const xml = await response!.text();
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror')!.textContent };
      return {
        version: doc.documentElement.getAttribute('version'),
        items: [...doc.querySelectorAll('item')].map((item) => ({ link: item.querySelector('link')?.textContent, pubDate: item.querySelector('pubDate')?.textContent })),
      };
    }, xml);
    expect(parsed).not.toHaveProperty('error');
    expect(parsed.version).toBe('2.0');
    const merged = sample.branches.filter((b) => b.state === 'merged').sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated));
    expect(parsed.items!.map((item) => item.link)).toEqual(merged.map((b) => `https://reviews.saltmarsh.example/branch/${b.id}/`));
    expect(parsed.items!.every((item) => !Number.isNaN(Date.parse(item.pubDate!)))).toBe(true);
    await page.close();
  });

  it('announces the feed and a canonical address in every page head', async () => {
    const page = await openPage(context, `branch/${sample.branches[0]!.id}/`);
    expect(await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href')).toBe('/rss.xml');
    expect(await page.locator('meta[property="og:url"]').getAttribute('content')).toBe(`https://reviews.saltmarsh.example/branch/${sample.branches[0]!.id}/`);
    await page.close();
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../support/build-site.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { checkLinks, formatBroken } from '../support/links.ts';
import { ONE_STEP_WORD, stepSaying, trySample } from '../support/sample.ts';
import { serveStatic, type StaticServer } from '../support/server.ts';
import { htmlFiles, sampleSite, sharedSetup, watchRequests } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

describe('the site served at /', () => {
  it('has only internal links and sources that resolve, fragments included', () => {
    const site = sampleSite();
    const result = checkLinks(site.dir, site.url);
    expect(result.pages, 'HTML pages').toBeGreaterThan(sample.branches.length);
    expect(result.links, 'internal links checked').toBeGreaterThan(0);
    expect(formatBroken(result.broken)).toEqual([]);
  });

  it('has a page for every branch of the sample', () => {
    const pages = htmlFiles(sampleSite().dir);
    for (const branch of sample.branches) expect(pages).toContain(`${branch.pagePath}index.html`);
  });
});

describe('the site built with --base /sub/dir/', () => {
  const BASE = '/sub/dir/';
  let tmp = '';
  let server: StaticServer | undefined;

  // Built once for this block; a failed build fails each test below with the build's output.
  const site = sharedSetup(async () => {
    sampleSite(); // no point building again when the sample does not build at all
    tmp = await mkdtemp(path.join(os.tmpdir(), 'review-archive-base-'));
    const dir = path.join(tmp, 'dist');
    await buildSite({ out: dir, base: BASE, cache: path.join(tmp, 'cache') });
    server = await serveStatic(dir, BASE);
    return { dir, url: server.url };
  });
  afterAll(async () => {
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('has only internal links and sources that resolve under /sub/dir/', async () => {
    const { dir, url } = await site();
    const result = checkLinks(dir, url);
    expect(result.links, 'internal links checked').toBeGreaterThan(0);
    expect(formatBroken(result.broken)).toEqual([]);
  });

  it('loads every page with its styles from /sub/dir/ and nothing from elsewhere', async () => {
    const { url } = await site();
    const context = await newContext(browser());
    try {
      const requests = await watchRequests(context);
      const visited: string[] = [];
      context.on('request', (request) => visited.push(new URL(request.url()).pathname));
      for (const pagePath of ['', 'search/', ...sample.branches.map((b) => b.pagePath)]) {
        const page = await context.newPage();
        const response = await page.goto(new URL(pagePath, url).href, { waitUntil: 'networkidle' });
        expect(response?.status(), `status of ${BASE}${pagePath}`).toBe(200);
        await page.close();
      }
      expect(requests.external, 'requests to other hosts').toEqual([]);
      expect(requests.failed, 'failed requests').toEqual([]);
      expect(visited.filter((p) => !p.startsWith(BASE)), 'requests outside the base path').toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('finds a step by a word of its explanation and opens it within /sub/dir/', async () => {
    const { url } = await site();
    const { branch, anchor } = stepSaying(ONE_STEP_WORD);
    const context = await newContext(browser());
    try {
      const requests = await watchRequests(context);
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole('searchbox').fill(ONE_STEP_WORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(new URL(`search/?q=${ONE_STEP_WORD}`, url).href, { timeout: 10_000 });
      const link = page.locator('.search-place a').first();
      await link.waitFor({ timeout: 15_000 });
      expect(await link.getAttribute('href')).toBe(`${BASE}${branch.pagePath}#${anchor}`);
      await link.click();
      await page.waitForURL(new URL(`${branch.pagePath}#${anchor}`, url).href, { timeout: 10_000 });
      expect(await page.locator(':target').getAttribute('id')).toBe(anchor);
      expect(requests.failed, 'failed requests').toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('navigates from the feed to a branch and back within /sub/dir/', async () => {
    const { url } = await site();
    const branch = sample.branches[0]!;
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole('link', { name: branch.name, exact: true }).first().click();
      await page.waitForURL(new URL(branch.pagePath, url).href, { timeout: 10_000 });
      await page.getByRole('link', { name: 'Back to feed' }).click();
      await page.waitForURL(url, { timeout: 10_000 });
    } finally {
      await context.close();
    }
  });
});

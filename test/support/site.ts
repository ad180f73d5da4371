import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, expect, inject } from 'vitest';

/**
 * The sample site built by the e2e global setup. Throws (failing the calling test) with the
 * build's output when the build failed.
 */
export function sampleSite(): { url: string; dir: string } {
  const error = inject('siteError');
  const url = inject('siteUrl');
  if (error || !url) throw new Error(`The sample site is not available, so this test cannot run.\n${error || 'The e2e global setup provided no siteUrl.'}`);
  return { url, dir: inject('siteDir') };
}

/** Absolute URL of a page of the sample site, e.g. `pageUrl('branch/7/')`. */
export function pageUrl(pagePath = ''): string {
  return new URL(pagePath, sampleSite().url).href;
}

/** Every HTML file of a built site, as paths relative to its root with `/` separators. */
export function htmlFiles(siteDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) found.push(path.relative(siteDir, full).split(path.sep).join('/'));
    }
  };
  walk(siteDir);
  return found.sort();
}

/** The URL path (below the site root) a built HTML file is served at: `branch/7/index.html` → `branch/7/`. */
export function servedPath(htmlFile: string): string {
  return htmlFile.endsWith('index.html') ? htmlFile.slice(0, -'index.html'.length) : htmlFile;
}

/** Opens a page in a new tab of `context` and checks the server answered 200. */
export async function openPage(context: BrowserContext, pagePath: string): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(pageUrl(pagePath), { waitUntil: 'load' });
  expect(response?.status(), `status of ${pagePath || '/'}`).toBe(200);
  return page;
}

/**
 * Clicks an element once it stays put in the window. Scrolling to it lays out what the browser had
 * skipped near the window (content-visibility: auto), which can move it a frame or two later, after
 * Playwright's own stability check (the diff's Split button on branch 105: from y 436 to 1,413 at
 * 1280×900), so a click aimed at once can land beside it.
 */
export async function clickWhenSteady(target: Locator): Promise<void> {
  for (let tries = 0; tries < 20; tries++) {
    await target.scrollIntoViewIfNeeded();
    const before = await target.boundingBox();
    await target.page().waitForTimeout(150);
    const after = await target.boundingBox();
    if (before && after && before.x === after.x && before.y === after.y) break;
  }
  await target.click();
}

export interface PageSection {
  /** The heading's text, whitespace collapsed. */
  heading: string;
  level: number;
  /** The heading's id, or the id of the nearest ancestor that has one. */
  id: string | null;
  /** Text from the heading up to the next heading of the same or a higher level (hidden text included). */
  text: string;
  links: Array<{ href: string; text: string }>;
}

export interface PageOutline {
  /** All text of the body in document order (hidden text included), whitespace collapsed. */
  text: string;
  /** One entry per h1–h6, in document order; a section includes its subsections. */
  sections: PageSection[];
}

/**
 * Reads the page as a reader does: text in document order, with block boundaries as spaces
 * (so `<dt>Target branch:</dt><dd>main</dd>` reads `Target branch: main`), grouped by headings.
 */
export async function readOutline(page: Page): Promise<PageOutline> {
  return page.evaluate(() => {
    type Section = { heading: string; level: number; id: string | null; text: string; links: Array<{ href: string; text: string }> };
    const sections: Section[] = [];
    const open: Section[] = [];
    let all = '';
    const add = (text: string) => {
      all += text;
      for (const section of open) section.text += text;
    };
    const visit = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        add(node.textContent ?? '');
        return;
      }
      if (!(node instanceof Element)) return;
      if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(node.tagName)) return;
      const heading = /^H([1-6])$/.exec(node.tagName);
      if (heading) {
        const level = Number(heading[1]);
        while (open.length && open[open.length - 1]!.level >= level) open.pop();
        const section: Section = {
          heading: (node.textContent ?? '').replace(/\s+/g, ' ').trim(),
          level,
          id: node.closest('[id]')?.id ?? null,
          text: '',
          links: [],
        };
        sections.push(section);
        open.push(section);
      }
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        const link = { href: node.getAttribute('href')!, text: (node.textContent ?? '').replace(/\s+/g, ' ').trim() };
        for (const section of open) section.links.push(link);
      }
      const display = getComputedStyle(node).display;
      const block = !display.startsWith('inline') && display !== 'contents';
      if (block || node.tagName === 'BR') add(' ');
      for (const child of Array.from(node.childNodes)) visit(child);
      if (block) add(' ');
    };
    visit(document.body);
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    return { text: squash(all), sections: sections.map((s) => ({ ...s, text: squash(s.text) })) };
  });
}

/** The section under the first heading whose text matches; fails the test when there is none. */
export function section(outline: PageOutline, heading: string | RegExp): PageSection {
  const matches = (text: string) => (typeof heading === 'string' ? text.toLowerCase() === heading.toLowerCase() : heading.test(text));
  const found = outline.sections.find((s) => matches(s.heading));
  expect(found, `a heading ${String(heading)} among: ${outline.sections.map((s) => JSON.stringify(s.heading)).join(', ')}`).toBeDefined();
  return found!;
}

/** Escapes text for use inside a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Expected {
  /** What the reader should see, for the failure message. */
  label: string;
  pattern: RegExp;
}

/** Shorthand for an expected piece of text: a plain string is matched literally. */
export function seen(label: string, pattern: string | RegExp = label): Expected {
  return { label, pattern: typeof pattern === 'string' ? new RegExp(literal(pattern)) : pattern };
}

/**
 * Checks that each expected piece of text occurs after the previous one. Reports every piece
 * that is missing or out of place at once, with a window of the text where it was looked for.
 */
export function expectInOrder(text: string, expected: Expected[]): void {
  const problems: string[] = [];
  let from = 0;
  for (const item of expected) {
    const global = new RegExp(item.pattern.source, item.pattern.flags.includes('g') ? item.pattern.flags : `${item.pattern.flags}g`);
    global.lastIndex = from;
    const match = global.exec(text);
    if (match) {
      from = match.index + match[0].length;
      continue;
    }
    const anywhere = new RegExp(item.pattern.source, item.pattern.flags.replace('g', '')).exec(text);
    problems.push(
      anywhere
        ? `${item.label} (${item.pattern}) is out of order: it occurs at ${anywhere.index}, before the previous item (which ends at ${from})`
        : `${item.label} (${item.pattern}) is missing; text after the previous item: ${JSON.stringify(text.slice(from, from + 160))}…`,
    );
  }
  expect(problems, 'expected text in this order').toEqual([]);
}

/** Collects requests that leave 127.0.0.1 (and blocks them) and same-origin responses that fail. */
export async function watchRequests(context: BrowserContext): Promise<{ external: string[]; failed: string[] }> {
  const external: string[] = [];
  const failed: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') {
      await route.continue();
    } else {
      external.push(route.request().url());
      await route.abort('blockedbyclient');
    }
  });
  context.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  context.on('requestfailed', (request) => {
    if (new URL(request.url()).hostname === '127.0.0.1') failed.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`);
  });
  return { external, failed };
}

/**
 * Runs `setup` once in `beforeAll` and hands its result to each test that awaits the getter.
 * A failure fails every test that needs the result, with the setup's error, instead of failing
 * the hook (which would report those tests as skipped, not failed).
 */
export function sharedSetup<T>(setup: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  beforeAll(() => {
    result = setup();
    result.catch(() => {}); // reported by the tests that await it
  });
  return () => {
    if (!result) throw new Error('sharedSetup: the setup has not started; call it at the top of a describe block.');
    return result;
  };
}

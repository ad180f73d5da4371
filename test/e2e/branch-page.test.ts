import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { diffFiles, durationPattern, proseExcerpt, sampleBranch, trySample, type SampleBranch } from '../support/sample.ts';
import { expectInOrder, htmlFiles, literal, openPage, pageUrl, readOutline, sampleSite, section, seen, servedPath, sharedSetup, type Expected } from '../support/site.ts';

const { sample, error: sampleError } = trySample();
const browser = useBrowser();

let context: BrowserContext | undefined;
const browserContext = sharedSetup(async () => {
  if (sampleError) throw new Error(sampleError);
  return (context = await newContext(browser()));
});
afterAll(async () => {
  await context?.close();
});

/** The sha as a page may show it: the first 7 characters at least. */
const shaPattern = (sha: string) => `${literal(sha.slice(0, 7))}[0-9a-f]*`;

function chips(branch: SampleBranch): Expected[] {
  return [
    seen(`the chip "branch: ${branch.state}"`, new RegExp(`branch:\\s*${branch.state}\\b`)),
    seen(`the chip "tutorial: ${branch.tutorial}"`, new RegExp(`tutorial:\\s*${branch.tutorial}\\b`)),
    seen(`the chip "ci: ${branch.ci}"`, new RegExp(`ci:\\s*${branch.ci}\\b`)),
  ];
}

/** What the top of every branch page shows, in order, down to the chips. */
function header(branch: SampleBranch): Expected[] {
  return [
    seen('the "Back to feed" link', 'Back to feed'),
    seen(`"${sample.repo} branch #${branch.id}"`, new RegExp(`${literal(sample.repo)}\\s+branch\\s+#${branch.id}\\b`)),
    seen('the branch name', branch.name),
    seen('the title', branch.shownTitle),
    seen(`"Target branch: ${branch.target}"`, new RegExp(`Target branch:\\s*${literal(branch.target)}`)),
    ...(branch.merge_commit ? [seen(`"Merge Commit: ${branch.merge_commit.slice(0, 7)}…"`, new RegExp(`Merge Commit:\\s*${shaPattern(branch.merge_commit)}`))] : []),
    ...chips(branch),
  ];
}

/** The CI panel of a branch with runs, in order: the latest run's facts, then one chip per lane. */
function ciPanel(branch: SampleBranch): Expected[] {
  const run = branch.runs.at(-1)!;
  const count = (status: string) => run.lanes.filter((lane) => lane.status === status).length;
  const expected: Expected[] = [
    seen('the heading "Continuous Integration"', 'Continuous Integration'),
    seen(`the latest run "#${run.id} ${run.status}"`, new RegExp(`#${run.id}\\s*${run.status}\\b`)),
  ];
  if (run.lanes.length) {
    expected.push(seen(`"${count('success')} passed ${count('failed')} failed"`, new RegExp(`\\b${count('success')} passed\\W*${count('failed')} failed\\b`)));
  }
  expected.push(
    seen(`the run's head ${run.head.slice(0, 7)}`, new RegExp(shaPattern(run.head))),
    seen(`the lane count "${run.lanes.length} lane(s)"`, new RegExp(`\\b${run.lanes.length} lanes?\\b`)),
  );
  if (run.queued_secs !== undefined && run.ran_secs !== undefined) {
    // The spec's "queued 42s · ran 2m 11s"; the dot may be drawn by CSS, so it is optional here.
    expected.push(seen('"queued … · ran …"', new RegExp(`queued ${durationPattern(run.queued_secs)}\\s*·?\\s*ran ${durationPattern(run.ran_secs)}`)));
  }
  expected.push(...run.lanes.map((lane) => seen(`the lane chip "${lane.name}"`, new RegExp(`${literal(lane.name)}\\b`))));
  return expected;
}

const merged = sample.branches.filter((b) => b.state === 'merged' && b.tutorial === 'ready' && b.steps.length > 0 && b.runs.length > 0);
const withCi = sample.branches.filter((b) => b.runs.length > 0);
const withSteps = sample.branches.filter((b) => b.steps.length > 0);

describe('a merged branch with a ready tutorial and CI', () => {
  it('exists in the sample', () => {
    sampleBranch('merged branch with a ready tutorial, steps and CI runs', (b) => merged.includes(b));
  });

  it.each(merged.map((b) => [b.id, b] as const))('branch #%i shows every part of the page in order', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const outline = await readOutline(page);

    expect(await page.locator('h1').allInnerTexts()).toEqual([branch.name]);

    const steps = branch.steps.flatMap((step, index) => [
      seen(`step ${index + 1}'s title`, step.title),
      seen(`step ${index + 1}'s "Intent"`, /Intent/),
      ...step.files.map((file) => seen(`step ${index + 1}'s affected file ${file}`, file)),
      ...(step.evidence.length ? [seen(`step ${index + 1}'s "Evidence"`, /Evidence/)] : []),
      ...(proseExcerpt(step.body) ? [seen(`step ${index + 1}'s explanation`, proseExcerpt(step.body)!)] : []),
    ]);

    expectInOrder(outline.text, [
      ...header(branch),
      ...ciPanel(branch),
      seen('the heading "Summary"', 'Summary'),
      ...(proseExcerpt(branch.summary) ? [seen('the summary', proseExcerpt(branch.summary)!)] : []),
      seen('the heading "Tutorial Steps"', 'Tutorial Steps'),
      ...steps,
      seen('the heading "Diff"', /\bDiff\b/),
      ...branch.diffFiles.map((file) => seen(`the diff of ${file}`, file)),
    ]);

    // The section headings themselves, in the same order.
    const headings = outline.sections.map((s) => s.heading);
    const order = ['Continuous Integration', 'Summary', 'Tutorial Steps', 'Diff'].map((h) => headings.findIndex((text) => text.toLowerCase().startsWith(h.toLowerCase())));
    expect(order, `section headings in ${JSON.stringify(headings)}`).not.toContain(-1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('every branch page', () => {
  it.each(sample.branches.map((b) => [b.id, b.state, b] as const))('branch #%i (%s) shows its header in order, with "Merge Commit" only when merged', async (_id, _state, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const outline = await readOutline(page);
    expect(await page.locator('h1').allInnerTexts()).toEqual([branch.name]);
    expectInOrder(outline.text, header(branch));
    if (branch.state !== 'merged') expect(outline.text).not.toMatch(/Merge Commit/i);
  });
});

describe('an open branch', () => {
  it('exists in the sample and has no "Merge Commit"', async () => {
    const branch = sampleBranch('open branch', (b) => b.state === 'open');
    const page = await openPage(await browserContext(), branch.pagePath);
    expect((await readOutline(page)).text).not.toMatch(/Merge Commit/i);
  });
});

describe('the CI panel', () => {
  it.each(withCi.map((b) => [b.id, b] as const))('of branch #%i shows the latest run in order', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const ci = section(await readOutline(page), /^Continuous Integration/i);
    expectInOrder(ci.text, ciPanel(branch));
  });

  it.each(withCi.map((b) => [b.id, b] as const))('of branch #%i shows when the latest run was queued and keeps earlier runs in a details element', async (_id, branch) => {
    const run = branch.runs.at(-1)!;
    const page = await openPage(await browserContext(), branch.pagePath);
    const ciText = section(await readOutline(page), /^Continuous Integration/i).text;

    const queued = new Date(run.queued_at);
    const utc = queued.toISOString().slice(0, 10);
    const hasTimeElement = await page.evaluate(
      (instant) => Array.from(document.querySelectorAll('time[datetime]')).some((t) => Date.parse(t.getAttribute('datetime')!) === instant),
      queued.getTime(),
    );
    expect(hasTimeElement || ciText.includes(utc), `the queued time of run #${run.id} (${run.queued_at}) as a <time datetime> or as ${utc}`).toBe(true);

    const earlier = branch.runs.slice(0, -1);
    const detailsTexts = await page.locator('details').allTextContents();
    for (const old of earlier) {
      expect(detailsTexts.some((text) => new RegExp(`#${old.id}\\b`).test(text)), `earlier run #${old.id} inside a <details>`).toBe(true);
    }
  });
});

describe('the tutorial steps', () => {
  it.each(withSteps.map((b) => [b.id, b] as const))('of branch #%i are numbered and each has an anchor', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const problems = await page.evaluate(
      (titles) => {
        const found: string[] = [];
        const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'));
        titles.forEach((title, index) => {
          const number = index + 1;
          const heading = headings.find((h) => (h.textContent ?? '').includes(title));
          if (!heading) return void found.push(`step ${number}: no heading holds ${JSON.stringify(title)}`);
          const anchored = heading.closest('[id]');
          // The number sits in the heading or before the title within the step (e.g. a marker element).
          const scopeText = (anchored ?? heading).textContent ?? '';
          const beforeTitle = scopeText.slice(0, scopeText.indexOf(title));
          const numbered = new RegExp(`(^|\\D)${number}(\\D|$)`);
          if (!numbered.test(heading.textContent ?? '') && !numbered.test(beforeTitle)) found.push(`step ${number}: the number ${number} is not shown with ${JSON.stringify(title)}`);
          if (!anchored) return void found.push(`step ${number}: neither its heading nor an ancestor has an id`);
          const selfLink = Array.from(document.querySelectorAll('a[href]')).some((a) => a.getAttribute('href') === `#${anchored.id}`);
          if (!selfLink) found.push(`step ${number}: no link to its anchor #${anchored.id}`);
        });
        return found;
      },
      branch.steps.map((s) => s.title),
    );
    expect(problems).toEqual([]);
  });
});

/** Extensions whose code Shiki colours; a hunk in one of these has tokens of several colours. */
const HIGHLIGHTED = /\.(rs|go|py|ts|tsx|js|mjs|css|html|json|ya?ml|toml|sh|sql)$/;

describe('the Diff section', () => {
  it.each(sample.branches.map((b) => [b.id, b] as const))('of branch #%i shows every file with its hunks, highlighted', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const files = diffFiles(branch.patch);
    const found = await page.evaluate((paths) => {
      const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'));
      const diffIndex = headings.findIndex((h) => /^\s*Diff\b/i.test(h.textContent ?? ''));
      if (diffIndex < 0) return null;
      const diffLevel = Number(headings[diffIndex]!.tagName[1]);
      // Headings inside the Diff section, up to the next heading of its level or higher.
      const inside: Element[] = [];
      for (const h of headings.slice(diffIndex + 1)) {
        if (Number(h.tagName[1]) <= diffLevel) break;
        inside.push(h);
      }
      return paths.map((path) => {
        const index = inside.findIndex((h) => (h.textContent ?? '').includes(path));
        if (index < 0) return { path, heading: false, text: '', colours: 0 };
        const start = inside[index]!;
        const end = inside[index + 1] ?? headings[diffIndex + 1 + inside.length] ?? null;
        const range = document.createRange();
        range.setStartBefore(start);
        if (end) range.setEndBefore(end);
        else range.setEndAfter(document.body.lastChild!);
        const spans = Array.from(document.querySelectorAll('td span, pre span, code span')).filter(
          (el) => range.intersectsNode(el) && (el.textContent ?? '').trim() !== '',
        );
        return { path, heading: true, text: range.toString(), colours: new Set(spans.map((el) => getComputedStyle(el).color)).size };
      });
    }, files.map((f) => f.path));

    expect(found, 'a "Diff" heading').not.toBeNull();
    const problems: string[] = [];
    for (const [index, file] of files.entries()) {
      const shown = found![index]!;
      if (!shown.heading) {
        problems.push(`${file.path}: no heading in the Diff section names it`);
        continue;
      }
      for (const hunk of file.hunks) if (!shown.text.includes(hunk)) problems.push(`${file.path}: the hunk ${hunk} is not shown`);
      if (file.hunks.length && !file.binary && HIGHLIGHTED.test(file.path) && shown.colours < 2) {
        problems.push(`${file.path}: its code is not highlighted (${shown.colours} token colour(s))`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('a branch without a tutorial or without CI', () => {
  /** What the line under the header says of a branch without steps, by tutorial status. */
  const NO_STEPS: Record<string, string> = { none: 'no tutorial', pending: 'tutorial being written', failed: 'tutorial generation failed' };

  const tutorialCases = sample.branches.filter((b) => b.tutorial !== 'ready');
  const noCiCases = sample.branches.filter((b) => b.runs.length === 0);

  it('covers every tutorial status and a branch without CI in the sample', () => {
    const statuses = new Set(sample.branches.map((b) => b.tutorial));
    expect([...statuses].sort()).toEqual(['failed', 'none', 'pending', 'ready']);
    expect(noCiCases.length).toBeGreaterThan(0);
  });

  it.each(tutorialCases.map((b) => [b.tutorial, b.id, b] as const))('tutorial %s (branch #%i) is said in one line under the header, not an empty section', async (status, _id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    expect((await page.locator('.empty-sections').innerText()).toLowerCase()).toContain(NO_STEPS[status]);
    expect(await page.getByRole('heading', { name: /^Tutorial Steps/i }).count()).toBe(0);
    expect(await page.locator('ol:not(:has(li)), ul:not(:has(li))').count(), 'empty lists on the page').toBe(0);
  });

  it.each(noCiCases.map((b) => [b.id, b] as const))('no CI (branch #%i) is said in that line, with no empty CI box', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    expect(await page.locator('.empty-sections').innerText()).toMatch(/^No CI runs/);
    expect(await page.getByRole('heading', { name: /^Continuous Integration/i }).count()).toBe(0);
  });
});

/** Text and attributes outside code that say `undefined` or `NaN`: a value the page failed to fill in. */
async function undefinedOrNaN(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad = /\bundefined\b|\bNaN\b/;
    const hits: string[] = [];
    // Code in diffs and examples may well say `undefined`; everything around it may not.
    const isCode = (el: Element | null) => !!el?.closest('pre, code, .diff-table, script, style');
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (bad.test(node.textContent ?? '') && !isCode(node.parentElement)) hits.push(`text: ${JSON.stringify(node.textContent!.trim().slice(0, 120))}`);
    }
    for (const el of Array.from(document.querySelectorAll('*'))) {
      if (el.closest('pre, code, .diff-table') && el.tagName !== 'PRE') continue;
      for (const attr of Array.from(el.attributes)) {
        if (bad.test(attr.value)) hits.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 120)}">`);
      }
    }
    return hits;
  });
}

describe('every page', () => {
  it.each(['', ...sample.branches.map((b) => b.pagePath)])('never shows "undefined" or "NaN" (/%s)', async (pagePath) => {
    const page = await openPage(await browserContext(), pagePath);
    expect(await undefinedOrNaN(page)).toEqual([]);
  });

  it('never shows "undefined" or "NaN" on the other pages of the site (404, …)', async () => {
    const known = new Set(['index.html', ...sample.branches.map((b) => `${b.pagePath}index.html`)]);
    const others = htmlFiles(sampleSite().dir).filter((file) => !known.has(file));
    const context = await browserContext();
    for (const file of others) {
      const page = await context.newPage();
      await page.goto(pageUrl(servedPath(file)));
      expect(await undefinedOrNaN(page), file).toEqual([]);
      await page.close();
    }
  });
});

describe('links inside a tutorial', () => {
  it.each(withSteps.map((b) => [b.id, b] as const))('affected-file and evidence links of branch #%i point to ids on the page', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const problems = await page.evaluate((files) => {
      const found: string[] = [];
      const heading = Array.from(document.querySelectorAll('h2, h3')).find((h) => /^\s*Tutorial Steps/i.test(h.textContent ?? ''));
      const diffHeading = Array.from(document.querySelectorAll('h2, h3')).find((h) => /^\s*Diff\b/i.test(h.textContent ?? ''));
      if (!heading) return ['no "Tutorial Steps" heading'];
      // Links between the "Tutorial Steps" heading and the "Diff" heading.
      const links = Array.from(document.querySelectorAll('a[href*="#"]')).filter(
        (a) =>
          heading.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING &&
          (!diffHeading || a.compareDocumentPosition(diffHeading) & Node.DOCUMENT_POSITION_FOLLOWING),
      ) as HTMLAnchorElement[];
      const here = location.href.split('#')[0];
      for (const a of links) {
        if (a.href.split('#')[0] !== here) continue;
        const id = decodeURIComponent(a.hash.slice(1));
        if (!id) continue;
        const target = document.getElementById(id);
        if (!target) found.push(`${a.getAttribute('href')} (${JSON.stringify((a.textContent ?? '').trim())}) points to no id`);
      }
      for (const file of files) {
        const link = links.find((a) => (a.textContent ?? '').includes(file) && a.hash.length > 1);
        if (!link) {
          found.push(`no link from the affected file ${file} into the diff`);
          continue;
        }
        const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (target && !(target.textContent ?? '').includes(file)) found.push(`the link for ${file} points to #${target.id}, which does not show ${file}`);
      }
      return found;
    }, [...new Set(branch.steps.flatMap((s) => s.files))]);
    expect(problems).toEqual([]);
  });

  it.each(withSteps.map((b) => [b.id, b] as const))('evidence of branch #%i is shown as highlighted code and links into the diff', async (_id, branch) => {
    const page = await openPage(await browserContext(), branch.pagePath);
    const stepsWithEvidence = branch.steps.filter((s) => s.evidence.length > 0);
    if (!stepsWithEvidence.length) return;
    const result = await page.evaluate(() => {
      const heading = Array.from(document.querySelectorAll('h2, h3')).find((h) => /^\s*Tutorial Steps/i.test(h.textContent ?? ''));
      const diffHeading = Array.from(document.querySelectorAll('h2, h3')).find((h) => /^\s*Diff\b/i.test(h.textContent ?? ''));
      const between = (el: Element) =>
        !!heading && !!(heading.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) && (!diffHeading || !!(el.compareDocumentPosition(diffHeading) & Node.DOCUMENT_POSITION_FOLLOWING));
      // Token spans inside code, however the colours are attached (inline styles or classes).
      const tokens = Array.from(document.querySelectorAll('pre span, code span, .diff-table span, td.code span'))
        .filter((el) => (el.textContent ?? '').trim() !== '')
        .filter(between);
      const here = location.href.split('#')[0];
      const intoDiff = Array.from(document.querySelectorAll('a[href*="#"]'))
        .filter(between)
        .filter((a) => (a as HTMLAnchorElement).href.split('#')[0] === here)
        .map((a) => document.getElementById(decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))))
        .filter((target) => target && diffHeading && diffHeading.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { tokens: tokens.length, colours: new Set(tokens.map((el) => getComputedStyle(el).color)).size, intoDiff: intoDiff.length };
    });
    expect(result.tokens, 'token spans in code in the tutorial (evidence)').toBeGreaterThan(0);
    expect(result.colours, 'distinct token colours in the tutorial (evidence)').toBeGreaterThan(1);
    expect(result.intoDiff, 'links from the tutorial to ids in the Diff section').toBeGreaterThan(0);
  });
});

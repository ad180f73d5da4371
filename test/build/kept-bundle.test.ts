import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { treeDigest } from '../support/run-build.ts';
import { buildIn, freshCheckout, projectRoot } from '../support/checkout.ts';
import { sealJson, unsealJson } from '../../scripts/build/sealed-json.ts';

/**
 * A build whose templates, pipeline and dependencies are the last build's renders its changed pages
 * with the server bundle Astro made last time (scripts/build/astro-bundle.ts) instead of having Vite
 * bundle src/ again. What it must never do is show stale data or stale templates: every build here
 * is compared, file by file, with a fresh build of the same archive with an empty cache.
 */
describe("a build with Astro's server bundle kept in the cache", () => {
  let work: string;
  let checkout: string;
  let content: string;
  let cache: string;

  /** A build in the test's own checkout, and what it did (the summary it writes for `npm run bench`). */
  async function build(out: string, cacheDir = cache) {
    const statsFile = path.join(work, 'stats.json');
    await rm(statsFile, { force: true });
    const run = await buildIn(checkout, ['--content', content, '--out', path.join(work, out), '--cache', cacheDir], { REVIEW_ARCHIVE_STATS: statsFile });
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(statsFile, 'utf8')) as { pages: string; astroBundle?: string; notes: string[] };
    // Nothing on stderr but the build's notes.
    expect(run.stderr).toBe(summary.notes.map((note) => `review-archive: note: ${note}\n`).join(''));
    return { ...run, summary };
  }

  /** The site a build with an empty cache makes of the archive and templates as they are now. */
  async function freshDigest(name: string) {
    const fresh = await build(name, path.join(work, `${name}-cache`));
    expect(fresh.summary).toMatchObject({ pages: 'all', astroBundle: 'made' });
    return treeDigest(path.join(work, name));
  }

  beforeAll(async () => {
    work = await tempDir('ra-kept-bundle-');
    // Its own checkout: one test edits a template.
    checkout = await freshCheckout(work);
    content = path.join(work, 'content');
    cache = path.join(work, 'cache');
    await cp(path.join(projectRoot, 'test/fixtures/archives/unusual'), content, { recursive: true });
    await cp(path.join(projectRoot, 'test/fixtures/archives/good/branches'), path.join(content, 'branches'), { recursive: true });
    const first = await build('dist');
    expect(first.summary).toMatchObject({ pages: 'all', astroBundle: 'made' });
  }, 600_000);

  it('renders an edited step with the kept bundle, and the page shows its new text', async () => {
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nA sentence only the kept bundle renders.\n');
    const run = await build('dist');
    expect(run.summary).toMatchObject({ pages: 'changed', astroBundle: 'reused' });
    expect(await readFile(path.join(work, 'dist/branch/7/index.html'), 'utf8')).toContain('A sentence only the kept bundle renders.');
    expect(await treeDigest(path.join(work, 'dist'))).toEqual(await freshDigest('fresh-after-step'));
  }, 600_000);

  it('uses it for a new --out too (a CI job that restores only the cache), with the same site as a fresh build', async () => {
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md'), '\nWritten before the next CI run.\n');
    const run = await build('ci-dist');
    expect(run.summary).toMatchObject({ pages: 'changed', astroBundle: 'reused' });
    expect(await readFile(path.join(work, 'ci-dist/branch/7/index.html'), 'utf8')).toContain('Written before the next CI run.');
    expect(await treeDigest(path.join(work, 'ci-dist'))).toEqual(await freshDigest('fresh-after-ci-edit'));
  }, 600_000);

  it('bundles again when the collections change (a branch retitled): the bundle bakes them in', async () => {
    const branchFile = path.join(content, 'branches/7-greet-in-french/branch.md');
    await writeFile(branchFile, (await readFile(branchFile, 'utf8')).replace('title: Greet people in French too', 'title: Greet people in French and Breton'));
    const run = await build('ci-dist');
    expect(run.summary.astroBundle).toBe('made');
    expect(await readFile(path.join(work, 'ci-dist/index.html'), 'utf8')).toContain('Greet people in French and Breton');
    expect(await treeDigest(path.join(work, 'ci-dist'))).toEqual(await freshDigest('fresh-after-retitle'));
    // And the bundle made then is the one the next small edit uses.
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nAfter the retitling.\n');
    expect((await build('ci-dist')).summary.astroBundle).toBe('reused');
  }, 600_000);

  it('bundles again, with a note, when a kept file was changed since, and never renders with it', async () => {
    const chunk = path.join(cache, 'astro/bundle/client/favicon.svg');
    await writeFile(chunk, '<svg xmlns="http://www.w3.org/2000/svg"><text>edited by hand</text></svg>');
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nAfter the cache was tampered with.\n');
    const run = await build('ci-dist');
    expect(run.summary.astroBundle).toBe('made');
    expect(run.summary.notes).toEqual([
      "the cache's astro/bundle/client/favicon.svg was damaged (its bytes no longer match the hash recorded for it); the site's templates were bundled again",
    ]);
    expect(await readFile(path.join(work, 'ci-dist/favicon.svg'), 'utf8')).not.toContain('edited by hand');
    expect(await treeDigest(path.join(work, 'ci-dist'))).toEqual(await freshDigest('fresh-after-tamper'));
  }, 600_000);

  it('bundles again, with a note, when a kept bundle passes its checks but cannot render this site', async () => {
    // What an Astro that moved its build internals, or a bundle made for other routes, looks like:
    // a sealed, intact bundle.json that generateWithBundle refuses (here, a page this site lacks).
    const meta = path.join(cache, 'astro/bundle/bundle.json');
    const unsealed = unsealJson(await readFile(meta, 'utf8'));
    if (unsealed.kind !== 'ok') throw new Error('the kept bundle.json should be intact here');
    const facts = JSON.parse(unsealed.json) as { styles: Record<string, unknown> };
    facts.styles['src/pages/no-such-page.astro'] = [];
    await writeFile(meta, sealJson(JSON.stringify(facts)));
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nAfter the bundle stopped fitting.\n');
    const run = await build('ci-dist');
    expect(run.summary.astroBundle).toBe('made');
    expect(run.summary.notes).toHaveLength(1);
    expect(run.summary.notes[0]).toMatch(/^the kept server bundle could not be used \(The kept server bundle \(.+\) was made for other pages than this build's\.\); the site's templates were bundled again$/);
    expect(await readFile(path.join(work, 'ci-dist/branch/7/index.html'), 'utf8')).toContain('After the bundle stopped fitting.');
    expect(await treeDigest(path.join(work, 'ci-dist'))).toEqual(await freshDigest('fresh-after-misfit'));
    // The bundle made then fits, and the next small edit uses it.
    await appendFile(path.join(content, 'branches/7-greet-in-french/steps/02-document-area.md'), '\nAnd once more.\n');
    expect((await build('ci-dist')).summary.astroBundle).toBe('reused');
  }, 600_000);

  it('makes a full build, templates bundled again, when a template changed, and the pages show the change', async () => {
    const layout = path.join(checkout, 'src/layouts/Base.astro');
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('<span>Built with review-archive</span>', '<span>Built with review-archive, template edited</span>'));
    const run = await build('ci-dist');
    expect(run.summary).toMatchObject({ pages: 'all', astroBundle: 'made' });
    expect(await readFile(path.join(work, 'ci-dist/branch/8/index.html'), 'utf8')).toContain('Built with review-archive, template edited');
    expect(await treeDigest(path.join(work, 'ci-dist'))).toEqual(await freshDigest('fresh-after-template'));
  }, 600_000);
});

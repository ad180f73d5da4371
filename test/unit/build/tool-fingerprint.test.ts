import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { toolFingerprint } from '../../../scripts/build/build-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

/**
 * Any change to what shapes the site makes the next build a full one (the fingerprint changes);
 * a change to a tool that never runs in a build must not, or every edit to it costs a cold build.
 */
describe('the build fingerprint of the project', () => {
  let root: string;
  const put = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };

  beforeEach(async () => {
    root = await tempDir('fingerprint-');
    for (const file of ['scripts/build/build.ts', 'scripts/render/markdown.ts', 'scripts/import/pika/map.ts', 'scripts/export/export.ts', 'scripts/ingest/ingest.ts', 'scripts/bench/bench.ts', 'src/pages/index.astro', 'astro.config.mjs', 'package-lock.json']) await put(file, `// ${file}\n`);
  });

  it('stays the same when only an importer, the exporter, ingest or the bench changed', async () => {
    const before = await toolFingerprint(root);
    for (const file of ['scripts/import/pika/map.ts', 'scripts/export/export.ts', 'scripts/ingest/ingest.ts', 'scripts/bench/bench.ts']) await put(file, '// edited\n');
    expect(await toolFingerprint(root)).toBe(before);
  });

  it('changes when the pipeline or the site templates changed', async () => {
    const before = await toolFingerprint(root);
    await put('scripts/render/markdown.ts', '// edited\n');
    const afterPipeline = await toolFingerprint(root);
    expect(afterPipeline).not.toBe(before);
    await put('src/pages/index.astro', '<p>edited</p>\n');
    expect(await toolFingerprint(root)).not.toBe(afterPipeline);
  });
});

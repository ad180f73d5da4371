/**
 * `npm run schemas`: writes public/schemas/*.schema.json from the zod schemas (see json-schemas.ts),
 * and removes schema files no entry makes any more. `--check` writes nothing and exits 1 when a
 * file is missing or differs.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_DIR, jsonSchemaFiles } from './json-schemas.ts';

const directory = path.join(fileURLToPath(new URL('../..', import.meta.url)), JSON_SCHEMA_DIR);
const check = process.argv.includes('--check');
const wanted = jsonSchemaFiles();
const present = await readdir(directory).catch(() => [] as string[]);
const stale: string[] = [];
for (const [name, text] of wanted) {
  if ((await readFile(path.join(directory, name), 'utf8').catch(() => undefined)) !== text) stale.push(name);
}
const extra = present.filter((name) => name.endsWith('.schema.json') && !wanted.has(name));
if (check) {
  if (stale.length || extra.length) {
    console.error(`review-archive: ${JSON_SCHEMA_DIR} is out of date (${[...stale, ...extra].join(', ')}); run npm run schemas.`);
    process.exitCode = 1;
  }
} else {
  await mkdir(directory, { recursive: true });
  for (const name of stale) await writeFile(path.join(directory, name), wanted.get(name)!);
  for (const name of extra) await rm(path.join(directory, name));
  console.log(`review-archive: ${JSON_SCHEMA_DIR}: ${wanted.size} schemas, ${stale.length + extra.length} changed.`);
}

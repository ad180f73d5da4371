import { glob, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { archiveFileSchemas, JSON_SCHEMA_DIR, jsonSchemaFiles } from '../../../scripts/schema/json-schemas.ts';

const root = path.resolve(import.meta.dirname, '../../..');
// ajv-formats is CommonJS with a default export; under Node's ESM loader it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function compile(name: string, text: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(text));
}

/** The YAML an editor checks against the schema: the whole file, or a Markdown file's front matter. */
function yamlOf(text: string, kind: 'yaml' | 'front matter'): unknown {
  if (kind === 'yaml') return parse(text);
  const match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(text);
  if (!match) throw new Error('no front matter');
  return parse(match[1]!);
}

describe('published JSON Schemas', () => {
  it(`are what npm run schemas makes of the zod schemas (run it when this fails)`, async () => {
    for (const [name, text] of jsonSchemaFiles()) {
      expect(await readFile(path.join(root, JSON_SCHEMA_DIR, name), 'utf8').catch(() => `${name} is missing`), name).toBe(text);
    }
    const published = [];
    for await (const file of glob('*.schema.json', { cwd: path.join(root, JSON_SCHEMA_DIR) })) published.push(file);
    expect(published.sort()).toEqual([...jsonSchemaFiles().keys()].sort());
  });

  it('accept every YAML file and front matter of the sample archive', async () => {
    for (const entry of archiveFileSchemas) {
      const validate = compile(entry.name, jsonSchemaFiles([entry]).get(`${entry.name}.schema.json`)!);
      const files = [];
      for await (const file of glob(entry.files, { cwd: path.join(root, 'content') })) files.push(file);
      expect(files.length, `sample files for ${entry.files}`).toBeGreaterThan(0);
      for (const file of files) {
        const valid = validate(yamlOf(await readFile(path.join(root, 'content', file), 'utf8'), entry.kind));
        expect(valid ? [] : validate.errors, file).toEqual([]);
      }
    }
  });

  it('reject what the build rejects, at the field an editor marks', () => {
    const schemas = jsonSchemaFiles();
    const branch = compile('branch', schemas.get('branch.schema.json')!);
    const good = { id: 7, name: 'fix-typo', title: 'Fix a typo', state: 'merged', target: 'main', merge_commit: '3f6c2a9', head: '8e1d0c9', base: '1a2b3c4', author: 'Sam', updated: '2026-11-03T10:00:00Z' };
    expect(branch(good)).toBe(true);
    expect(branch({ ...good, state: 'shipped' })).toBe(false);
    expect(branch.errors?.map((error) => error.instancePath)).toEqual(['/state']);
    expect(branch({ ...good, updated: '3 November' })).toBe(false);
    expect(branch.errors?.map((error) => error.instancePath)).toContain('/updated');
    expect(branch({ ...good, reviewer: 'Kim' })).toBe(false);
    expect(branch.errors?.[0]?.params).toEqual({ additionalProperty: 'reviewer' });

    const step = compile('step', schemas.get('step.schema.json')!);
    expect(step({ title: 'T', intent: 'I', evidence: [{ file: 'a.ts', hunk: '@@ -1,2 +1,3 @@' }, { file: 'a.ts', lines: '4-9' }] })).toBe(true);
    expect(step({ title: 'T', intent: 'I', evidence: [{ file: 'a.ts', hunk: '-1,2 +1,3' }] })).toBe(false);
    expect(step({ title: 'T' })).toBe(false);
    expect(step.errors?.[0]?.params).toEqual({ missingProperty: 'intent' });
  });
});

/**
 * The JSON Schemas editors use to complete and check the archive's YAML (VS Code's YAML extension,
 * any yaml-language-server client). They are generated from the zod schemas the build validates
 * with, so an editor and the build can never disagree about a field; `npm run schemas` writes them
 * to public/schemas/, and test/unit/schema/json-schemas.test.ts fails when they are out of date.
 *
 * Adding a YAML file to the format is one entry in `archiveFileSchemas`.
 */
import { z } from 'zod';
import { archiveConfigSchema } from './archive.ts';
import { branchFrontMatterSchema } from './branch.ts';
import { authorsFileSchema } from './authors.ts';
import { ciFileSchema, nightlyFileSchema } from './ci.ts';
import { discussionFileSchema } from './discussion.ts';
import { stepFrontMatterSchema } from './step.ts';

export interface ArchiveFileSchema {
  /** The file's name under public/schemas/: `<name>.schema.json`. */
  name: string;
  /** Which files of an archive it describes, as a glob relative to the archive (for editor bindings). */
  files: string;
  /** Whether it describes a YAML file or the front matter of a Markdown file. */
  kind: 'yaml' | 'front matter';
  title: string;
  schema: z.ZodType;
}

export const archiveFileSchemas: ArchiveFileSchema[] = [
  { name: 'archive', files: 'archive.yaml', kind: 'yaml', title: 'review-archive: archive.yaml', schema: archiveConfigSchema },
  { name: 'branch', files: 'branches/*/branch.md', kind: 'front matter', title: 'review-archive: branch.md front matter', schema: branchFrontMatterSchema },
  { name: 'step', files: 'branches/*/steps/*.md', kind: 'front matter', title: 'review-archive: tutorial step front matter', schema: stepFrontMatterSchema },
  { name: 'ci', files: 'branches/*/ci.yaml', kind: 'yaml', title: 'review-archive: ci.yaml', schema: ciFileSchema },
  { name: 'nightly', files: 'nightly/*.yaml', kind: 'yaml', title: 'review-archive: nightly/<job>.yaml', schema: nightlyFileSchema },
  { name: 'discussion', files: 'branches/*/discussion.yaml', kind: 'yaml', title: 'review-archive: discussion.yaml', schema: discussionFileSchema },
  { name: 'authors', files: 'authors.yaml', kind: 'yaml', title: 'review-archive: authors.yaml', schema: authorsFileSchema },
];

/** Where the generated files live in the project, and are served from in the site (`<base>schemas/`). */
export const JSON_SCHEMA_DIR = 'public/schemas';

/** The formats of JSON Schema draft-07 (section 7.3), the ones an editor checks. */
const JSON_SCHEMA_FORMATS = new Set(['date-time', 'date', 'time', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'iri', 'iri-reference', 'uri-template', 'json-pointer', 'relative-json-pointer', 'regex']);

/**
 * One schema as JSON Schema draft-07, the draft yaml-language-server supports best. `io: 'input'`
 * describes what a person writes: fields with a default (`tutorial`, `files`, `evidence`) are
 * optional. Refinements (a merged branch needs `merge_commit`) have no JSON Schema form and stay
 * the build's to check.
 */
export function toJsonSchema(entry: ArchiveFileSchema): Record<string, unknown> {
  const generated = z.toJSONSchema(entry.schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    // zod names its string checks as formats (`includes` for `{sha}` in a URL template); JSON
    // Schema knows only its own, and the pattern beside it already says the same.
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === 'string' && !JSON_SCHEMA_FORMATS.has(jsonSchema.format)) delete jsonSchema.format;
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${entry.name}.schema.json`,
    title: entry.title,
    description: `${entry.kind === 'yaml' ? 'The file' : 'The front matter of'} ${entry.files} in a review-archive archive (see content/README.md). Generated from scripts/schema/ by npm run schemas; do not edit.`,
    ...rest,
  };
}

/** The text of every published file, by file name: stable key order and a final newline, so regenerating changes nothing. */
export function jsonSchemaFiles(entries = archiveFileSchemas): Map<string, string> {
  return new Map(entries.map((entry) => [`${entry.name}.schema.json`, `${JSON.stringify(toJsonSchema(entry), null, 2)}\n`]));
}

import type { z } from 'zod';
import { formatPath } from '../../archive/validate.ts';
import type { Problem } from '../../build/report.ts';
import { readFileSync } from 'node:fs';
import { lineAndColumn, locate, parseJsonValues, readListItems, type JsonFile, type ListItem } from './json-pages.ts';

/** Reading and checking the files of a GitHub or GitLab export: every problem names its file, line and field. */

/** An item checked against its schema, with the file it came from (for later problems). */
export interface Checked<T> {
  value: T;
  /** A problem about this item or a field inside it, at its line. */
  problemAt(path: readonly PropertyKey[], message: string): Problem;
}

/**
 * Checks every item of a list against `schema`. Items that fail are left out and reported, with
 * the line of the field at fault.
 */
export function checkItems<S extends z.ZodType>(source: JsonFile, items: readonly ListItem[], schema: S): { items: Array<Checked<z.output<S>>>; problems: Problem[] } {
  const checked: Array<Checked<z.output<S>>> = [];
  const problems: Problem[] = [];
  for (const item of items) {
    const problemAt = (path: readonly PropertyKey[], message: string): Problem => {
      const full = [...item.origin.path, ...path];
      return { file: source.file, line: lineAndColumn(source.text, locate(source.text, item.origin.start, full)).line, field: formatPath(full) || undefined, message };
    };
    const result = schema.safeParse(item.value);
    if (result.success) {
      checked.push({ value: result.data, problemAt });
      continue;
    }
    for (const issue of result.error.issues) problems.push(problemAt(issue.path, describeIssue(issue)));
  }
  return { items: checked, problems };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
  return issue.message;
}

/**
 * An export holds thousands of small files: read synchronously, they cost a fraction of the CPU
 * that fs/promises spends handing each one to libuv's threads and back.
 */
function readTextIfExistsSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A list file of the export: undefined when it is not there (every file but the main list is optional). */
export async function readListFile<S extends z.ZodType>(
  file: string,
  schema: S,
  wrapperKey?: string,
): Promise<{ items?: Array<Checked<z.output<S>>>; problems: Problem[] }> {
  const text = readTextIfExistsSync(file);
  if (text === undefined) return { problems: [] };
  return readListText({ file, text }, schema, wrapperKey);
}

export function readListText<S extends z.ZodType>(source: JsonFile, schema: S, wrapperKey?: string): { items?: Array<Checked<z.output<S>>>; problems: Problem[] } {
  const read = readListItems(source, wrapperKey);
  if (read.problems.length) return { problems: read.problems };
  return checkItems(source, read.items, schema);
}

/** A file holding one JSON object (github.json, a GraphQL answer); several concatenated ones are pages. */
export async function readObjectPages<S extends z.ZodType>(file: string, schema: S): Promise<{ pages?: Array<Checked<z.output<S>>>; problems: Problem[] }> {
  const text = readTextIfExistsSync(file);
  if (text === undefined) return { problems: [] };
  const source = { file, text };
  const parsed = parseJsonValues(source);
  if (parsed.problems.length) return { problems: parsed.problems };
  // A slurped GraphQL answer is an array of pages.
  const items: ListItem[] = parsed.values.flatMap(({ value, start }) =>
    Array.isArray(value) ? value.map((page, index) => ({ value: page, origin: { start, path: [index] } })) : [{ value, origin: { start, path: [] } }],
  );
  const checked = checkItems(source, items, schema);
  return { pages: checked.items, problems: checked.problems };
}

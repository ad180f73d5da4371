import type { z } from 'zod';
import type { Problem } from '../build/report.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * Validates YAML data against a schema and turns every zod issue into a Problem that names
 * the file, the field and its line, in plain words. Every user-facing parse goes through here.
 */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
  file: string,
): { data?: z.output<S>; problems: Problem[] } {
  const result = schema.safeParse(source.value ?? {});
  if (result.success) return { data: result.data, problems: [] };
  const problems = result.error.issues.flatMap((issue) => {
    // Unknown keys: report each at its own line, which is where the reader must look.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file,
        line: source.lineOf([...issue.path, key]),
        field: formatPath([...issue.path, key]),
        message: 'is not a known field (check its spelling, see content/README.md)',
      }));
    }
    return [{ file, line: source.lineOf(issue.path), field: formatPath(issue.path) || undefined, message: describeIssue(issue, valueAt(source.value, issue.path)) }];
  });
  return { problems };
}

/** `runs[0].lanes[2].status` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${article(issue.expected)}, not ${describeValue(value)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}, not ${describeValue(value)}`;
    case 'invalid_union':
      return `is not valid: ${describeValue(value)} (${unionHint(issue)})`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return issue.message.startsWith('Too small') ? `must have at least ${String(issue.minimum)} item(s)` : issue.message;
      return `must be at least ${String(issue.minimum)}, not ${describeValue(value)}`;
    case 'invalid_format':
      return `${issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : issue.message}, not ${describeValue(value)}`;
    default:
      return issue.message;
  }
}

function unionHint(issue: z.core.$ZodIssueInvalidUnion): string {
  const firstMessages = issue.errors.map((branch) => branch.find((inner) => inner.code !== 'invalid_type' && inner.code !== 'unrecognized_keys')?.message).filter(Boolean);
  return firstMessages[0] ?? 'see content/README.md for the accepted forms';
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

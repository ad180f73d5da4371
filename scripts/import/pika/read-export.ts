import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { validateYaml } from '../../archive/validate.ts';
import { parseYamlSource, type YamlSource } from '../../archive/yaml-source.ts';
import type { Problem } from '../../build/report.ts';
import { listNames, readTextIfExists } from '../../ingest/files.ts';
import { pikaBranchSchema, pikaCiSchema, pikaTutorialSchema, type PikaBranch, type PikaCi, type PikaTutorial } from './pika-schema.ts';

/** Where one export's files are; only branch.json is required. */
export interface ExportPaths {
  branch: string;
  tutorial?: string;
  ci?: string;
  diff?: string;
}

/** A file of the export, with the line of any field, for messages. */
export interface SourceRef {
  file: string;
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

export interface PikaExport {
  paths: ExportPaths;
  branch: PikaBranch;
  tutorial?: PikaTutorial;
  ci?: PikaCi;
  sources: { branch: SourceRef; tutorial?: SourceRef; ci?: SourceRef };
  /** The diff from --diff or the export's diff.patch; undefined when it must come from --repo. */
  diffText?: string;
}

/**
 * The exports in `dir`: the folder itself when it holds a branch.json, otherwise every
 * sub-folder that does (`<dir>/<any>/branch.json`, with tutorial.json, ci.json, diff.patch beside it).
 */
export async function findExports(dir: string): Promise<{ exports: ExportPaths[]; problems: Problem[] }> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return { exports: [], problems: [{ file: dir, message: 'is not a folder: pass a folder holding branch.json, or folders that do' }] };
  const single = await exportIn(dir);
  if (single) return { exports: [single], problems: [] };
  const exports: ExportPaths[] = [];
  for (const name of await listNames(dir)) {
    const found = await exportIn(path.join(dir, name));
    if (found) exports.push(found);
  }
  if (exports.length === 0) return { exports, problems: [{ file: dir, message: 'holds no export: expected branch.json in it or in its sub-folders' }] };
  return { exports, problems: [] };
}

async function exportIn(dir: string): Promise<ExportPaths | undefined> {
  const file = (name: string) => path.join(dir, name);
  const exists = async (name: string) => (await stat(file(name)).catch(() => undefined))?.isFile() ?? false;
  if (!(await exists('branch.json'))) return undefined;
  const [tutorial, ci, diff] = await Promise.all([exists('tutorial.json'), exists('ci.json'), exists('diff.patch')]);
  return { branch: file('branch.json'), tutorial: tutorial ? file('tutorial.json') : undefined, ci: ci ? file('ci.json') : undefined, diff: diff ? file('diff.patch') : undefined };
}

/** Reads and validates an export's files; every problem names its file, field and line. */
export async function readExport(paths: ExportPaths): Promise<{ export?: PikaExport; problems: Problem[] }> {
  const [branch, tutorial, ci, diffText] = await Promise.all([
    readJsonFile(paths.branch, pikaBranchSchema),
    paths.tutorial === undefined ? undefined : readJsonFile(paths.tutorial, pikaTutorialSchema),
    paths.ci === undefined ? undefined : readJsonFile(paths.ci, pikaCiSchema),
    paths.diff === undefined ? undefined : readTextIfExists(paths.diff),
  ]);
  const problems = [...branch.problems, ...(tutorial?.problems ?? []), ...(ci?.problems ?? [])];
  if (paths.diff !== undefined && diffText === undefined) problems.push({ file: paths.diff, message: 'does not exist' });
  if (problems.length || !branch.data || (tutorial && !tutorial.data) || (ci && !ci.data)) return { problems };
  return {
    export: {
      paths,
      branch: branch.data,
      tutorial: tutorial?.data,
      ci: ci?.data,
      sources: { branch: branch.source, tutorial: tutorial?.source, ci: ci?.source },
      diffText,
    },
    problems,
  };
}

/** Parses a JSON file and validates it against `schema`. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<{ data?: z.output<S>; source: SourceRef; problems: Problem[] }> {
  const noLines: SourceRef = { file, lineOf: () => undefined };
  const text = await readTextIfExists(file);
  if (text === undefined) return { source: noLines, problems: [{ file, message: 'does not exist' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { source: noLines, problems: [{ file, line: jsonErrorLine(text, error), message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  // JSON is YAML, and reading it as YAML gives every field its line; if the YAML reading
  // disagrees (tabs, say), the JSON value is checked without lines.
  const yaml = parseYamlSource(text, 1);
  const source: YamlSource = yaml.errors.length ? { value, errors: [], lineOf: () => undefined } : yaml;
  const { data, problems } = validateYaml(schema, source, file);
  return { data, source: { file, lineOf: source.lineOf }, problems };
}

/** Node reports a JSON syntax error by character position; readers want the line. */
function jsonErrorLine(text: string, error: unknown): number | undefined {
  const position = /position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return undefined;
  return text.slice(0, Number(position)).split('\n').length;
}

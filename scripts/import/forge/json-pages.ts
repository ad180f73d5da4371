import type { Problem } from '../../build/report.ts';

/**
 * Reading what `gh api` and `glab api` save. A list endpoint comes in one of three forms:
 * - `--paginate`: pages printed one after another, `[...][...]` (not one JSON value);
 * - `--paginate --slurp`: one array holding the pages, `[[...],[...]]`;
 * - a wrapper object per page, `{"total_count": 2, "check_runs": [...]}` (check runs, jobs),
 *   itself concatenated or slurped.
 * Every item keeps where it came from, so a problem can name its line and column.
 */

/** One item of a list, and where it is in its file. */
export interface ListItem {
  value: unknown;
  /** Its place inside the file: the top-level value it belongs to and the path inside that value. */
  origin: ItemOrigin;
}

export interface ItemOrigin {
  /** Character offset where the top-level value (a page) starts. */
  start: number;
  /** The path from that value to the item: `[3]`, `[1, 'check_runs', 0]`. */
  path: PropertyKey[];
}

/** A file's text with a way to turn an origin (and a path inside the item) into a line. */
export interface JsonFile {
  file: string;
  text: string;
}

/**
 * Splits text into its top-level JSON values, by scanning strings and brackets (no parsing).
 * @returns each value's start and end offsets; `trailing` is the offset of anything that is not
 *   a value (text after the last value, or a stray closing bracket), for the message
 */
export function splitTopLevel(text: string): { spans: Array<[number, number]>; trailing?: number } {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        inString = false;
        if (depth === 0) {
          spans.push([start, i + 1]);
          start = -1;
        }
      }
      continue;
    }
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      if (depth === 0 && start >= 0) {
        spans.push([start, i]);
        start = -1;
      }
      continue;
    }
    if (depth === 0 && start < 0) start = i;
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) depth++;
    else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth < 0) return { spans, trailing: i };
      if (depth === 0) {
        spans.push([start, i + 1]);
        start = -1;
      }
    } else if (depth === 0 && (c === 44 /* , */ || c === 58) /* : */) return { spans, trailing: i };
  }
  if (start >= 0) spans.push([start, text.length]);
  return { spans };
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses every top-level value of a file; a syntax error names its line and column. */
export function parseJsonValues(source: JsonFile): { values: Array<{ value: unknown; start: number }>; problems: Problem[] } {
  const { text, file } = source;
  const fail = (offset: number, message: string) => {
    const { line, column } = lineAndColumn(text, offset);
    return { values: [], problems: [{ file, line, message: `is not valid JSON at line ${line}, column ${column}: ${message}` }] };
  };
  if (!text.trim()) return { values: [], problems: [{ file, message: 'is empty: expected the JSON the API returned' }] };
  const { spans, trailing } = splitTopLevel(text);
  if (trailing !== undefined) return fail(trailing, `unexpected "${text[trailing]}"`);
  const values: Array<{ value: unknown; start: number }> = [];
  for (const [start, end] of spans) {
    try {
      values.push({ value: JSON.parse(text.slice(start, end)), start });
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message)?.[1];
      const offset = position === undefined ? start : start + Number(position);
      return fail(offset, message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, ''));
    }
  }
  return { values, problems: [] };
}

/**
 * The items of a list endpoint's file, in any of the three forms. `wrapperKey` names the list in
 * a wrapper object (`check_runs`, `jobs`); without one, pages must be arrays.
 */
export function readListItems(source: JsonFile, wrapperKey?: string): { items: ListItem[]; problems: Problem[] } {
  const parsed = parseJsonValues(source);
  if (parsed.problems.length) return { items: [], problems: parsed.problems };
  const items: ListItem[] = [];
  const problems: Problem[] = [];
  const expected = wrapperKey ? `a list, or an object with "${wrapperKey}": [...]` : 'a list';
  const addPage = (page: unknown, start: number, path: PropertyKey[]): boolean => {
    if (Array.isArray(page)) {
      page.forEach((value, index) => items.push({ value, origin: { start, path: [...path, index] } }));
      return true;
    }
    if (wrapperKey && page !== null && typeof page === 'object' && Array.isArray((page as Record<string, unknown>)[wrapperKey])) {
      const list = (page as Record<string, unknown[]>)[wrapperKey]!;
      list.forEach((value, index) => items.push({ value, origin: { start, path: [...path, wrapperKey, index] } }));
      return true;
    }
    return false;
  };
  for (const { value, start } of parsed.values) {
    // `--slurp`: an array whose elements are all pages (arrays or wrapper objects).
    const isSlurp = Array.isArray(value) && value.length > 0 && value.every((page) => Array.isArray(page) || (wrapperKey !== undefined && isWrapper(page, wrapperKey)));
    if (isSlurp && (wrapperKey !== undefined || value.every(Array.isArray))) {
      (value as unknown[]).forEach((page, index) => addPage(page, start, [index]));
      continue;
    }
    if (!addPage(value, start, [])) {
      const { line } = lineAndColumn(source.text, start);
      problems.push({ file: source.file, line, message: `must hold ${expected} (as gh api --paginate prints it), not ${describe(value)}` });
    }
  }
  return { items, problems };
}

function isWrapper(value: unknown, key: string): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as Record<string, unknown>)[key]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object without that list' : `a ${typeof value}`;
}

/**
 * The offset of `path` inside the JSON value that starts at `start`: walks the text, skipping
 * what is not on the path. Only called for problems, so it does not need to be fast.
 */
export function locate(text: string, start: number, path: readonly PropertyKey[]): number {
  let i = skipSpace(text, start);
  for (const key of path) {
    const open = text[i];
    if (open !== '[' && open !== '{') return i;
    i = skipSpace(text, i + 1);
    let index = 0;
    let found = false;
    while (i < text.length && text[i] !== ']' && text[i] !== '}') {
      if (open === '{') {
        const keyEnd = skipString(text, i);
        const name = JSON.parse(text.slice(i, keyEnd)) as string;
        i = skipSpace(text, skipSpace(text, keyEnd) + 1);
        if (name === key) {
          found = true;
          break;
        }
      } else if (index === key) {
        found = true;
        break;
      }
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ',') i = skipSpace(text, i + 1);
      index++;
    }
    if (!found) return i;
  }
  return i;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

function skipValue(text: string, i: number): number {
  if (text[i] === '"') return skipString(text, i);
  if (text[i] === '[' || text[i] === '{') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (c === '"') j = skipString(text, j) - 1;
      else if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !/[\s,\]}]/.test(text[j]!)) j++;
  return j;
}

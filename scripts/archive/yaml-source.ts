import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit as visitYaml, type Document, type Node } from 'yaml';
import { FAILSAFE_SCHEMA, load as loadQuickly, Type } from 'js-yaml';
import { normalizeText } from './normalize-text.ts';

/**
 * How many times aliases may repeat anchored values, weighted by their size: `yaml`'s own limit
 * against alias bombs ("billion laughs"), far above what an archive file needs.
 */
const MAX_ALIAS_COUNT = 100;

/** A parsed YAML text that can say on which line any value sits, for error messages. */
export interface YamlSource {
  /** The plain JavaScript value, or undefined when the YAML is broken. */
  value: unknown;
  /** Why the YAML cannot be read, with 1-based file lines and columns. */
  errors: Array<{ line: number; column?: number; message: string }>;
  /** The 1-based line of the value at `path` (or of its nearest existing parent). */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

/**
 * @param text YAML text
 * @param firstLine the file line on which `text`'s first line sits (front matter starts below `---`)
 */
export function parseYamlSource(rawText: string, firstLine = 1): YamlSource {
  const text = normalizeText(rawText);
  const quick = quickValue(text);
  if (!quick) return parseYamlFully(text, firstLine);
  // Lines are needed only for problems, which are rare: the full parse runs when one is reported.
  let full: YamlSource | undefined;
  return { value: quick.value, errors: [], lineOf: (path) => (full ??= parseYamlFully(text, firstLine)).lineOf(path) };
}

/**
 * The YAML 1.2 core schema as the `yaml` package resolves plain scalars (its schema/core/*.js), for
 * js-yaml, whose own core schema reads more (`0b101`, `-0x1A`) as numbers: both readers must give
 * the same value for every file (test/unit/archive/yaml-source.test.ts checks that they do).
 */
const coreScalar = (tag: string, test: RegExp, construct: (text: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (text: string | null) => test.test(text ?? ''), construct: (text: string | null) => construct(text ?? '') });
const YAML_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    coreScalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    coreScalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    coreScalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) => (text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10))),
    coreScalar('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (text) =>
      /nan$/i.test(text) ? NaN : /inf$/i.test(text) ? (text[0] === '-' ? -Infinity : Infinity) : parseFloat(text),
    ),
  ],
});

/**
 * The value of an ordinary YAML file, read by js-yaml: four to five times faster than the `yaml`
 * package (a discussion.yaml of 2,000 comments, 310 KB: about 190 ms instead of 600-900 ms, cold).
 * Undefined for anything unusual, which the `yaml` package then reads with its messages and
 * limits: a syntax error, a duplicate key, a tag (js-yaml rejects the ones this schema lacks),
 * a `%` directive, or an alias of a mapping or list (js-yaml shares it, where `yaml` copies it
 * under its limit against alias bombs).
 */
function quickValue(text: string): { value: unknown } | undefined {
  if (/^%/m.test(text)) return undefined;
  let value: unknown;
  try {
    value = loadQuickly(text, { schema: YAML_CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return sharesObjects(value) ? undefined : { value: value === undefined ? null : value };
}

/** Whether a mapping or list appears twice in the value (an alias). */
function sharesObjects(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) return true;
    seen.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
  }
  return false;
}

/** Reads the YAML with the `yaml` package: the value, every node's line, and every error in plain words. */
export function parseYamlFully(text: string, firstLine = 1): YamlSource {
  const lineCounter = new LineCounter();
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + firstLine - 1, column: col };
  };
  const toFileLine = (offset: number) => position(offset).line;
  let doc: Document.Parsed;
  try {
    // YAML 1.2 core schema: dates stay strings, so the schemas (not the YAML parser) decide what a date is.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // Only pathological input gets here (nesting deep enough to exhaust the stack).
    return broken([{ line: firstLine, message: `cannot be read as YAML (${plainError(error)})` }]);
  }

  const all = [...doc.errors, ...doc.warnings].map((error) => ({ ...position(error.pos[0]), message: describeYamlError(error.code, error.message, restOfLine(text, error.pos[0])) }));
  const tooDeep = all.find((error) => error.message === TOO_DEEP);
  const errors = tooDeep ? [tooDeep] : firstErrors(all);
  // A tag the core schema does not know (`!!js/function`, `!include`) is only a warning to `yaml`,
  // which would read the value as a plain string; in an archive it is a mistake or an attack.
  if (errors.length) return broken(errors);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let firstAlias: number | undefined;
    visitYaml(doc, { Alias: (_, node) => { if (isAlias(node) && node.range && firstAlias === undefined) firstAlias = node.range[0]; } });
    const where = firstAlias === undefined ? { line: firstLine } : position(firstAlias);
    const message = error instanceof ReferenceError && /alias/i.test(error.message)
      ? `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} copies of anchored values, as in an alias bomb); write the values out instead`
      : `YAML cannot be read: ${plainError(error)}`;
    return broken([{ ...where, message }]);
  }

  // Every node's line, worked out once, so the document's syntax tree can be let go: an archive of
  // thousands of branches keeps a YamlSource per file until the build has checked everything.
  const lines = new Map<string, number>();
  const visit = (node: unknown, path: string[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        if (!isScalar(keyNode)) continue;
        const childPath = [...path, String(keyNode.value)];
        const key = childPath.join('\0');
        if (lines.has(key)) continue; // a duplicate key: the first one is where it is defined
        if (keyNode.range) lines.set(key, toFileLine(keyNode.range[0]));
        visit(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = [...path, String(index)];
        if ((item as Node).range) lines.set(childPath.join('\0'), toFileLine((item as Node).range![0]));
        visit(item, childPath);
      });
    }
  };
  const root = doc.contents as Node | null;
  const rootLine = root?.range ? toFileLine(root.range[0]) : undefined;
  visit(root, []);

  /** The line of the deepest node along `path` that exists. */
  function lineOf(path: ReadonlyArray<PropertyKey>): number | undefined {
    for (let length = path.length; length > 0; length--) {
      const line = lines.get(path.slice(0, length).map(String).join('\0'));
      if (line !== undefined) return line;
    }
    return rootLine;
  }

  return { value, errors: [], lineOf };
}

/** Errors a person can act on: one per line, in file order, at most MAX_ERRORS (a broken flow collection cascades into hundreds). */
const MAX_ERRORS = 5;
function firstErrors(errors: YamlSource['errors']): YamlSource['errors'] {
  const seen = new Set<string>();
  const distinct = errors
    .sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0))
    .filter((error) => {
      // A second error on the same line is nearly always the first one's echo.
      const key = String(error.line);
      return !seen.has(key) && seen.add(key);
    });
  if (distinct.length <= MAX_ERRORS) return distinct;
  const kept = distinct.slice(0, MAX_ERRORS);
  kept[MAX_ERRORS - 1] = { ...kept[MAX_ERRORS - 1]!, message: `${kept[MAX_ERRORS - 1]!.message} (and ${distinct.length - MAX_ERRORS} more YAML errors after it)` };
  return kept;
}

/** A source with no value: the file could not be read. */
function broken(errors: YamlSource['errors']): YamlSource {
  return { value: undefined, errors, lineOf: () => undefined };
}

/** `yaml`'s message in plain words, without its own position (the problem has one). */
const TOO_DEEP = 'YAML is nested too deeply to be read';

function describeYamlError(code: string, message: string, source: string): string {
  const plain = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAG_RESOLVE_FAILED') {
    const tag = /Unresolved tag: (\S+)/.exec(plain)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? 'here';
    return `YAML tag ${tag} is not allowed: the archive format has plain values only (quote the value if it is text)`;
  }
  if (/call stack/i.test(plain)) return TOO_DEEP;
  if (code === 'DUPLICATE_KEY') {
    const name = /^["']?([^"':]{1,60})["']?\s*:/.exec(source)?.[1];
    const key = name ? ` "${name}"` : '';
    return `YAML key${key} appears twice in the same mapping; each key may appear once`;
  }
  return `YAML syntax error: ${plain}`;
}

function restOfLine(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end === -1 ? undefined : end);
}

function plainError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

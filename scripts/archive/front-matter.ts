import { normalizeText } from './normalize-text.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';

/** A front matter problem, 1-based line and column in the file. */
export interface FrontMatterProblem {
  line: number;
  column?: number;
  message: string;
}

export interface MarkdownFile {
  /** The parsed front matter, with every value's file line. */
  source: YamlSource;
  /** The markdown after the closing `---` line. */
  body: string;
  /** Why the front matter could not be read; the YAML's own errors included. */
  problems: FrontMatterProblem[];
}

/** `---`, optionally followed by spaces: the line that opens and closes front matter. */
const FENCE = /^---[ \t]*$/;

/**
 * Splits a markdown file into its YAML front matter and its body, and parses the front matter with
 * the same YAML loader as every other file of the format (scripts/archive/yaml-source.ts), so a
 * syntax error, a duplicate key, a custom tag or an alias bomb is a problem with its line, never an
 * exception. The body starts on the line after the closing `---`.
 */
export function parseMarkdownFile(raw: string): MarkdownFile {
  const text = normalizeText(raw);
  const firstBreak = text.indexOf('\n');
  const firstLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
  if (!FENCE.test(firstLine)) {
    return { source: parseYamlSource(''), body: text, problems: [{ line: 1, message: 'must start with YAML front matter between two "---" lines' }] };
  }
  // Found line by line rather than by a regular expression, so a long file costs one pass.
  let start = firstBreak + 1;
  let close = -1;
  while (firstBreak !== -1 && start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (FENCE.test(line)) {
      close = start;
      break;
    }
    if (end === -1) break;
    start = end + 1;
  }
  if (close === -1) {
    return {
      source: parseYamlSource(''),
      body: '',
      problems: [{ line: 1, message: 'front matter is not closed: end it with a line that holds only "---", before the markdown' }],
    };
  }
  const yaml = text.slice(firstBreak + 1, close);
  const afterFence = text.indexOf('\n', close);
  const body = afterFence === -1 ? '' : text.slice(afterFence + 1);
  const source = parseYamlSource(yaml, 2);
  return { source, body, problems: source.errors };
}

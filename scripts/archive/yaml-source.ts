import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** A parsed YAML text that can say on which line any value sits, for error messages. */
export interface YamlSource {
  /** The plain JavaScript value, or undefined when the YAML is broken. */
  value: unknown;
  /** Syntax errors, with 1-based lines relative to the start of the YAML text. */
  errors: Array<{ line: number; message: string }>;
  /** The 1-based line of the value at `path` (or of its nearest existing parent). */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
}

/**
 * @param text YAML text
 * @param firstLine the file line on which `text`'s first line sits (front matter starts below `---`)
 */
export function parseYamlSource(text: string, firstLine = 1): YamlSource {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: dates stay strings, so the schemas (not the YAML parser) decide what a date is.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toFileLine = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;

  const errors = doc.errors.map((error) => ({
    line: toFileLine(error.pos[0]),
    message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
  }));

  function lineOf(path: ReadonlyArray<PropertyKey>): number | undefined {
    let node: unknown = doc.contents;
    let line = node && (node as Node).range ? toFileLine((node as Node).range![0]) : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (keyNode.range) line = toFileLine(keyNode.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        if (item.range) line = toFileLine(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return line;
  }

  return { value: errors.length ? undefined : doc.toJS(), errors, lineOf };
}

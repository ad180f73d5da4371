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

  return { value: errors.length ? undefined : doc.toJS(), errors, lineOf };
}

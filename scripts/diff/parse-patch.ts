import type { DiffFile, DiffLine, FileStatus, Hunk, ParsePatchResult, PatchProblem } from './types.ts';

/**
 * Parses the output of `git diff` / `git format-patch` / `git log -p` into files, hunks and lines.
 *
 * Text outside the file sections (commit messages, email headers, diffstats, the `-- ` signature)
 * is skipped. Bad input never throws: every problem found is returned with its patch line.
 * One pass over the lines, split once, because archives hold diffs of hundreds of thousands of lines.
 */
export function parsePatch(text: string): ParsePatchResult {
  if (text.trim() === '') return { ok: true, patch: { files: [] } };

  const rows = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  const rowCount = rows[rows.length - 1] === '' ? rows.length - 1 : rows.length;
  const parser = new PatchParser();
  for (let index = 0; index < rowCount; index++) parser.read(rows[index]!, index + 1);
  return parser.finish();
}

/** The four numbers of a hunk header, with the counts git leaves out (`@@ -1 +1 @@`) filled in as 1. */
export interface HunkRange {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface HunkHeader extends HunkRange {
  /** The header up to and including the second `@@`, as written: `@@ -1 +1 @@`. */
  range: string;
  /** Git's function context after the second `@@`, trimmed; empty when none. */
  context: string;
}

// Anchored, and every quantifier is followed by a character it cannot match, so matching is linear.
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Reads a hunk header such as `@@ -193,6 +193,17 @@ function name`; null when it is not one. */
export function parseHunkHeader(line: string): HunkHeader | null {
  const match = HUNK_HEADER.exec(line);
  if (!match) return null;
  const rest = match[5] ?? '';
  return {
    oldStart: Number(match[1]),
    oldLines: match[2] === undefined ? 1 : Number(match[2]),
    newStart: Number(match[3]),
    newLines: match[4] === undefined ? 1 : Number(match[4]),
    range: line.slice(0, line.length - rest.length),
    context: rest.trim(),
  };
}

/**
 * - `ignoring`: before the first file, after a `-- ` signature, or inside a `GIT binary patch` payload.
 * - `between`: a file's section was ended by text that is not part of a diff (as `git log -p` prints).
 * - `header`: after `diff --git`, reading extended header lines up to the first hunk.
 * - `hunk`: reading hunk lines; `skipping-hunk` after a malformed hunk header.
 */
type ParserState = 'ignoring' | 'binary-payload' | 'between' | 'header' | 'hunk' | 'skipping-hunk';

/** What the headers of one file section said, before deciding its paths and status. */
interface FileDraft {
  patchLine: number;
  gitLine: string;
  gitPaths: { old: string; new: string } | null;
  /** From `---` / `+++`: undefined when the line is absent, null for `/dev/null`. */
  markerOldPath?: string | null;
  markerNewPath?: string | null;
  movedFrom?: string;
  movedTo?: string;
  change?: 'added' | 'deleted' | 'renamed' | 'copied';
  oldMode?: string;
  newMode?: string;
  similarity?: number;
  binary: boolean;
  hunks: Hunk[];
  additions: number;
  deletions: number;
  /** Line of a `---` still waiting for its `+++`. */
  pendingMinusLine?: number;
  pendingMinusText?: string;
}

interface HunkDraft {
  hunk: Hunk;
  headerLine: number;
  range: string;
  oldSeen: number;
  newSeen: number;
  nextOld: number;
  nextNew: number;
  /** A bad line was already reported; a count mismatch would only repeat it. */
  hadBadLine: boolean;
}

const NO_NEWLINE_MARKER = '\\'.charCodeAt(0);
const SPACE = ' '.charCodeAt(0);
const PLUS = '+'.charCodeAt(0);
const MINUS = '-'.charCodeAt(0);

class PatchParser {
  private state: ParserState = 'ignoring';
  private readonly files: DiffFile[] = [];
  private readonly problems: PatchProblem[] = [];
  private sawGitHeader = false;
  private file: FileDraft | null = null;
  private hunk: HunkDraft | null = null;
  /** The file whose section ended on unexpected text, to explain a hunk header found after it. */
  private endedFile: { path: string; line: number; text: string } | null = null;

  read(raw: string, lineNumber: number): void {
    const crlf = raw.charCodeAt(raw.length - 1) === 13;
    const line = crlf ? raw.slice(0, -1) : raw;

    if (line.startsWith('diff --git ')) {
      this.endFile();
      this.startFile(line, lineNumber);
      return;
    }
    switch (this.state) {
      case 'ignoring':
        return;
      case 'binary-payload':
        return this.readBinaryPayloadLine(line);
      case 'between':
        return this.readBetweenFiles(line, lineNumber);
      case 'header':
        return this.readHeaderLine(line, lineNumber);
      case 'hunk':
        return this.readHunkLine(line, lineNumber, crlf);
      case 'skipping-hunk':
        return this.skipHunkLine(line, lineNumber);
    }
  }

  finish(): ParsePatchResult {
    this.endFile();
    if (!this.sawGitHeader) {
      this.problems.push({ line: 1, message: 'no `diff --git` header found: this is not a unified git diff' });
    }
    if (this.problems.length > 0) {
      return { ok: false, problems: [...this.problems].sort((a, b) => a.line - b.line) };
    }
    return { ok: true, patch: { files: this.files } };
  }

  private problem(line: number, message: string): void {
    this.problems.push({ line, message });
  }

  /** Blocks seen in the current `GIT binary patch`: the first gives the new content, the second the old. */
  private binaryBlocks = 0;

  private readBinaryPayloadLine(line: string): void {
    const block = /^(literal|delta) (\d+)$/.exec(line);
    if (!block) return;
    const side = this.binaryBlocks++ === 0 ? 'new' : 'old';
    const file = this.files.at(-1);
    // A delta's size is the size of the delta, not of the file: only literals tell the file's size.
    if (file && block[1] === 'literal') file.binarySizes = { ...file.binarySizes, [side]: Number(block[2]) };
  }

  private startFile(line: string, lineNumber: number): void {
    this.sawGitHeader = true;
    this.endedFile = null;
    this.file = {
      patchLine: lineNumber,
      gitLine: line,
      gitPaths: splitGitHeaderPaths(line.slice('diff --git '.length)),
      binary: false,
      hunks: [],
      additions: 0,
      deletions: 0,
    };
    this.state = 'header';
  }

  private readBetweenFiles(line: string, lineNumber: number): void {
    const header = line.startsWith('@@') ? parseHunkHeader(line) : null;
    if (!header || !this.endedFile) return;
    const { path, line: endLine, text } = this.endedFile;
    const endedBy = text === '' ? 'an empty line' : `"${shorten(text)}", which is not a diff line`;
    this.problem(
      lineNumber,
      `hunk ${header.range} is not part of any file: the diff of ${path} was ended at line ${endLine} by ${endedBy}`,
    );
  }

  private readHeaderLine(line: string, lineNumber: number): void {
    const file = this.file!;
    if (file.pendingMinusLine !== undefined && !line.startsWith('+++ ')) {
      this.problem(file.pendingMinusLine, `"${shorten(file.pendingMinusText!)}" is not followed by a "+++" line naming the new file`);
      delete file.pendingMinusLine;
    }

    if (line.startsWith('@@')) return this.startHunk(line, lineNumber);
    if (line.startsWith('--- ')) {
      file.markerOldPath = readMarkerPath(line.slice(4));
      file.pendingMinusLine = lineNumber;
      file.pendingMinusText = line;
      return;
    }
    if (line.startsWith('+++ ')) {
      file.markerNewPath = readMarkerPath(line.slice(4));
      delete file.pendingMinusLine;
      return;
    }
    if (line === 'GIT binary patch') {
      // The base85 payload means nothing to a reader; only its `literal <size>` lines are kept.
      file.binary = true;
      this.endFile();
      this.binaryBlocks = 0;
      this.state = 'binary-payload';
      return;
    }
    if (readExtendedHeader(file, line)) return;

    // Anything else ends the section: a blank line or commit text from `git log -p`, or a signature.
    this.endFileOnText(line, lineNumber);
  }

  private startHunk(line: string, lineNumber: number): void {
    const header = parseHunkHeader(line);
    if (!header) {
      this.problem(
        lineNumber,
        `"${shorten(line)}" is not a valid hunk header: expected "@@ -<old start>,<old count> +<new start>,<new count> @@"`,
      );
      this.state = 'skipping-hunk';
      return;
    }
    const hunk: Hunk = {
      header: line,
      oldStart: header.oldStart,
      oldLines: header.oldLines,
      newStart: header.newStart,
      newLines: header.newLines,
      context: header.context,
      lines: [],
    };
    this.file!.hunks.push(hunk);
    this.hunk = {
      hunk,
      headerLine: lineNumber,
      range: header.range,
      oldSeen: 0,
      newSeen: 0,
      nextOld: header.oldStart,
      nextNew: header.newStart,
      hadBadLine: false,
    };
    this.state = 'hunk';
  }

  private readHunkLine(line: string, lineNumber: number, crlf: boolean): void {
    const draft = this.hunk!;
    if (line.startsWith('@@')) {
      this.endHunk();
      return this.startHunk(line, lineNumber);
    }
    const first = line.charCodeAt(0);
    if (first === NO_NEWLINE_MARKER) return this.markNoNewline(draft, lineNumber);

    const complete = draft.oldSeen >= draft.hunk.oldLines && draft.newSeen >= draft.hunk.newLines;
    if (complete) {
      // More body lines right after a complete hunk mean the header's counts are wrong;
      // anything else is the text that follows the diff.
      const isSignature = line === '-- ' || line === '--';
      if (isSignature || (first !== SPACE && first !== PLUS && first !== MINUS)) {
        this.endHunk();
        return this.endFileOnText(line, lineNumber);
      }
    }

    const text = line.slice(1);
    // Git reads an empty line as an empty context line: editors strip the lone space.
    if (first === SPACE || line === '') {
      this.addLine(draft, { kind: 'context', text, oldLine: draft.nextOld++, newLine: draft.nextNew++ }, crlf);
      draft.oldSeen++;
      draft.newSeen++;
    } else if (first === PLUS) {
      this.addLine(draft, { kind: 'add', text, newLine: draft.nextNew++ }, crlf);
      draft.newSeen++;
      this.file!.additions++;
    } else if (first === MINUS) {
      this.addLine(draft, { kind: 'del', text, oldLine: draft.nextOld++ }, crlf);
      draft.oldSeen++;
      this.file!.deletions++;
    } else {
      draft.hadBadLine = true;
      this.problem(
        lineNumber,
        `line "${shorten(line)}" in hunk ${draft.range} starts with none of " " (context), "+" (added), "-" (removed) or "\\" (no newline at end of file)`,
      );
    }
  }

  private addLine(draft: HunkDraft, line: DiffLine, crlf: boolean): void {
    if (crlf) line.crlf = true;
    draft.hunk.lines.push(line);
  }

  private markNoNewline(draft: HunkDraft, lineNumber: number): void {
    const previous = draft.hunk.lines[draft.hunk.lines.length - 1];
    if (previous) previous.noNewlineAtEnd = true;
    else this.problem(lineNumber, `"\\ No newline at end of file" in hunk ${draft.range} has no line before it to mark`);
  }

  private skipHunkLine(line: string, lineNumber: number): void {
    if (line.startsWith('@@')) return this.startHunk(line, lineNumber);
    const first = line.charCodeAt(0);
    if (first === SPACE || first === PLUS || first === MINUS || first === NO_NEWLINE_MARKER) return;
    this.endFileOnText(line, lineNumber);
  }

  private endHunk(): void {
    const draft = this.hunk;
    if (!draft) return;
    this.hunk = null;
    const { oldLines, newLines } = draft.hunk;
    if (!draft.hadBadLine && (draft.oldSeen !== oldLines || draft.newSeen !== newLines)) {
      this.problem(
        draft.headerLine,
        `hunk ${draft.range} declares ${oldLines} old and ${newLines} new lines but has ${draft.oldSeen} and ${draft.newSeen}`,
      );
    }
  }

  private endFileOnText(line: string, lineNumber: number): void {
    const isSignature = line === '-- ' || line === '--';
    const path = this.endFile();
    if (isSignature) {
      this.state = 'ignoring';
      return;
    }
    this.state = 'between';
    this.endedFile = path === null ? null : { path, line: lineNumber, text: line };
  }

  /** Closes the open file section, if any; returns the path it is known by. */
  private endFile(): string | null {
    this.endHunk();
    const draft = this.file;
    if (!draft) return null;
    this.file = null;
    this.state = 'ignoring';
    if (draft.pendingMinusLine !== undefined) {
      this.problem(draft.pendingMinusLine, `"${shorten(draft.pendingMinusText!)}" is not followed by a "+++" line naming the new file`);
    }
    const file = finishFile(draft);
    if (!file) {
      this.problem(
        draft.patchLine,
        `"${shorten(draft.gitLine)}" does not name the old and new file: expected "diff --git a/<path> b/<path>"`,
      );
      return null;
    }
    this.files.push(file);
    return (file.newPath ?? file.oldPath)!;
  }
}

/** Applies one extended header line (`new file mode`, `rename from`, `index`, …); false when it is none. */
function readExtendedHeader(file: FileDraft, line: string): boolean {
  const value = (prefix: string) => line.slice(prefix.length);

  if (line.startsWith('index ')) {
    // `index abc..def 100644`: the mode is only printed when it did not change.
    const mode = line.indexOf(' ', 6);
    if (mode > 0) {
      file.oldMode ??= line.slice(mode + 1);
      file.newMode ??= line.slice(mode + 1);
    }
  } else if (line.startsWith('new file mode ')) {
    file.change = 'added';
    file.newMode = value('new file mode ');
  } else if (line.startsWith('deleted file mode ')) {
    file.change = 'deleted';
    file.oldMode = value('deleted file mode ');
  } else if (line.startsWith('old mode ')) {
    file.oldMode = value('old mode ');
  } else if (line.startsWith('new mode ')) {
    file.newMode = value('new mode ');
  } else if (line.startsWith('similarity index ')) {
    file.similarity = Number.parseInt(value('similarity index '), 10);
  } else if (line.startsWith('dissimilarity index ')) {
    // Reported by `git diff -B` for rewrites; nothing a reader needs.
  } else if (line.startsWith('rename from ')) {
    file.change = 'renamed';
    file.movedFrom = readHeaderPath(value('rename from '));
  } else if (line.startsWith('rename to ')) {
    file.change = 'renamed';
    file.movedTo = readHeaderPath(value('rename to '));
  } else if (line.startsWith('copy from ')) {
    file.change = 'copied';
    file.movedFrom = readHeaderPath(value('copy from '));
  } else if (line.startsWith('copy to ')) {
    file.change = 'copied';
    file.movedTo = readHeaderPath(value('copy to '));
  } else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
    file.binary = true;
  } else {
    return false;
  }
  return true;
}

function finishFile(draft: FileDraft): DiffFile | null {
  let oldPath = pickPath(draft.movedFrom, draft.markerOldPath, draft.gitPaths?.old);
  let newPath = pickPath(draft.movedTo, draft.markerNewPath, draft.gitPaths?.new);
  if (draft.change === 'added') oldPath = null;
  if (draft.change === 'deleted') newPath = null;
  if (!oldPath && !newPath) return null;

  const file: DiffFile = {
    oldPath,
    newPath,
    status: fileStatus(draft, oldPath, newPath),
    binary: draft.binary,
    additions: draft.additions,
    deletions: draft.deletions,
    hunks: draft.hunks,
    patchLine: draft.patchLine,
  };
  if (draft.oldMode !== undefined) file.oldMode = draft.oldMode;
  if (draft.newMode !== undefined) file.newMode = draft.newMode;
  if (draft.similarity !== undefined && !Number.isNaN(draft.similarity)) file.similarity = draft.similarity;
  return file;
}

/** Rename/copy lines are unambiguous, `---`/`+++` come next, the `diff --git` line is the fallback. */
function pickPath(...candidates: Array<string | null | undefined>): string | null {
  for (const candidate of candidates) if (candidate !== undefined) return candidate;
  return null;
}

function fileStatus(draft: FileDraft, oldPath: string | null, newPath: string | null): FileStatus {
  if (draft.change) return draft.change;
  if (oldPath === null) return 'added';
  if (newPath === null) return 'deleted';
  if (draft.binary) return 'binary';
  const modeChanged = draft.oldMode !== undefined && draft.newMode !== undefined && draft.oldMode !== draft.newMode;
  if (modeChanged && draft.hunks.length === 0) return 'mode-changed';
  return 'modified';
}

/**
 * Splits the two paths of `diff --git a/x b/x`. Unquoted paths may contain spaces, so for an
 * unrenamed file the line is cut in the middle, where both halves name the same path.
 */
function splitGitHeaderPaths(rest: string): { old: string; new: string } | null {
  if (rest.startsWith('"')) {
    const old = readQuoted(rest, 0);
    if (!old || rest[old.end] !== ' ') return null;
    const newPart = rest.slice(old.end + 1);
    const newPath = newPart.startsWith('"') ? readQuoted(newPart, 0)?.value : newPart;
    return newPath === undefined ? null : { old: stripPrefix(old.value), new: stripPrefix(newPath) };
  }
  // Git quotes any path containing `"`, so a quote here opens the quoted new path.
  const quote = rest.indexOf(' "');
  if (quote >= 0) {
    const newPath = readQuoted(rest, quote + 1);
    return newPath ? { old: stripPrefix(rest.slice(0, quote)), new: stripPrefix(newPath.value) } : null;
  }
  if (rest.length % 2 === 1) {
    const middle = (rest.length - 1) / 2;
    const old = stripPrefix(rest.slice(0, middle));
    if (rest[middle] === ' ' && old === stripPrefix(rest.slice(middle + 1))) return { old, new: old };
  }
  const split = rest.indexOf(' b/') >= 0 ? rest.indexOf(' b/') : rest.indexOf(' ');
  if (split < 0) return null;
  return { old: stripPrefix(rest.slice(0, split)), new: stripPrefix(rest.slice(split + 1)) };
}

/** The path of a `---` / `+++` line: null for `/dev/null`; git ends paths with spaces in a tab. */
function readMarkerPath(value: string): string | null {
  if (value.startsWith('"')) {
    const quoted = readQuoted(value, 0);
    return quoted ? stripPrefix(quoted.value) : null;
  }
  const tab = value.indexOf('\t');
  const path = tab >= 0 ? value.slice(0, tab) : value;
  return path === '/dev/null' ? null : stripPrefix(path);
}

/** The path of a `rename from` / `copy to` line, which has no `a/` or `b/` prefix. */
function readHeaderPath(value: string): string {
  return value.startsWith('"') ? (readQuoted(value, 0)?.value ?? value) : value;
}

/** Drops the first path component (`a/`, `b/`, or a mnemonic prefix such as `i/`), as `git apply -p1` does. */
function stripPrefix(path: string): string {
  const slash = path.indexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * Reads a C-quoted path starting at the `"` at `start`. Octal escapes are bytes of the UTF-8 name
 * (`\303\251` is "é"), so the path is assembled as bytes and decoded once.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const bytes: number[] = [];
  let index = start + 1;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') return { value: utf8Decoder.decode(Uint8Array.from(bytes)), end: index + 1 };
    if (char !== '\\') {
      const code = text.codePointAt(index)!;
      if (code < 0x80) bytes.push(code);
      else bytes.push(...utf8Encoder.encode(String.fromCodePoint(code)));
      index += code > 0xffff ? 2 : 1;
      continue;
    }
    let digits = 0;
    let byte = 0;
    while (digits < 3 && isOctalDigit(text[index + 1 + digits])) {
      byte = byte * 8 + Number(text[index + 1 + digits]);
      digits++;
    }
    if (digits > 0) {
      bytes.push(byte & 0xff);
      index += 1 + digits;
      continue;
    }
    const escaped = C_ESCAPES[text[index + 1] ?? ''];
    if (escaped === undefined) return null;
    bytes.push(escaped);
    index += 2;
  }
  return null;
}

function isOctalDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '7';
}

/** Patch text quoted in a message, cut short so one huge line cannot flood the report. */
function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

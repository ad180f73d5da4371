/** The model of a unified git diff, as produced by `parsePatch`. Only the diff parser builds these. */

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'mode-changed' | 'binary';

export type DiffLineKind = 'context' | 'add' | 'del';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line's text without its `+`/`-`/` ` prefix and without the line ending. */
  text: string;
  /** Line number in the old file (context and deleted lines). */
  oldLine?: number;
  /** Line number in the new file (context and added lines). */
  newLine?: number;
  /** True when the patch marks this line with `\ No newline at end of file`. */
  noNewlineAtEnd?: boolean;
  /** True when the line ended in CRLF in the patch. */
  crlf?: boolean;
}

export interface Hunk {
  /** The header exactly as in the patch, including any function context. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the second `@@` (git's function context), trimmed; empty when none. */
  context: string;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Path before the change; null for an added file. */
  oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  newPath: string | null;
  status: FileStatus;
  oldMode?: string;
  newMode?: string;
  /** Rename or copy similarity, 0-100, when git reported it. */
  similarity?: number;
  binary: boolean;
  /** Sizes in bytes of a binary file's old and new content, when the patch carries them (`git diff --binary`). */
  binarySizes?: { old?: number; new?: number };
  additions: number;
  deletions: number;
  hunks: Hunk[];
  /** 1-based line in the patch where this file's `diff --git` header starts. */
  patchLine: number;
}

export interface ParsedPatch {
  files: DiffFile[];
}

/** A problem found while parsing a patch: the patch line and what is wrong there. */
export interface PatchProblem {
  line: number;
  message: string;
}

export type ParsePatchResult = { ok: true; patch: ParsedPatch } | { ok: false; problems: PatchProblem[] };

/** The path a reader knows a file by: the new path, or the old one for a deleted file. */
export function displayPath(file: DiffFile): string {
  return (file.newPath ?? file.oldPath)!;
}

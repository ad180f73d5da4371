import { stat, readFile } from 'node:fs/promises';
import type { Problem } from '../build/report.ts';

/**
 * The largest diff.patch a build takes. A 16 MB patch (228,000 lines) builds its branch data with
 * a peak RSS of 817 MB (the build and its highlighting threads, `--content-only`, measured with GNU
 * time); a 48 MB one exhausted the 1.5 GB heap the build runs with. Above this the branch is
 * refused with a problem instead of a crash. Streaming the diff would lift the limit; not done yet.
 */
export const MAX_PATCH_BYTES = 20 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** diff.patch's text; or, when it is over MAX_PATCH_BYTES, its size without reading it; or nothing when missing. */
export async function readPatchWithinLimit(file: string): Promise<{ text?: string; tooLarge?: number }> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (size > MAX_PATCH_BYTES) return { tooLarge: size };
  return { text: await readFile(file, 'utf8') };
}

export function patchTooLarge(file: string, size: number): Problem {
  return {
    file,
    message: `is ${megabytes(size)}, over the limit of ${megabytes(MAX_PATCH_BYTES)} a diff may have (a bigger one does not fit in the build's memory); leave generated, vendored or data files out of it, e.g. git diff -M base head -- . ':!vendor/'`,
  };
}

import { parseMarkdownFile } from '../archive/front-matter.ts';
import { resolveEvidence } from '../diff/resolve-evidence.ts';
import type { ParsedPatch } from '../diff/types.ts';
import type { BranchFrontMatter } from '../schema/branch.ts';
import { stepFrontMatterSchema } from '../schema/step.ts';
import { formatBranchFile, formatStepFile, updateFrontMatter } from './archive-files.ts';
import { generateSteps } from './generate-steps.ts';
import { contentHash } from './ingest-state.ts';

/** The facts of a branch that git owns; ingest may correct them even in a file a person edited. */
export type BranchFacts = Omit<BranchFrontMatter, 'tutorial'>;

export interface FolderInput {
  facts: BranchFacts;
  summary: string;
  patchText: string;
  /** The parsed diff; undefined when the diff does not parse (the build will say where). */
  patch: ParsedPatch | undefined;
  /** The folder's current files: `branch.md`, `diff.patch`, `steps/NN-x.md` → text. */
  existing: ReadonlyMap<string, string>;
  /** Hashes of what ingest wrote last time, by the same paths. */
  recorded: Readonly<Record<string, string>>;
}

export interface FolderPlan {
  /** Files to (re)write: only those whose text changes. */
  writes: Map<string, string>;
  deletes: string[];
  /** Hashes of every file that is now exactly what ingest wrote: the next run may replace them. */
  recorded: Record<string, string>;
  /** Files kept because a person wrote or changed them, and other things worth telling. */
  notes: string[];
}

/** The facts ingest corrects in a branch.md a person edited; title, author, tutorial and summary stay theirs. */
const GIT_FACTS = ['id', 'name', 'state', 'target', 'merge_commit', 'head', 'base', 'updated'] as const;

/**
 * Decides what to write in one branch folder. Pure. A step that is not exactly what ingest
 * wrote (by its recorded hash) is a person's: it is never overwritten or deleted, and once a
 * branch has one, ingest adds no generated steps beside it.
 */
export function planFolder(input: FolderInput): FolderPlan {
  const { existing, recorded } = input;
  const notes: string[] = [];
  const generated = input.patch ? generateSteps(input.patch) : [];
  const generatedText = new Map(generated.map((step) => [`steps/${step.fileName}`, formatStepFile(step.front, step.body)]));
  const isOurs = (file: string, text: string) => recorded[file] === contentHash(text) || generatedText.get(file) === text;

  const existingSteps = [...existing].filter(([file]) => file.startsWith('steps/'));
  const personSteps = existingSteps.filter(([file, text]) => !isOurs(file, text));
  const ourSteps = existingSteps.filter(([file, text]) => isOurs(file, text));

  const wanted = new Map<string, string>();
  const deletes: string[] = [];
  if (personSteps.length === 0) {
    for (const [file, text] of generatedText) wanted.set(file, text);
    for (const [file] of ourSteps) if (!generatedText.has(file)) deletes.push(file);
  } else {
    notes.push(...personSteps.map(([file]) => `${file} was written or changed by a person: kept as it is`));
    for (const [file, text] of ourSteps) {
      // Generated steps that still point at the diff stay beside the person's; stale ones go.
      if (input.patch && stepResolves(text, input.patch)) wanted.set(file, text);
      else deletes.push(file);
    }
    if (input.patch) {
      for (const [file, text] of personSteps) {
        if (!stepResolves(text, input.patch)) notes.push(`${file} cites evidence that is not in the new diff: update it, or the build will stop there`);
      }
    }
  }

  const tutorial = personSteps.length + wanted.size > 0 ? 'ready' : 'none';
  const branchText = formatBranchFile({ ...input.facts, tutorial }, input.summary);
  const currentBranch = existing.get('branch.md');
  let branchFile = branchText;
  let branchIsOurs = true;
  if (currentBranch !== undefined && currentBranch !== branchText && recorded['branch.md'] !== contentHash(currentBranch)) {
    const facts = Object.fromEntries(GIT_FACTS.map((field) => [field, input.facts[field]]));
    const corrected = updateFrontMatter(currentBranch, facts);
    branchFile = corrected ?? currentBranch;
    branchIsOurs = false;
    notes.push(corrected === undefined ? 'branch.md was changed by a person and its front matter does not parse: left as it is' : 'branch.md was changed by a person: kept, with only its git facts brought up to date');
  }
  wanted.set('branch.md', branchFile);
  wanted.set('diff.patch', input.patchText);

  const writes = new Map([...wanted].filter(([file, text]) => existing.get(file) !== text));
  const hashes = Object.fromEntries(
    [...wanted].filter(([file]) => file !== 'branch.md' || branchIsOurs).map(([file, text]) => [file, contentHash(text)]),
  );
  return { writes, deletes, recorded: hashes, notes };
}

/**
 * Marks a branch whose ref is gone: `closed`, or `merged` when the target reached its head by
 * a fast-forward. Returns the new branch.md, and whether it is still entirely ingest's.
 */
export function planStateChange(
  current: string,
  recordedHash: string | undefined,
  change: { state: 'closed' } | { state: 'merged'; merge_commit: string },
): { text: string | undefined; ours: boolean } {
  const text = updateFrontMatter(current, change);
  return { text, ours: recordedHash === contentHash(current) };
}

/** Whether every evidence selector of a step file still points into the diff. */
function stepResolves(text: string, patch: ParsedPatch): boolean {
  // The build's own loader: a step the build would refuse is not one that resolves.
  const { source, problems } = parseMarkdownFile(text);
  if (problems.length) return false;
  const front = stepFrontMatterSchema.safeParse(source.value ?? {});
  return front.success && front.data.evidence.every((selector) => resolveEvidence(patch, selector).ok);
}

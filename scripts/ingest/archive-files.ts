import { isMap, parseDocument, stringify } from 'yaml';
import type { BranchFrontMatter } from '../schema/branch.ts';
import type { CiRun } from '../schema/ci.ts';
import type { StepFrontMatter } from '../schema/step.ts';

/**
 * The text of the archive's files, written the way a person would write them: YAML front matter
 * in schema order, then the markdown body. Pure, so the same facts always give the same bytes
 * (which is what makes re-running ingest or import change nothing).
 */

/** `lineWidth: 0`: a long title stays on one line instead of being folded. */
const YAML_OPTIONS = { lineWidth: 0 } as const;

export function formatMarkdownFile(front: object, body: string): string {
  const text = body.trim();
  return `---\n${stringify(front, YAML_OPTIONS)}---\n${text ? `\n${text}\n` : ''}`;
}

export function formatBranchFile(front: BranchFrontMatter, summary: string): string {
  const ordered: BranchFrontMatter = {
    id: front.id,
    name: front.name,
    title: front.title,
    state: front.state,
    target: front.target,
    merge_commit: front.merge_commit,
    head: front.head,
    base: front.base,
    author: front.author,
    updated: front.updated,
    tutorial: front.tutorial,
  };
  return formatMarkdownFile(ordered, summary);
}

export function formatStepFile(front: StepFrontMatter, body: string): string {
  const ordered = { title: front.title, intent: front.intent, files: front.files, evidence: front.evidence, generated: front.generated };
  return formatMarkdownFile(ordered, body);
}

/** `ci.yaml`: the runs, oldest first. */
export function formatCiFile(runs: CiRun[]): string {
  return stringify({ runs }, YAML_OPTIONS);
}

/** Two-digit step number and a slug: `03-add-the-parser.md`. */
export function stepFileName(order: number, slug: string): string {
  return `${String(order).padStart(2, '0')}-${slug}.md`;
}

/**
 * Sets some front matter fields of a markdown file and leaves everything else as it was: the
 * body, the other fields, their comments. Used on files a person has edited, where ingest may
 * only correct the facts that git owns. Returns undefined when the file has no front matter.
 */
export function updateFrontMatter(text: string, fields: Record<string, string | number | undefined>): string | undefined {
  const match = /^---\r?\n([\s\S]*?\r?\n)?---(\r?\n|$)/.exec(text);
  if (!match) return undefined;
  const doc = parseDocument(match[1] ?? '');
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const changes = Object.entries(fields).filter(([key, value]) => doc.get(key) !== value);
  // Nothing to correct: keep the person's bytes, not a re-serialization of them.
  if (changes.length === 0) return text;
  for (const [key, value] of changes) {
    if (value === undefined) doc.delete(key);
    else doc.set(key, value);
  }
  return `---\n${doc.toString(YAML_OPTIONS)}---${match[2]}${text.slice(match[0].length)}`;
}

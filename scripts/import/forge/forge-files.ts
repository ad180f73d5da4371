import { parseDocument, stringify } from 'yaml';
import { parsePatch } from '../../diff/parse-patch.ts';
import type { ParsedPatch } from '../../diff/types.ts';
import { slugify } from '../../render/html.ts';
import type { BranchFacts } from '../../ingest/plan-folder.ts';
import type { DiffOutcome } from './forge-diffs.ts';
import type { ForgeAuthors, ForgeBranch, ForgeComment, ForgeRun } from './forge-branch.ts';
import type { LogSource } from './log-source.ts';
import { placeThreads } from './place-threads.ts';

/**
 * A ForgeBranch and its diff as the text of the branch folder's files. Pure: the same export
 * and diff always give the same bytes, which is what makes a second import write nothing.
 */
export interface ForgeFolderText {
  facts: BranchFacts;
  summary: string;
  patchText: string;
  /** Undefined when there is no diff or it does not parse. */
  patch: ParsedPatch | undefined;
  /** discussion.yaml and ci.yaml: the importer's own files. */
  extra: Map<string, string>;
  /** The lanes' logs under ci/, by path inside the folder: copied from the export as they are written. */
  logs: Map<string, LogSource>;
  notes: string[];
}

// No anchors: the importer never shares an object between two places, and looking for shared ones
// is a sixth of stringify's time.
const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

export function forgeFolderText(branch: ForgeBranch, diff: DiffOutcome, forgeName: string): ForgeFolderText {
  const notes: string[] = [];
  let patchText = '';
  let patch: ParsedPatch | undefined;
  if ('patchText' in diff) {
    patchText = diff.patchText;
    const parsed = parsePatch(patchText);
    if (parsed.ok) patch = parsed.patch;
    else notes.push(`the diff does not parse (line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message})`);
  } else notes.push(`no diff: ${diff.missing}`);

  const placed = placeThreads(branch.threads, patch);
  notes.push(...placed.notes);
  const extra = new Map<string, string>();
  let logs = new Map<string, LogSource>();
  const discussion = discussionText(branch, placed.threads, placed.comments);
  if (discussion) extra.set('discussion.yaml', discussion);
  if (branch.runs.length) {
    const ci = ciText(branch.runs);
    extra.set('ci.yaml', ci.text);
    logs = ci.logs;
  }
  return {
    facts: {
      id: branch.id,
      name: branch.name,
      title: branch.title,
      state: branch.state,
      target: branch.target,
      merge_commit: branch.mergeCommit,
      head: branch.head,
      base: ('base' in diff ? diff.base : branch.base) ?? branch.head,
      author: branch.author,
      updated: branch.updated,
    },
    summary: summaryOf(branch, diff, forgeName),
    patchText,
    patch,
    extra,
    logs,
    notes,
  };
}

/** The description, after a line for a draft and one saying why the diff is missing. */
function summaryOf(branch: ForgeBranch, diff: DiffOutcome, forgeName: string): string {
  const lines: string[] = [];
  if (branch.draft) lines.push(`> **Draft:** this ${forgeName} was still a draft when it was exported.`);
  if ('missing' in diff) lines.push(`> **No diff:** ${diff.missing}.`);
  return [lines.join('\n>\n'), branch.description.replace(/\r\n/g, '\n').trim()].filter(Boolean).join('\n\n');
}

function discussionText(branch: ForgeBranch, threads: ReturnType<typeof placeThreads>['threads'], moved: ForgeComment[]): string | undefined {
  const reviews = [...branch.reviews].sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
  const comments = [...branch.comments, ...moved].sort((a, b) => a.at.localeCompare(b.at));
  const events = [...branch.events].sort((a, b) => a.at.localeCompare(b.at));
  if (!reviews.length && !comments.length && !threads.length && !events.length) return undefined;
  const document: Record<string, unknown> = {};
  if (reviews.length) document.reviews = reviews;
  if (comments.length) document.comments = comments;
  if (threads.length) document.threads = threads;
  if (events.length) document.events = events;
  return stringify(document, YAML_OPTIONS);
}

/** ci.yaml, oldest run first, each lane's log in `ci/<run>/<lane>.log`. */
function ciText(runs: readonly ForgeRun[]): { text: string; logs: Map<string, LogSource> } {
  const logs = new Map<string, LogSource>();
  const shaped = runs.map((run) => {
    const used = new Set<string>();
    return {
      id: run.id,
      status: run.status,
      head: run.head,
      queued_at: run.queued_at,
      queued_secs: run.queued_secs,
      ran_secs: run.ran_secs,
      started_at: run.started_at,
      finished_at: run.finished_at,
      url: run.url,
      lanes: run.lanes.map(({ log: source, ...lane }) => {
        if (source === undefined) return lane;
        let slug = slugify(lane.name).slice(0, 60).replace(/-+$/, '') || 'lane';
        for (let n = 2; used.has(slug); n++) slug = `${slugify(lane.name).slice(0, 56)}-${n}`;
        used.add(slug);
        const file = `ci/${run.id}/${slug}.log`;
        logs.set(file, source);
        return { ...lane, log: file };
      }),
    };
  });
  return { text: stringify({ runs: shaped }, YAML_OPTIONS), logs };
}

/** authors.yaml: what was there (when it is the importer's own) and the people of this export, by login. */
export function authorsText(previous: string | undefined, authors: ForgeAuthors): string | undefined {
  const entries = new Map<string, { name: string; url?: string }>();
  if (previous !== undefined) {
    const parsed = parseDocument(previous).toJS() as unknown;
    if (parsed && typeof parsed === 'object') {
      for (const [login, value] of Object.entries(parsed as Record<string, { name?: unknown; url?: unknown }>)) {
        if (value && typeof value.name === 'string') entries.set(login, { name: value.name, ...(typeof value.url === 'string' ? { url: value.url } : {}) });
      }
    }
  }
  for (const [login, author] of authors) entries.set(login, author);
  if (entries.size === 0) return undefined;
  const sorted = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return stringify(sorted, YAML_OPTIONS);
}

import type { DiffLine, ParsedPatch } from '../diff/types.ts';
import { displayPath } from '../diff/types.ts';
import type { Authors } from '../schema/authors.ts';
import type { CiRun } from '../schema/ci.ts';
import type { Activity, Comment, Discussion, ReviewState, Thread } from '../schema/discussion.ts';
import type { SiteConversationEvent, SiteDiscussion, SitePerson, SiteReviewer, SiteThreadSummary } from '../schema/site-discussion.ts';
import type { BranchFrontMatter } from '../schema/branch.ts';
import type { HighlightedFile, HighlightRequest } from '../render/highlight-file.ts';
import { escapeHtml } from '../render/html.ts';
import { formatTimestamp } from '../render/format.ts';
import { renderMarkdown } from '../render/markdown.ts';
import { renderRows } from '../render/render-diff.ts';
import { languageForPath } from '../render/languages.ts';
import { commentedLines, parseStoredHunk, placeThreads, threadsUnder, type ThreadPlacement } from './place-threads.ts';
import { countReviews, latestVerdicts } from './verdicts.ts';

export interface DiscussionContext {
  patch: ParsedPatch;
  discussion: Discussion;
  authors: Authors;
  front: BranchFrontMatter;
  runs: readonly CiRun[];
  highlight: (request: HighlightRequest) => Promise<HighlightedFile>;
  /** Per file of the diff: its anchor, line-anchor prefix, language and whether it starts collapsed. */
  files: ReadonlyArray<{ anchor: string; lineAnchor: string; language: string; collapsed: boolean }>;
}

export interface RenderedDiscussion {
  site: SiteDiscussion;
  /** The rows under a diff line of file `fileIndex`: in the full diff (`evidence` false) with the threads' ids, in evidence copies linking to them. */
  rowsAfter: (fileIndex: number, evidence: boolean) => ((line: DiffLine) => string) | undefined;
}

/** Anchors of the Conversation's events: stable for a discussion.yaml, whatever else changes. */
export const threadAnchor = (index: number) => `thread-${index + 1}`;

export function personOf(login: string, authors: Authors): SitePerson {
  const known = authors[login];
  return { login, name: known?.name ?? login, url: known?.url };
}

function personHtml(person: SitePerson): string {
  const name = escapeHtml(person.name);
  const inner = person.url ? `<a href="${escapeHtml(person.url)}" rel="nofollow">${name}</a>` : name;
  return `<span class="comment-author">${inner}</span>`;
}

const timeHtml = (iso: string) => `<time datetime="${escapeHtml(iso)}">${formatTimestamp(iso)}</time>`;

/** `line 240`, `lines 236–240`, with `old` for the old side. */
export function describeWhere(thread: Pick<Thread, 'side' | 'line' | 'start_line'>): string {
  const side = thread.side === 'old' ? 'old ' : '';
  return thread.start_line !== undefined && thread.start_line !== thread.line ? `${side}lines ${thread.start_line}\u2013${thread.line}` : `${side}line ${thread.line}`;
}

/** The first words of a comment, as plain text, for a collapsed thread's summary. */
export function firstWords(markdown: string, count = 12): string {
  const text = markdown
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_~#>|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const words = text.split(' ').filter(Boolean);
  return words.length > count ? `${words.slice(0, count).join(' ')}\u2026` : words.join(' ');
}

/**
 * Renders what reviewers said: each comment's markdown once, each thread's block once (rows under
 * its line come from a lookup the diff renderer consults per row), and the Conversation's events.
 */
export async function renderDiscussion(context: DiscussionContext): Promise<RenderedDiscussion> {
  const { patch, discussion, authors, highlight, files } = context;
  const placement: ThreadPlacement = placeThreads(patch, discussion.threads);

  const renderComment = async (comment: Comment, suggestion?: (code: string) => Promise<string>) => {
    const body = await renderMarkdown(comment.body, { headingOffset: 3, highlight, suggestion });
    const edited = comment.edited_at ? ` <span class="comment-edited">(edited ${timeHtml(comment.edited_at)})</span>` : '';
    return `<article class="comment"><p class="comment-meta">${personHtml(personOf(comment.author, authors))} ${timeHtml(comment.at)}${edited}</p><div class="prose comment-body">${body || '<p class="empty">(no text)</p>'}</div></article>`;
  };

  // Each thread's comments, rendered once and reused in the diff, in evidence and in the Conversation.
  const threadBodies = await Promise.all(
    discussion.threads.map(async (thread, index) => {
      const fileIndex = placement.fileOf.get(index);
      const stored = thread.outdated && thread.hunk ? parseStoredHunk(thread.hunk) : undefined;
      const language = fileIndex === undefined ? languageForPath(thread.file) : files[fileIndex]!.language;
      const source = stored ? stored.lines : fileIndex === undefined ? [] : patch.files[fileIndex]!.hunks.flatMap((hunk) => hunk.lines);
      const suggestion = (code: string) => renderSuggestion(commentedLines(source, thread), code, language, highlight);
      const comments = await Promise.all(thread.comments.map((comment) => renderComment(comment, suggestion)));
      const hunkHtml = stored ? await renderStoredHunk(stored.header, stored.lines, language, highlight, thread) : '';
      return { comments: comments.join(''), hunkHtml, text: thread.comments.map((comment) => comment.body).join('\n') };
    }),
  );

  const threadBlock = (index: number, mode: 'diff' | 'evidence' | 'conversation') => {
    const thread = discussion.threads[index]!;
    const anchor = threadAnchor(index);
    const idAttr = mode === 'evidence' ? '' : ` id="${anchor}"`;
    const fileIndex = placement.fileOf.get(index);
    const lineLink = fileIndex === undefined ? '' : `#${files[fileIndex]!.lineAnchor}${thread.side === 'new' ? 'R' : 'L'}${thread.line}`;
    const where = escapeHtml(describeWhere(thread));
    const outdated = thread.outdated ? ' <span class="thread-flag">outdated</span>' : '';
    const count = thread.comments.length === 1 ? '1 comment' : `${thread.comments.length} comments`;
    const heading =
      mode === 'evidence'
        ? `Thread on ${where} · ${count} · <a href="#${anchor}">in the diff</a>`
        : `<a href="#${anchor}">Thread on ${lineLink ? where : `${escapeHtml(thread.file)} ${where}`}</a>${outdated} · ${count}`;
    const body = `${mode === 'conversation' ? threadBodies[index]!.hunkHtml : ''}${threadBodies[index]!.comments}`;
    if (thread.resolved) {
      const first = thread.comments[0]!;
      const excerpt = `${escapeHtml(personOf(first.author, authors).name)}: ${escapeHtml(firstWords(first.body))}`;
      return `<details class="thread is-resolved"${idAttr}><summary><span class="thread-state"><span aria-hidden="true">\u2713 </span>resolved</span> <span class="thread-excerpt">${excerpt}</span> <span class="thread-count">(${count})</span></summary><p class="thread-heading">${heading}</p>${body}</details>`;
    }
    return `<div class="thread"${idAttr}><p class="thread-heading">${heading}</p>${body}</div>`;
  };

  // The full diff's rows get thread blocks with ids; an evidence copy gets the same blocks without ids.
  const cache = new Map<string, string>();
  const rowsAfter = (fileIndex: number, evidence: boolean) => {
    if (!placement.byFile[fileIndex]?.size) return undefined;
    return (line: DiffLine) => {
      const under = threadsUnder(placement, fileIndex, line);
      if (under.length === 0) return '';
      const key = `${evidence}:${under.join(',')}`;
      let html = cache.get(key);
      if (html === undefined) {
        html = `<tr class=t><td colspan=4>${under.map((index) => threadBlock(index, evidence ? 'evidence' : 'diff')).join('')}`;
        cache.set(key, html);
      }
      return html;
    };
  };

  const events: SiteConversationEvent[] = [];
  const reviewBodies = await Promise.all(discussion.reviews.map((review) => (review.body?.trim() ? renderMarkdown(review.body, { headingOffset: 3, highlight }) : Promise.resolve(''))));
  discussion.reviews.forEach((review, index) => {
    events.push({ kind: 'review', anchor: `review-${index + 1}`, at: review.submitted_at, person: personOf(review.author, authors), state: review.state, commit: review.commit, bodyHtml: reviewBodies[index] || undefined });
  });
  const commentBodies = await Promise.all(discussion.comments.map((comment) => renderMarkdown(comment.body, { headingOffset: 3, highlight })));
  discussion.comments.forEach((comment, index) => {
    events.push({ kind: 'comment', anchor: `comment-${index + 1}`, at: comment.at, person: personOf(comment.author, authors), bodyHtml: commentBodies[index], editedAt: comment.edited_at });
  });
  discussion.threads.forEach((thread, index) => {
    const fileIndex = placement.fileOf.get(index);
    const first = thread.comments[0]!;
    const summary: SiteThreadSummary = {
      anchor: threadAnchor(index),
      file: fileIndex === undefined ? thread.file : displayPath(patch.files[fileIndex]!),
      where: describeWhere(thread),
      resolved: thread.resolved,
      outdated: thread.outdated,
      comments: thread.comments.length,
      text: threadBodies[index]!.text,
      fileAnchor: fileIndex === undefined ? undefined : files[fileIndex]!.anchor,
      inCollapsedFile: fileIndex !== undefined && files[fileIndex]!.collapsed ? true : undefined,
      html: fileIndex === undefined ? threadBlock(index, 'conversation') : undefined,
    };
    events.push({ kind: 'thread', anchor: `event-${threadAnchor(index)}`, at: first.at, person: personOf(first.author, authors), thread: summary });
  });
  let previousHead: string | undefined;
  for (const run of context.runs) {
    if (previousHead !== undefined && run.head !== previousHead) {
      events.push({ kind: 'push', anchor: `push-${run.id}`, at: run.queued_at, text: 'New push', commit: run.head });
    }
    previousHead = run.head;
    events.push({ kind: 'ci', anchor: `event-ci-run-${run.id}`, at: run.queued_at, state: run.status, text: `CI run #${run.id}`, commit: run.head, href: `#ci-run-${run.id}` });
  }
  // The forge's record of who merged, when it has one, goes on the merge itself.
  const mergedBy = context.front.state === 'merged' ? discussion.events.find((activity) => activity.kind === 'merged') : undefined;
  discussion.events.forEach((activity, index) => {
    if (activity === mergedBy) return;
    events.push({ kind: 'activity', anchor: `activity-${index + 1}`, at: activity.at, person: personOf(activity.author, authors), state: activity.kind, text: activityText(activity) });
  });
  if (context.front.state === 'merged') {
    const person = mergedBy ? personOf(mergedBy.author, authors) : undefined;
    events.push({ kind: 'merge', anchor: 'merged', at: mergedBy?.at ?? context.front.updated, person, text: `${person ? 'merged' : 'Merged'} into ${context.front.target}`, commit: context.front.merge_commit });
  }
  // Time order; at the same instant the order above holds (a push before its CI run), since sort is stable.
  const time = new Map(events.map((event) => [event, Date.parse(event.at)]));
  events.sort((a, b) => time.get(a)! - time.get(b)!);

  // An approval taken back (GitLab's "unapproved") no longer stands: for the header it is a dismissal.
  const withdrawn = discussion.events.filter((activity) => activity.kind === 'unapproved').map((activity) => ({ author: activity.author, state: 'dismissed' as const, submitted_at: activity.at }));
  const reviewers: SiteReviewer[] = latestVerdicts([...discussion.reviews, ...withdrawn]).map(({ author, state, at }) => ({ person: personOf(author, authors), state, at }));
  const comments = discussion.comments.length + discussion.threads.reduce((sum, thread) => sum + thread.comments.length, 0);
  return { site: { reviewers, events, threads: discussion.threads.length, comments }, rowsAfter };
}

/** What the Conversation says after the person's name. */
export function activityText(activity: Activity): string {
  switch (activity.kind) {
    case 'pushed':
      return activity.commits ? `added ${activity.commits} ${activity.commits === 1 ? 'commit' : 'commits'}` : 'pushed new commits';
    case 'merged':
      return 'merged';
    case 'unapproved':
      return 'took back their approval';
    case 'ready':
      return 'marked it as ready for review';
    case 'draft':
      return 'marked it as a draft';
  }
}

/** The review counts a feed card and the review filter need. */
export function reviewSummary(discussion: SiteDiscussion | undefined): Record<ReviewState, number> & { comments: number } {
  const counts = countReviews(discussion?.reviewers.map((reviewer) => reviewer.state) ?? []);
  return { ...counts, comments: discussion?.comments ?? 0 };
}

/** A suggestion as GitHub shows it: the commented lines removed, the suggested ones added. */
export async function renderSuggestion(commented: readonly DiffLine[], code: string, language: string, highlight: DiscussionContext['highlight']): Promise<string> {
  const suggested = code === '' ? [] : code.split('\n');
  const lines: DiffLine[] = [...commented.map((line) => ({ kind: 'del' as const, text: line.text })), ...suggested.map((text) => ({ kind: 'add' as const, text }))];
  const [html = []] = await highlight({ language, hunks: [lines.map(({ kind, text }) => ({ kind, text }))] });
  return `<figure class="suggestion"><figcaption>Suggested change</figcaption><div class="diff-scroll" tabindex="0" role="group" aria-label="Suggested change"><table class="diff-table"><tbody>${renderRows(lines, html)}</tbody></table></div></figure>`;
}

async function renderStoredHunk(header: string, lines: DiffLine[], language: string, highlight: DiscussionContext['highlight'], thread: Thread): Promise<string> {
  const [html = []] = await highlight({ language, hunks: [lines.map(({ kind, text }) => ({ kind, text }))] });
  const label = `Outdated hunk of ${thread.file}, ${header}`;
  return `<figure class="evidence thread-hunk"><figcaption class="evidence-caption"><code class="path">${escapeHtml(thread.file)}</code> <code class="hunk-range">${escapeHtml(header)}</code> <span class="thread-flag">outdated</span></figcaption><div class="diff-scroll" tabindex="0" role="group" aria-label="${escapeHtml(label)}"><table class="diff-table" aria-label="${escapeHtml(label)}"><tbody>${renderRows(lines, html)}</tbody></table></div></figure>`;
}

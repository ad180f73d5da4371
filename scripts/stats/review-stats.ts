import type { SiteBranch } from '../schema/site.ts';
import type { BranchFacts, SiteStats } from '../schema/stats.ts';

/**
 * What the review figures need of a branch with a discussion. The format has no opening time, so
 * the earliest thing the archive records of the branch (a CI run, a comment, a review) stands for it.
 */
export function reviewFacts(branch: SiteBranch): BranchFacts['review'] {
  const discussion = branch.discussion;
  if (!discussion) return undefined;
  const times = [...branch.runs.map((run) => run.queuedAt), ...discussion.events.filter((e) => e.kind === 'review' || e.kind === 'comment' || e.kind === 'thread').map((e) => e.at)];
  const reviewTimes = discussion.events.filter((e) => e.kind === 'review').map((e) => e.at);
  const byPerson = new Map<string, { reviews: number; comments: number }>();
  for (const event of discussion.events) {
    const name = event.person?.name;
    // People commenting on their own branch are answering, not reviewing.
    if (!name || name === branch.author) continue;
    const tally = byPerson.get(name) ?? { reviews: 0, comments: 0 };
    if (event.kind === 'review') tally.reviews++;
    else if (event.kind === 'comment') tally.comments++;
    else if (event.kind === 'thread') tally.comments++;
    byPerson.set(name, tally);
  }
  return {
    opened: earliest(times),
    firstReview: reviewTimes.length ? earliest(reviewTimes) : undefined,
    reviewers: [...byPerson].map(([name, tally]) => ({ name, ...tally })).sort((a, b) => compareText(a.name, b.name)),
  };
}

const HOUR = 3_600_000;

/** Median hours from opening to first review and to merge, per month the branch opened (UTC), and the most active reviewers. */
export function reviewStats(branches: readonly BranchFacts[], top: number): SiteStats['reviews'] {
  const withReview = branches.filter((branch) => branch.review);
  const months = new Map<string, { opened: number; first: number[]; merge: number[] }>();
  for (const branch of withReview) {
    const review = branch.review!;
    const month = review.opened.slice(0, 7);
    const entry = months.get(month) ?? { opened: 0, first: [], merge: [] };
    entry.opened++;
    const opened = Date.parse(review.opened);
    if (review.firstReview) entry.first.push(Math.max(0, Date.parse(review.firstReview) - opened) / HOUR);
    if (branch.state === 'merged') entry.merge.push(Math.max(0, Date.parse(branch.updated) - opened) / HOUR);
    months.set(month, entry);
  }
  const perMonth = [...months]
    .sort(([a], [b]) => compareText(a, b))
    .map(([month, entry]) => ({ month, branches: entry.opened, firstReviewHours: median(entry.first), mergeHours: median(entry.merge) }));
  const people = new Map<string, { reviews: number; comments: number }>();
  for (const reviewer of withReview.flatMap((branch) => branch.review!.reviewers)) {
    const tally = people.get(reviewer.name) ?? { reviews: 0, comments: 0 };
    tally.reviews += reviewer.reviews;
    tally.comments += reviewer.comments;
    people.set(reviewer.name, tally);
  }
  const ranked = [...people]
    .map(([name, tally]) => ({ name, ...tally, total: tally.reviews + tally.comments }))
    .sort((a, b) => b.total - a.total || b.reviews - a.reviews || compareText(a.name, b.name));
  return { branches: withReview.length, perMonth, reviewers: ranked.slice(0, top), moreReviewers: Math.max(0, ranked.length - top) };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function earliest(times: string[]): string {
  return times.reduce((best, time) => (Date.parse(time) < Date.parse(best) ? time : best));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { Review, ReviewState } from '../schema/discussion.ts';

/**
 * Each reviewer's standing verdict, as forges show it beside a pull request: the latest review
 * that decided something. A later "commented" review does not undo an approval or a change request
 * (it is a remark), but stands when the reviewer never decided; "dismissed" replaces what it dismissed.
 * In the order reviewers first reviewed.
 */
export function latestVerdicts(reviews: readonly Review[]): Array<{ author: string; state: ReviewState; at: string }> {
  const ordered = reviews.map((review, index) => ({ review, index, time: Date.parse(review.submitted_at) })).sort((a, b) => a.time - b.time || a.index - b.index);
  const verdicts = new Map<string, { author: string; state: ReviewState; at: string }>();
  for (const { review } of ordered) {
    const current = verdicts.get(review.author);
    if (review.state === 'commented' && current && current.state !== 'commented') continue;
    verdicts.set(review.author, { author: review.author, state: review.state, at: review.submitted_at });
  }
  return [...verdicts.values()];
}

export function countReviews(states: readonly ReviewState[]): Record<ReviewState, number> {
  const counts: Record<ReviewState, number> = { approved: 0, changes_requested: 0, commented: 0, dismissed: 0 };
  for (const state of states) counts[state]++;
  return counts;
}

/** How a verdict reads on the page, with a sign so that colour is never the only cue. */
export const VERDICT_WORDS: Record<ReviewState, { sign: string; text: string }> = {
  approved: { sign: '\u2713', text: 'approved' },
  changes_requested: { sign: '\u00b1', text: 'changes requested' },
  commented: { sign: '\u25cb', text: 'commented' },
  dismissed: { sign: '\u2013', text: 'dismissed' },
};

/** A feed card's line: `2 approved · 1 changes requested · 14 comments` (only what occurs). */
export function reviewCountsLine(counts: Record<ReviewState, number> & { comments: number }): string {
  const parts = (['approved', 'changes_requested', 'commented', 'dismissed'] as const).filter((state) => counts[state] > 0).map((state) => `${counts[state]} ${VERDICT_WORDS[state].text}`);
  if (counts.comments > 0) parts.push(`${counts.comments} ${counts.comments === 1 ? 'comment' : 'comments'}`);
  return parts.join(' \u00b7 ');
}

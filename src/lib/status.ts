/**
 * The colour family of a status word. Colour is only an extra cue: every chip also says its
 * status in words. One table for branch states, tutorial statuses, CI runs and lanes, since a word
 * (`failed`, `none`) means the same thing wherever it appears.
 */
export type Tone = 'success' | 'danger' | 'attention' | 'accent' | 'done' | 'neutral';

const TONES: Record<string, Tone> = {
  open: 'success',
  merged: 'done',
  closed: 'neutral',
  ready: 'success',
  pending: 'attention',
  success: 'success',
  failed: 'danger',
  running: 'accent',
  queued: 'attention',
  cancelled: 'neutral',
  skipped: 'neutral',
  none: 'neutral',
};

export function toneOf(status: string): Tone {
  return TONES[status] ?? 'neutral';
}

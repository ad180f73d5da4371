import { ratio, seconds, withCpu, type Figure } from './figures.ts';

/** How a peer's run ended: its times, and whether it was stopped at the bench's CPU time limit. */
export interface PeerOutcome {
  ms: number;
  cpuMs?: number;
  /** Stopped at `limitSeconds` of CPU time before it finished (scripts/bench/measured-run.ts). */
  stoppedAtLimit?: boolean;
  limitSeconds: number;
  /** Where it was when it was stopped (say, the diff it was rendering), if it said. */
  stoppedAt?: string;
}

/** What the peer took, in words: its times, or that it did not finish within the limit. */
export function peerTime(outcome: PeerOutcome): string {
  if (!outcome.stoppedAtLimit) return withCpu(outcome);
  const where = outcome.stoppedAt ? `, at ${outcome.stoppedAt}` : '';
  return `did not finish in ${outcome.limitSeconds} s of CPU (stopped after ${seconds(outcome.ms)} wall${where})`;
}

/**
 * Our cold build against a peer, beside the target (at most `target` times the peer's wall time).
 * A peer that did not finish would have taken longer than it ran, so the ratio is only a bound,
 * printed as "< X": it meets the target when the bound does, and is not known otherwise.
 */
export function coldVersusPeer(name: string, cold: { ms: number; cpuMs?: number }, peer: PeerOutcome, target: number): Figure[] {
  const wall = cold.ms / peer.ms;
  const targetText = `≤ ${target.toFixed(2)}×`;
  const figures: Figure[] = [
    peer.stoppedAtLimit
      ? { name: `cold build vs ${name}`, value: `< ${ratio(wall)} its time`, target: targetText, met: wall <= target ? true : 'unknown' }
      : { name: `cold build vs ${name}`, value: `${ratio(wall)} its time`, target: targetText, met: wall <= target },
  ];
  // Context for a shared machine: CPU time does not grow with the load as wall time does, but it
  // counts both of our cores' work against one core of the peer's, so it is not the target.
  if (cold.cpuMs !== undefined) {
    const peerCpuMs = peer.stoppedAtLimit ? 1000 * peer.limitSeconds : peer.cpuMs;
    if (peerCpuMs !== undefined) figures.push({ name: `cold build CPU vs ${name} CPU`, value: `${peer.stoppedAtLimit ? '< ' : ''}${ratio(cold.cpuMs / peerCpuMs)}` });
  }
  return figures;
}

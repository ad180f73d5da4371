import { describe, expect, it } from 'vitest';
import { chooseWorker, planWorkers, type WorkerLoad } from '../../../scripts/render/highlight-pool.ts';

const worker = (queuedLines: number, hasLanguage = false, retiring = false): WorkerLoad => ({ queuedLines, hasLanguage, retiring });

describe('chooseWorker: which highlighting worker a file goes to', () => {
  it('sends a language no worker has met to the least loaded worker, ties to the first', () => {
    expect(chooseWorker([worker(300), worker(100)])).toBe(1);
    expect(chooseWorker([worker(0), worker(0)])).toBe(0);
  });

  it('keeps a language with the worker that has it, even when another is idle, so its grammars and remembered lines are not made twice', () => {
    expect(chooseWorker([worker(0), worker(1500, true)], 2000)).toBe(1);
  });

  it('spreads a language to an idle worker once those that have it have more than the spread limit waiting', () => {
    expect(chooseWorker([worker(2500, true), worker(0)], 2000)).toBe(1);
    // Not to a worker that is busy with other languages: it would only wait there.
    expect(chooseWorker([worker(2500, true), worker(10)], 2000)).toBe(0);
  });

  it('among workers that have the language, picks the least loaded', () => {
    expect(chooseWorker([worker(900, true), worker(40, true), worker(0)], 2000)).toBe(1);
  });

  it('sends a language no worker has yet to the worker planned for it, even when that one is busier', () => {
    expect(chooseWorker([worker(0), { ...worker(800), planned: true }], 2000)).toBe(1);
  });

  it('passes over a retiring worker while another can take the file, and uses one when all are retiring', () => {
    expect(chooseWorker([worker(0, true, true), worker(5000, false)], 2000)).toBe(1);
    expect(chooseWorker([worker(70, true, true), worker(20, false, true)], 2000)).toBe(0);
  });
});

describe('planWorkers: languages shared out before highlighting starts', () => {
  it('puts the two largest languages on different workers and evens out the rest', () => {
    // The generated corpus's lines per language: taken on first sight, Rust and TypeScript could share a worker.
    const corpus = new Map([['go', 42_134], ['ts', 107_441], ['rs', 109_957], ['kt', 68_885], ['py', 44_009], ['yaml', 37_604], ['swift', 61_841]]);
    const plan = planWorkers(corpus, 2);
    expect(plan.get('rs')).not.toBe(plan.get('ts'));
    const load = [0, 0];
    for (const [language, slot] of plan) load[slot]! += corpus.get(language)!;
    expect(Math.abs(load[0]! - load[1]!)).toBeLessThan(45_000);
  });

  it('gives the same plan whatever order the languages come in', () => {
    const a = planWorkers(new Map([['a', 10], ['b', 10], ['c', 5]]), 2);
    const b = planWorkers(new Map([['c', 5], ['b', 10], ['a', 10]]), 2);
    expect([...b].sort()).toEqual([...a].sort());
  });
});

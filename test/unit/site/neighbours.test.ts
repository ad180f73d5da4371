import { expect, it } from 'vitest';
import { branchNeighbours } from '../../../scripts/build/neighbours.ts';

it('links each branch to the next lower and higher id, whatever the input order', () => {
  const neighbours = branchNeighbours([
    { id: 12, name: 'c', title: 'C' },
    { id: 3, name: 'a', title: 'A' },
    { id: 7, name: 'b', title: 'B' },
  ]);
  expect(neighbours.get(3)).toEqual({ previous: undefined, next: { id: 7, name: 'b', title: 'B' } });
  expect(neighbours.get(7)).toEqual({ previous: { id: 3, name: 'a', title: 'A' }, next: { id: 12, name: 'c', title: 'C' } });
  expect(neighbours.get(12)).toEqual({ previous: { id: 7, name: 'b', title: 'B' }, next: undefined });
});

it('gives a lone branch no neighbours', () => {
  expect(branchNeighbours([{ id: 1, name: 'a', title: 'A' }]).get(1)).toEqual({ previous: undefined, next: undefined });
});

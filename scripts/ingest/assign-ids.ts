/** A branch that needs an id. */
export interface IdRequest {
  /** Stable key: `merge:<sha>` or `open:<name>`. */
  key: string;
  kind: 'merged' | 'open';
  name: string;
  /** The pull-request number its message names, if any. */
  number?: number;
  updated: string;
}

/** An id ingest gave earlier, as recorded in the state file. */
export interface RecordedId {
  id: number;
  name: string;
  updated: string;
}

export interface IdInput {
  requests: readonly IdRequest[];
  /** State file entries by key. */
  recorded: ReadonlyMap<string, RecordedId>;
  /** Ids of branch folders ingest did not write (by hand, by import): never reused. */
  foreignIds: readonly number[];
  /** Every pull-request number in the target's whole history, inside the window or not. */
  knownNumbers: readonly number[];
}

export interface IdResult {
  ids: Map<string, number>;
  /** Merged branch key → the `open:<name>` key whose id (and folder) it took over. */
  adopted: Map<string, string>;
  /** Ids that could not be the pull-request number, and why. */
  notes: string[];
}

/**
 * Gives every branch its id. Pure and deterministic:
 * 1. an id recorded earlier never changes;
 * 2. a branch that was open and is now merged keeps the id it had while open;
 * 3. a pull request gets its number, unless that id is already taken;
 * 4. everything else gets new ids above every id and pull-request number seen, oldest first.
 */
export function assignIds(input: IdInput): IdResult {
  const ids = new Map<string, number>();
  const adopted = new Map<string, string>();
  const notes: string[] = [];
  const owners = new Map<number, string>();
  for (const [key, entry] of input.recorded) owners.set(entry.id, key);
  for (const id of input.foreignIds) if (!owners.has(id)) owners.set(id, 'a branch folder ingest did not write');

  const waiting: IdRequest[] = [];
  for (const request of input.requests) {
    const recorded = input.recorded.get(request.key);
    if (recorded) ids.set(request.key, recorded.id);
    else waiting.push(request);
  }

  const stillOpen = new Set(input.requests.filter((r) => r.kind === 'open').map((r) => r.key));
  const fresh: IdRequest[] = [];
  for (const request of oldestFirst(waiting)) {
    const openKey = `open:${request.name}`;
    const open = input.recorded.get(openKey);
    if (request.kind === 'merged' && open && !stillOpen.has(openKey) && ![...adopted.values()].includes(openKey) && Date.parse(open.updated) <= Date.parse(request.updated)) {
      ids.set(request.key, open.id);
      adopted.set(request.key, openKey);
      continue;
    }
    if (request.number !== undefined) {
      const owner = owners.get(request.number);
      if (owner === undefined) {
        ids.set(request.key, request.number);
        owners.set(request.number, request.key);
        continue;
      }
      notes.push(`pull request #${request.number} (${request.name}) cannot have id ${request.number}: it belongs to ${owner}; it gets a new id`);
    }
    fresh.push(request);
  }

  let next = Math.max(0, ...owners.keys(), ...input.knownNumbers) + 1;
  for (const request of fresh) {
    ids.set(request.key, next);
    owners.set(next, request.key);
    next++;
  }
  return { ids, adopted, notes };
}

function oldestFirst(requests: IdRequest[]): IdRequest[] {
  return [...requests].sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated) || a.key.localeCompare(b.key));
}

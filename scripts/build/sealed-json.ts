import { createHash } from 'node:crypto';

/**
 * A cache file that carries the sha256 of its own text, so a reader tells a file cut short or
 * changed since it was written (a full disk, a crash, a flipped byte, a hand edit) from a good one,
 * whatever its size. The seal is the object's first field, so a sealed file is still one JSON object
 * for readers that only want a field of it.
 */

const SEAL = /^\{"sha256":"([0-9a-f]{64})",/;

/** `json` (an object with at least one field, as JSON.stringify writes it) with its hash in front. */
export function sealJson(json: string): string {
  return `{"sha256":"${sha256(json)}",${json.slice(1)}`;
}

export type Unsealed = { kind: 'ok'; json: string } | { kind: 'damaged' };

/** The text `sealJson` was given, if `text` is still exactly what it wrote. */
export function unsealJson(text: string): Unsealed {
  const seal = SEAL.exec(text);
  if (!seal) return { kind: 'damaged' };
  const json = `{${text.slice(seal[0].length)}`;
  return sha256(json) === seal[1] ? { kind: 'ok', json } : { kind: 'damaged' };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

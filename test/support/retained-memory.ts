import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface RetainedMemory {
  heapUsed: number;
  arrayBuffers: number;
}

/**
 * What this thread keeps alive once garbage is collected: the JavaScript heap and the memory of
 * ArrayBuffers (Buffers). V8 frees dead ArrayBuffers' memory on a background thread after a
 * collection, so the count read right after one `gc()` can still hold buffers already dead (seen
 * under load: 14.2 MB counted, 2.0 MB a moment later). The next collection first waits for that
 * sweep, so collecting twice, with a turn of the event loop between, reads what is really kept.
 */
export async function retainedMemory(): Promise<RetainedMemory> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

import { parentPort } from 'node:worker_threads';
import { highlightFile, type HighlightRequest } from './highlight-file.ts';
import { classesUsed } from './tokenizer.ts';

/** A highlighting worker: grammars load once here and serve every file this worker gets. */
const port = parentPort!;
let classesSent = 0;

port.on('message', async ({ id, request }: { id: number; request: HighlightRequest }) => {
  try {
    const lines = await highlightFile(request);
    // Classes are append-only; send the main thread only those it has not seen from this worker.
    const classes = classesUsed().slice(classesSent);
    classesSent += classes.length;
    port.postMessage({ id, lines, classes });
  } catch (error) {
    port.postMessage({ id, error: (error as Error).stack ?? String(error) });
  }
});

import { parentPort } from 'node:worker_threads';
import { highlightFile, type HighlightRequest } from './highlight-file.ts';
import { classesUsed, engineFor, tokenizerFor } from './tokenizer.ts';

/** A highlighting worker: grammars load once here and serve every file this worker gets. */
const port = parentPort!;
let classesSent = 0;
/** Files are taken up one at a time, so the pool's watchdog times each file alone. */
let queue: Promise<void> = Promise.resolve();

port.on('message', ({ id, request }: { id: number; request: HighlightRequest }) => {
  queue = queue.then(async () => {
    try {
      // Loading a grammar can take seconds on a busy machine; the watchdog times the tokenizing only.
      await tokenizerFor(request.language, request.engine ?? engineFor(request.language));
      port.postMessage({ id, started: true });
      const lines = await highlightFile(request, undefined, () => port.postMessage({ id, started: true }));
      // Classes are append-only; send the main thread only those it has not seen from this worker.
      const classes = classesUsed().slice(classesSent);
      classesSent += classes.length;
      port.postMessage({ id, lines, classes });
    } catch (error) {
      port.postMessage({ id, error: (error as Error).stack ?? String(error) });
    }
  });
});

/**
 * For test/unit/site-swap.test.ts: swaps `<staging>` into `<out>` and kills this very process
 * (SIGKILL, no clean-up of any kind) right after the named step, as a power cut or `kill -9` would.
 * Usage: node test/support/swap-and-die.ts <staging> <out> <step>
 */
import { swapInto, type SwapStep } from '../../scripts/build/site-swap.ts';

const [staging, out, killAfter] = process.argv.slice(2) as [string, string, SwapStep];
await swapInto(staging, out, (step) => {
  if (step === killAfter) process.kill(process.pid, 'SIGKILL');
});

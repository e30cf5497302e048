// Entry of the page bundle that runs the MLS workload in Chromium (bench/crypto/chromium.ts).
import { runMlsWorkload } from './mls-workload.ts';

(globalThis as unknown as { runMlsWorkload: typeof runMlsWorkload }).runMlsWorkload =
  runMlsWorkload;

// One contender in home-lock.test.ts: waits for the start signal, tries to lock the home, says
// whether it won, and holds on until told to stop.
import { existsSync, writeFileSync } from 'node:fs';
import { lockHome } from '../src/home-lock.ts';

const [home = '', go = '', done = ''] = process.argv.slice(2);
writeFileSync(`${go}.ready.${process.pid}`, '');
while (!existsSync(go)) {
  // Spin: every contender starts the moment the signal appears.
}
let outcome = 'won';
try {
  lockHome(home);
} catch (e) {
  outcome =
    e instanceof Error && /Another rchat process/.test(e.message) ? 'held' : `failed: ${String(e)}`;
}
process.stdout.write(`${outcome}\n`);
// A winner keeps the lock (and its process) until every contender has decided.
const wait = setInterval(() => {
  if (existsSync(done)) clearInterval(wait);
}, 20);

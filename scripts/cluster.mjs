// `npm run cluster`: rchat scaled out on this machine (see deploy/README.md).
// The runner is TypeScript (scripts/cluster/), shared with the cluster tests.
import { register } from 'tsx/esm/api';

register();
await import('./cluster/cli.ts');

// Browser-only parts of the SDK.
export { openIndexedDbStorage } from './storage/indexeddb-storage.ts';

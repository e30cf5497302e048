// Node-only parts of the SDK.
export { openFileStorage } from './storage/file-storage.ts';

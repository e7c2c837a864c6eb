export { openStore, assertWritable, type KeyValueStore, type StoreKind } from './key-value-store.js';
export * from './repositories.js';

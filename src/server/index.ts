/** The server's public surface: the CLI's `bulwark server` and the tests use these. */
export { buildApp, DEFAULT_MAX_REPORT_BYTES, type AppOptions } from './app.js';
export { bootstrapAdmin, type Bootstrap } from './auth/bootstrap.js';
export { describeStore, openStore, type Store, type StoreOptions } from './store/open.js';
export { ingestReport, type IngestResult } from './store/ingest.js';
export { rematch, inventoryOfReport, type RematchResult } from './rematch.js';

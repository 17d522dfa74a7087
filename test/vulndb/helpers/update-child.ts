// Child process for the interruption test: runs one `db update` and is killed with SIGKILL midway.
import { updateDb } from '../../../src/vulndb/index.js';

const [dbPath, mirror] = process.argv.slice(2);
if (!dbPath || !mirror) throw new Error('usage: update-child <db> <mirror>');
await updateDb({ dbPath, mirror, force: true, fetch: { retries: 0 } });
process.stdout.write('finished\n');

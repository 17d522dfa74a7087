// Runs the CLI from source (tests do not depend on a build): node --import tsx test/cli/run-cli.ts <args>
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

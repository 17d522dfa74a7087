// Runs the real CLI entry (`main`) from source, as `bin/bulwark.js` does from dist/.
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

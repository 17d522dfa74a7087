// Runs one exported bench function in this process and prints its results as the last stdout line.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulePath, fn, ...args] = process.argv.slice(2);
const mod = (await import(pathToFileURL(path.resolve(import.meta.dirname, modulePath!)).href)) as Record<
  string,
  (...a: string[]) => Promise<unknown>
>;
const f = mod[fn!];
if (typeof f !== 'function') throw new Error(`${modulePath} has no export ${fn}`);
const result = await f(...args);
process.stdout.write(`\n${JSON.stringify(result)}\n`);

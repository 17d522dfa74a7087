import os from 'node:os';
import path from 'node:path';

/** Environment the path helpers read; features receive it rather than reading process.env. */
export interface PathEnv {
  XDG_CACHE_HOME?: string | undefined;
  HOME?: string | undefined;
}

/** `$XDG_CACHE_HOME/bulwark`, else `~/.cache/bulwark` (XDG base directory spec). */
export function defaultCacheDir(env: PathEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'bulwark');
  return path.join(env.HOME || os.homedir(), '.cache', 'bulwark');
}

/** The vulnerability database lives in the cache directory: it can always be rebuilt. */
export function defaultDbPath(cacheDir: string): string {
  return path.join(cacheDir, 'db', 'bulwark.db');
}

/** Layer-analysis cache directory inside the cache directory. */
export function layerCacheDir(cacheDir: string): string {
  return path.join(cacheDir, 'layers');
}

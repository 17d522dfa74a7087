/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir, `pg_ctl start` on a free
 * loopback port with its unix socket in the same dir, stopped and removed by `stop()`. Nothing is
 * skipped: without Debian's postgresql the test fails and says how to get it. As root (CI), the
 * cluster runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export interface PostgresCluster {
  /** URL of the cluster's `postgres` database */
  url: string;
  port: number;
  dir: string;
  /** a fresh, empty database on the cluster; its URL */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function findBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root))
    for (const v of readdirSync(root).sort().reverse()) {
      const p = path.join(root, v, 'bin', name);
      if (existsSync(p)) return p;
    }
  throw new Error(
    `PostgreSQL's ${name} was not found (PATH or /usr/lib/postgresql/*/bin): run scripts/install-test-deps.sh to install Debian's postgresql`,
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const out = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
  const uid = Number(out[2]);
  const gid = Number(out[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error('running as root and no postgres user: run scripts/install-test-deps.sh');
  return { uid, gid };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  const user = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const spawnOpts = { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  await execFileP(initdb, ['-D', data, '-A', 'trust', '-U', 'bulwark', '-E', 'UTF8', '--no-sync'], spawnOpts);
  let port = 0;
  let started = false;
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    port = await freePort();
    try {
      await execFileP(
        pgCtl,
        [
          '-D',
          data,
          '-l',
          path.join(dir, 'server.log'),
          '-w',
          '-t',
          '60',
          '-o',
          `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
          'start',
        ],
        spawnOpts,
      );
      started = true;
    } catch (e) {
      if (attempt === 4) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  const url = `postgres://bulwark@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    url,
    port,
    dir,
    async newDatabase() {
      const { default: pg } = await import('pg');
      const name = `t${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://bulwark@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        await execFileP(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], spawnOpts);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * What `bulwark host` learned about a Docker host, gathered by `collect.ts` (the only I/O) and
 * checked by the pure `daemon` and `host` rules. Paths are host paths (`/etc/docker`), never the
 * `--root` they were read under. Plain JSON, so rule tests write facts directly.
 */
export interface FileFact {
  path: string;
  exists: boolean;
  uid?: number;
  gid?: number;
  /** permission bits only (`0o644`) */
  mode?: number;
  type?: 'file' | 'dir' | 'socket' | 'other';
}

/** Daemon flags from a command line (`ExecStart=`, `DOCKER_OPTS=`), with where they were found. */
export interface CommandLine {
  path: string;
  line: number;
  args: string[];
}

export interface HostFacts {
  /** the filesystem root read (`/` on a live host) */
  root: string;
  daemonJson?: { path: string; values: Record<string, unknown>; lines: Record<string, number> };
  /** the effective `ExecStart=` of docker.service after drop-ins */
  execStart?: CommandLine;
  /** `DOCKER_OPTS` of `/etc/default/docker` or `/etc/sysconfig/docker` */
  dockerOpts?: CommandLine;
  /** host path of the docker.service unit found, if any */
  serviceUnit?: string;
  files: FileFact[];
  /** numeric gid of group `docker` in `<root>/etc/group`, and its members */
  dockerGroup?: { gid: number; members: string[] };
  /** audit watch paths; absent when no audit rules file was found */
  audit?: { sources: string[]; watched: string[] };
  /** mount points from fstab and mountinfo; absent when neither could be read */
  mounts?: { sources: string[]; mountPoints: string[] };
  /** the live daemon's `/info` and `/version`, when asked and reachable */
  live?: { host: string; info?: Record<string, unknown>; version?: Record<string, unknown> };
}

/** Host paths whose ownership and permissions CIS Docker section 3 fixes. */
export interface FileExpectation {
  path: string;
  owner: 'root:root' | 'root:docker';
  /** most permissive mode allowed */
  maxMode: number;
  cisOwner: string;
  cisMode: string;
}

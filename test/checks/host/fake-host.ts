import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Builds a Docker host's files in a temp folder (tests run as root, so ownership is real):
 * `files` maps host paths to content, uid, gid and mode; `sockets` become real unix sockets.
 */
export interface FakeFile {
  content?: string;
  uid?: number;
  gid?: number;
  mode?: number;
  dir?: boolean;
}

export async function buildHost(
  files: Record<string, FakeFile>,
  sockets: Record<string, FakeFile> = {},
): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bulwark-host-'));
  for (const [p, f] of Object.entries(files)) {
    const full = path.join(root, p);
    if (f.dir) await mkdir(full, { recursive: true });
    else {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, f.content ?? '');
    }
    await chown(full, f.uid ?? 0, f.gid ?? 0);
    await chmod(full, f.mode ?? (f.dir ? 0o755 : 0o644));
  }
  for (const [p, f] of Object.entries(sockets)) {
    const full = path.join(root, p);
    await mkdir(path.dirname(full), { recursive: true });
    // a bound AF_UNIX socket file stays after the binding process exits
    execFileSync('/usr/bin/python3', [
      '-c',
      'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      full,
    ]);
    await chown(full, f.uid ?? 0, f.gid ?? 0);
    await chmod(full, f.mode ?? 0o660);
  }
  return root;
}

export const DOCKER_SERVICE = `[Unit]
Description=Docker Application Container Engine
Documentation=https://docs.docker.com
After=network-online.target docker.socket firewalld.service containerd.service time-set.target
Wants=network-online.target containerd.service
Requires=docker.socket

[Service]
Type=notify
# the default is not to use systemd for cgroups because the delegate issues still
# exists and systemd currently does not support the cgroup feature set required
# for containers run by docker
ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
ExecReload=/bin/kill -s HUP $MAINPID
TimeoutStartSec=0
RestartSec=2
Restart=always

[Install]
WantedBy=multi-user.target
`;

export const DOCKER_SOCKET = `[Unit]
Description=Docker Socket for the API

[Socket]
ListenStream=/run/docker.sock
SocketMode=0660
SocketUser=root
SocketGroup=docker

[Install]
WantedBy=sockets.target
`;

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Analyzer } from '../../src/inventory/types.js';
import type { OsEcosystemFn } from '../../src/image/index.js';

export interface EntrySpec {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
  /** permission bits, setuid/setgid included (default 0644 files, 0755 directories) */
  mode?: number;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export interface BuiltLayer {
  blob: Buffer;
  tar: Buffer;
  digest: string;
  diffId: string;
  mediaType: string;
}

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export async function buildTar(entries: EntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(e.linkname ? { linkname: e.linkname } : {}),
    };
    if (type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function compress(data: Buffer, kind: Compression): Buffer {
  if (kind === 'gzip') return gzipSync(data);
  if (kind === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  return data;
}

export async function buildLayer(entries: EntrySpec[], kind: Compression = 'gzip'): Promise<BuiltLayer> {
  const t = await buildTar(entries);
  const blob = compress(t, kind);
  const mediaType =
    kind === 'gzip'
      ? 'application/vnd.oci.image.layer.v1.tar+gzip'
      : kind === 'zstd'
        ? 'application/vnd.oci.image.layer.v1.tar+zstd'
        : 'application/vnd.oci.image.layer.v1.tar';
  return { blob, tar: t, digest: sha256(blob), diffId: sha256(t), mediaType };
}

export function imageConfig(layers: { diffId: string }[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created_by: `step ${i}` })),
      ...extra,
    }),
  );
}

export async function tmpDir(prefix = 'bulwark-img-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

async function writeBlob(dir: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  await mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(path.join(dir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

export interface OciImageSpec {
  layers: BuiltLayer[];
  config?: Buffer;
  tag?: string;
  platform?: { os: string; architecture: string; variant?: string };
  /** override the digests listed in the manifest (tests of wrong digests) */
  layerDigests?: string[];
}

/** Writes an OCI image layout directory; several images make an index with platforms/tags. */
export async function writeOciLayout(dir: string, images: OciImageSpec[], nested = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const descs = [];
  for (const img of images) {
    for (const l of img.layers) await writeBlob(dir, l.blob);
    const cfg = await writeBlob(dir, img.config ?? imageConfig(img.layers));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
        layers: img.layers.map((l, i) => ({
          mediaType: l.mediaType,
          digest: img.layerDigests?.[i] ?? l.digest,
          size: l.blob.length,
        })),
      }),
    );
    const m = await writeBlob(dir, manifest);
    descs.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...m,
      ...(img.platform ? { platform: img.platform } : {}),
      ...(img.tag && !nested ? { annotations: { 'org.opencontainers.image.ref.name': img.tag } } : {}),
    });
  }
  let top = descs;
  if (nested) {
    const idx = await writeBlob(
      dir,
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: descs,
        }),
      ),
    );
    top = [
      {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        ...idx,
        annotations: { 'org.opencontainers.image.ref.name': images[0]?.tag ?? 'latest' },
      },
    ];
  }
  await writeFile(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: top }));
}

/** A `docker save` tar: legacy (`<id>/layer.tar`, plain tars) or Docker 25+ (OCI blobs inside). */
export async function writeDockerArchive(
  file: string,
  layers: BuiltLayer[],
  opts: { layout: 'legacy' | 'oci'; repoTags?: string[]; config?: Buffer; sharedLayerSymlink?: boolean } = {
    layout: 'legacy',
  },
): Promise<void> {
  const config = opts.config ?? imageConfig(layers);
  const entries: EntrySpec[] = [];
  const cfgHex = sha256(config).slice(7);
  const layerPaths: string[] = [];
  if (opts.layout === 'legacy') {
    entries.push({ name: `${cfgHex}.json`, content: config });
    layers.forEach((l, i) => {
      const id = createHash('sha256').update(`layer${i}`).digest('hex');
      entries.push({ name: `${id}/`, type: 'directory' });
      if (opts.sharedLayerSymlink && i > 0) {
        entries.push({
          name: `${id}/layer.tar`,
          type: 'symlink',
          linkname: `../${layerPaths[0]!.split('/')[0]}/layer.tar`,
        });
      } else entries.push({ name: `${id}/layer.tar`, content: l.blob });
      entries.push({ name: `${id}/VERSION`, content: '1.0' });
      layerPaths.push(`${id}/layer.tar`);
    });
  } else {
    entries.push({ name: 'oci-layout', content: JSON.stringify({ imageLayoutVersion: '1.0.0' }) });
    entries.push({ name: `blobs/sha256/${cfgHex}`, content: config });
    for (const l of layers) {
      entries.push({ name: `blobs/sha256/${l.digest.slice(7)}`, content: l.blob });
      layerPaths.push(`blobs/sha256/${l.digest.slice(7)}`);
    }
    entries.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [] }) });
  }
  const manifest = [
    {
      Config: opts.layout === 'legacy' ? `${cfgHex}.json` : `blobs/sha256/${cfgHex}`,
      RepoTags: opts.repoTags ?? ['example:1'],
      Layers: layerPaths,
    },
  ];
  entries.push({ name: 'manifest.json', content: JSON.stringify(manifest) });
  await writeFile(file, await buildTar(entries));
}

function osReleaseField(text: string, key: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${key}=`)) return line.slice(key.length + 1).replace(/^"|"$/g, '');
  }
  return undefined;
}

/** Test analyzer: os-release files. */
export const osAnalyzer: Analyzer = {
  id: 'test-os',
  version: 1,
  kind: 'os',
  required: (p) => p === 'etc/os-release' || p === 'usr/lib/os-release',
  analyze(f) {
    const text = f.content.toString('utf8');
    const id = osReleaseField(text, 'ID');
    if (!id) throw new Error('no ID');
    const version = osReleaseField(text, 'VERSION_ID');
    return { os: { family: id, name: osReleaseField(text, 'NAME') ?? id, ...(version ? { version } : {}) } };
  },
};

/** Test analyzer: every package.json declares one npm package. */
export const npmAnalyzer: Analyzer = {
  id: 'test-npm',
  version: 2,
  kind: 'lang',
  required: (p) => p.endsWith('/package.json') || p === 'package.json',
  analyze(f) {
    const j = JSON.parse(f.content.toString('utf8')) as { name: string; version: string };
    return {
      packages: [
        {
          name: j.name,
          version: j.version,
          ecosystem: 'npm',
          type: 'lang',
          purl: `pkg:npm/${j.name}@${j.version}`,
          location: f.path,
        },
      ],
    };
  },
};

/** Test analyzer: a tiny "status" file listing OS packages `name version` per line, ecosystem left ''. */
export const statusAnalyzer: Analyzer = {
  id: 'test-status',
  version: 1,
  kind: 'os-packages',
  required: (p) => p === 'var/lib/dpkg/status',
  analyze(f) {
    return {
      packages: f.content
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [name = '', version = ''] = l.split(' ');
          return {
            name,
            version,
            ecosystem: '',
            type: 'os' as const,
            purl: `pkg:deb/debian/${name}@${version}`,
            location: '',
          };
        }),
    };
  },
};

export const testAnalyzers = [osAnalyzer, npmAnalyzer, statusAnalyzer];

export const testOsEcosystem: OsEcosystemFn = (os) => {
  const base = os.family === 'debian' ? 'Debian' : os.family === 'alpine' ? 'Alpine' : os.family;
  const major = os.version?.split('.')[0];
  return { base, ...(major ? { release: major } : {}) };
};

export function pkgJson(name: string, version: string): string {
  return JSON.stringify({ name, version });
}

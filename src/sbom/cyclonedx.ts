import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import type { Inventory, OsInfo } from '../core/types.js';
import { canonicalize, uuidFromDigest, type SbomPackage } from './canonical.js';
import { conjunction, isSingleLicenseId, splitLicenses } from './license.js';
import type { SbomWriteOptions } from './types.js';

type Props = [string, string | number | undefined][];

function addProps(target: { properties: Models.PropertyRepository }, props: Props): void {
  for (const [k, v] of props)
    if (v !== undefined && v !== '') target.properties.add(new Models.Property(k, String(v)));
}

/**
 * CycloneDX wants either one expression or a list of single licences, never both: all valid
 * expressions become one AND-expression; as soon as one string is not SPDX, every entry is written
 * as a single licence (`id` when SPDX knows it, `name` otherwise).
 */
function licenses(c: Models.Component, raw: readonly string[] | undefined): void {
  const { expressions, names } = splitLicenses(raw);
  if (names.length === 0) {
    const expr = conjunction(expressions);
    if (!expr) return;
    if (isSingleLicenseId(expr) && SPDX.isSupportedSpdxId(expr)) c.licenses.add(new Models.SpdxLicense(expr));
    else c.licenses.add(new Models.LicenseExpression(expr));
    return;
  }
  for (const e of expressions) {
    if (isSingleLicenseId(e) && SPDX.isSupportedSpdxId(e)) c.licenses.add(new Models.SpdxLicense(e));
    else c.licenses.add(new Models.NamedLicense(e));
  }
  for (const n of names) c.licenses.add(new Models.NamedLicense(n));
}

function component(s: SbomPackage): Models.Component {
  const p = s.pkg;
  const c = new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef: s.ref,
    version: p.version,
    ...(s.purl ? { purl: s.purl } : {}),
  });
  // A development dependency (marked from the lockfile or its manifest) is there for building and
  // testing, not at run time: CycloneDX's `excluded` scope says exactly that.
  if (p.metadata?.['dev'] === true) c.scope = Enums.ComponentScope.Excluded;
  licenses(c, p.licenses);
  addProps(c, [
    ['bulwark:package:type', p.type],
    ['bulwark:package:ecosystem', p.ecosystem],
    ['bulwark:location', p.location],
    ['bulwark:source:name', p.sourceName],
    ['bulwark:source:version', p.sourceVersion],
    ['bulwark:arch', p.arch],
    ['bulwark:layer:index', p.layer?.index],
    ['bulwark:layer:digest', p.layer?.digest],
    ['bulwark:layer:diffId', p.layer?.diffId],
    ['bulwark:layer:createdBy', p.layer?.createdBy],
  ]);
  for (const [k, v] of Object.entries(p.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    addProps(c, [[`bulwark:metadata:${k}`, String(v)]]);
  return c;
}

function osComponent(os: OsInfo): Models.Component {
  const c = new Models.Component(Enums.ComponentType.OperatingSystem, os.family, {
    bomRef: `os:${os.family}@${os.version}`,
    version: os.version,
    description: os.name,
  });
  addProps(c, [
    ['bulwark:os:ecosystem', os.ecosystem],
    ['bulwark:os:codename', os.codename],
    ['bulwark:os:distroless', os.distroless ? 'true' : undefined],
  ]);
  return c;
}

function targetComponent(inv: Inventory): Models.Component {
  const t = inv.target;
  const type =
    t.kind === 'image' || t.kind === 'rootfs'
      ? Enums.ComponentType.Container
      : Enums.ComponentType.Application;
  const c = new Models.Component(type, t.name, {
    bomRef: 'target',
    ...(t.digest ? { version: t.digest } : {}),
  });
  addProps(c, [
    ['bulwark:target:kind', t.kind],
    ['bulwark:image:id', t.imageId],
    ['bulwark:image:platform', t.platform],
  ]);
  for (const tag of [...(t.repoTags ?? [])].sort()) addProps(c, [['bulwark:image:repoTag', tag]]);
  for (const l of t.layers ?? [])
    addProps(c, [
      [`bulwark:layer:${l.index}:digest`, l.digest],
      [`bulwark:layer:${l.index}:diffId`, l.diffId],
    ]);
  return c;
}

/**
 * The inventory as a CycloneDX 1.6 JSON document: the target as metadata component, the OS as an
 * operating-system component, every package as a library with its purl, licences, location and
 * layer, and the dependency graph where the analyzers knew it. Lists are sorted and the serial
 * number is derived from the content, so the same inventory gives the same bytes.
 */
export function renderCycloneDxSbom(inv: Inventory, opts: SbomWriteOptions): string {
  const canon = canonicalize(inv);
  const bom = new Models.Bom();
  bom.serialNumber = `urn:uuid:${uuidFromDigest(canon.digest)}`;
  bom.metadata.timestamp = new Date(opts.timestamp ?? Date.now());
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'bulwark', { version: opts.toolVersion }),
  );
  const target = targetComponent(inv);
  bom.metadata.component = target;
  if (inv.os) {
    const os = osComponent(inv.os);
    bom.components.add(os);
    target.dependencies.add(os.bomRef);
  }
  const byRef = new Map<string, Models.Component>();
  for (const s of canon.packages) {
    const c = component(s);
    byRef.set(s.ref, c);
    bom.components.add(c);
  }
  for (const s of canon.packages) {
    if (!s.dependsOn) continue;
    const c = byRef.get(s.ref)!;
    for (const d of s.dependsOn) c.dependencies.add(byRef.get(d)!.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

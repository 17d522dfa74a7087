/**
 * What each channel sends for an event: the webhook's JSON body, a Slack message (`text` plus
 * `blocks`), an email's subject and text. Pure functions of the event, so tests can compare them.
 */
import type { EventView } from '../store/events.js';

/** The event as a webhook sends it; `timestamp` (Unix seconds) is also X-Bulwark-Timestamp. */
export function webhookBody(e: EventView, timestamp: number): string {
  return JSON.stringify({
    id: e.eventId,
    type: e.type,
    at: e.at,
    timestamp,
    severity: e.severity,
    kev: e.kev,
    summary: e.summary,
    data: e.payload,
  });
}

interface ImageLine {
  repository: string;
  tag: string;
  digest?: string | null;
  packages?: { name: string; version: string; fixedVersion?: string | null }[];
}

const refOf = (i: { repository: string; tag: string }) =>
  i.tag.startsWith('@') ? `${i.repository}${i.tag}` : i.tag ? `${i.repository}:${i.tag}` : i.repository;

// control characters would let a hostile image name forge lines or headers
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** The details below the summary, one line each (at most `max` images or findings). */
export function detailLines(e: EventView, max = 50): string[] {
  const p = e.payload as Record<string, unknown>;
  const out: string[] = [];
  if (e.type === 'vulnerability.new' || e.type === 'vulnerability.vanished') {
    const v = p.vulnerability as { id: string; severity: string; kev: boolean; epss: number | null };
    out.push(
      `${v.id}: ${v.severity}${v.kev ? ', in CISA KEV' : ''}${v.epss !== null ? `, EPSS ${v.epss.toFixed(3)}` : ''}`,
    );
    const images = (p.images as ImageLine[]) ?? [];
    for (const i of images.slice(0, max)) {
      const pkgs = (i.packages ?? [])
        .map((x) => `${x.name} ${x.version}${x.fixedVersion ? ` (fixed in ${x.fixedVersion})` : ''}`)
        .join(', ');
      out.push(`- ${refOf(i)}${pkgs ? `: ${pkgs}` : ''}`);
    }
    const count = Number(p.imageCount ?? images.length);
    if (count > Math.min(max, images.length)) out.push(`… and ${count - Math.min(max, images.length)} more`);
  } else if (e.type === 'finding.fixed') {
    const list = (p.findings as { vulnId: string; package: { name: string; version: string } }[]) ?? [];
    for (const f of list.slice(0, max)) out.push(`- ${f.vulnId} in ${f.package.name} ${f.package.version}`);
    const count = Number(p.count ?? list.length);
    if (count > Math.min(max, list.length)) out.push(`… and ${count - Math.min(max, list.length)} more`);
  } else if (e.type === 'scan.completed') {
    const by = (p.bySeverity as Record<string, number>) ?? {};
    out.push(
      Object.entries(by)
        .map(([k, n]) => `${k.toLowerCase()} ${n}`)
        .join(', '),
    );
    out.push(
      `opened ${Number(p.opened ?? 0)}, fixed ${Number(p.fixed ?? 0)}, reopened ${Number(p.reopened ?? 0)}`,
    );
  }
  return out.map(clean);
}

/** Slack's incoming-webhook message: `text` is the fallback, `blocks` the layout. */
export function slackMessage(e: EventView): { text: string; blocks: unknown[] } {
  const lines = detailLines(e, 20);
  // a section's text is limited to 3000 characters
  const body = lines.join('\n').slice(0, 2900);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    text: clean(e.summary),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${esc(clean(e.summary))}*` } },
      ...(body ? [{ type: 'section', text: { type: 'mrkdwn', text: esc(body) } }] : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: esc(`bulwark · ${e.type} · ${e.at} · ${e.eventId}`) }],
      },
    ],
  };
}

export function emailMessage(e: EventView): { subject: string; text: string } {
  return {
    subject: `[bulwark] ${clean(e.summary)}`.slice(0, 250),
    text: [
      clean(e.summary),
      '',
      ...detailLines(e, 200),
      '',
      `event ${e.eventId} (${e.type}) at ${e.at}`,
      '',
    ].join('\n'),
  };
}

/**
 * Which events a channel wants: a pure function of the channel's filters and the event, so the
 * outbox writer and the tests agree on it.
 */
import { SEVERITIES, type Severity } from '../../core/types.js';

export const EVENT_TYPES = [
  'finding.fixed',
  'scan.completed',
  'vulnerability.new',
  'vulnerability.vanished',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ChannelFilters {
  /** empty: every type */
  eventTypes: readonly EventType[];
  /** only events whose highest severity is at least this (UNKNOWN counts as the lowest) */
  minSeverity: Severity | null;
  /** only events about a CISA KEV entry */
  kevOnly: boolean;
}

export interface EventHead {
  type: string;
  severity: string;
  kev: boolean;
}

/** CRITICAL 4 … LOW 1, UNKNOWN (and anything else) 0. */
export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity);
  return i < 0 || s === 'UNKNOWN' ? 0 : SEVERITIES.length - 1 - i;
}

/** The highest of some severities; UNKNOWN for none. */
export function maxSeverity(list: Iterable<string>): Severity {
  let best: Severity = 'UNKNOWN';
  for (const s of list) if (severityRank(s) > severityRank(best)) best = s as Severity;
  return best;
}

export function wants(f: ChannelFilters, e: EventHead): boolean {
  if (f.eventTypes.length && !f.eventTypes.includes(e.type as EventType)) return false;
  if (f.kevOnly && !e.kev) return false;
  if (f.minSeverity && severityRank(e.severity) < severityRank(f.minSeverity)) return false;
  return true;
}

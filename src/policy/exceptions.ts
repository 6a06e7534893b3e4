/**
 * Which of the managed policy's exceptions are live for the person and
 * machine running aitool, today, and which finding each one covers.
 *
 * An exception applies to a person when every scope it gives matches: one of
 * its `users` (login name, exact), one of its `groups` (primary group or a
 * supplementary one from /etc/group) and one of its `hosts` (case-insensitive).
 * It is live up to the end of its `until` day in UTC, the same instant on
 * every machine of the organisation whatever their time zone.
 *
 * "Now" and the identity are parameters: tests inject them, and nothing a
 * user can set (no environment variable) moves the clock an exception is
 * measured against.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { Finding, FindingException } from '../types.js';
import type { PolicyException, PolicyWarning } from './types.js';

/** Who is running aitool, where. */
export interface Identity {
  user?: string;
  groups: string[];
  host: string;
}

export interface ExceptionStatus {
  /** The exceptions that apply to this identity and have not ended. */
  live: PolicyException[];
  /** Expired and soon-to-expire exceptions that apply to this identity. */
  warnings: PolicyWarning[];
}

const DAY_MS = 86_400_000;
/** Exceptions this close to their end are announced, so they are renewed or wound down in time. */
export const EXPIRY_NOTICE_DAYS = 14;
/** /etc/group is a few KiB; a bigger one is read no further than this. */
const GROUP_FILE_LIMIT = 1 << 20;

/** The first instant the exception no longer applies: midnight UTC after its `until` day. */
export function endOf(until: string): number {
  const [year, month, day] = until.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day + 1);
}

export function appliesTo(entry: PolicyException, identity: Identity): boolean {
  if (entry.users && !(identity.user !== undefined && entry.users.includes(identity.user))) return false;
  if (entry.groups && !entry.groups.some((group) => identity.groups.includes(group))) return false;
  if (entry.hosts && !entry.hosts.some((host) => host.toLowerCase() === identity.host.toLowerCase())) return false;
  return true;
}

export function describeException(entry: PolicyException): string {
  return `exception #${entry.index} (${JSON.stringify(entry.reason)}, until ${entry.until})`;
}

export function evaluateExceptions(exceptions: readonly PolicyException[], identity: Identity, now: Date): ExceptionStatus {
  const live: PolicyException[] = [];
  const warnings: PolicyWarning[] = [];
  for (const entry of exceptions) {
    if (!appliesTo(entry, identity)) continue;
    const left = endOf(entry.until) - now.getTime();
    const key = `exceptions.${entry.index}`;
    if (left <= 0) {
      warnings.push({ file: entry.file, key, message: `${describeException(entry)} has expired; ignored` });
      continue;
    }
    live.push(entry);
    const days = Math.floor(left / DAY_MS);
    if (days < EXPIRY_NOTICE_DAYS) {
      const when = days === 0 ? 'expires at the end of today (UTC)' : `expires in ${days} day${days === 1 ? '' : 's'}`;
      warnings.push({ file: entry.file, key, message: `${describeException(entry)} ${when}` });
    }
  }
  return { live, warnings };
}

/** The first live exception that covers the finding; MCP server findings are covered only through `mcp`. */
export function exceptionCovering(
  finding: Pick<Finding, 'tool' | 'category' | 'kind' | 'rule' | 'evidence'>,
  live: readonly PolicyException[],
): FindingException | undefined {
  const covers = (entry: PolicyException): boolean => {
    if (finding.kind === 'mcp-server') {
      const ruleId = finding.rule.startsWith('mcp.servers.') ? finding.rule.slice('mcp.servers.'.length) : undefined;
      const server = finding.evidence.server?.name.toLowerCase();
      return (entry.mcp ?? []).some((name) => name === ruleId || name.toLowerCase() === server);
    }
    return (entry.tools ?? []).includes(finding.tool) || (entry.categories ?? []).includes(finding.category);
  };
  const entry = live.find(covers);
  return entry && { reason: entry.reason, until: entry.until, file: entry.file, index: entry.index };
}

/** The running user, their groups and the host name. Never runs a program: groups come from /etc/group. */
export function currentIdentity(groupFile = '/etc/group'): Identity {
  let user: string | undefined;
  let gid = -1;
  try {
    const info = userInfo();
    user = info.username;
    gid = info.gid;
  } catch {
    // No passwd entry (a container's arbitrary uid): only host scopes can match.
  }
  return { ...(user !== undefined ? { user } : {}), groups: groupsOf(user, gid, groupFile), host: hostname() };
}

function groupsOf(user: string | undefined, gid: number, groupFile: string): string[] {
  let text: string;
  try {
    const buffer = Buffer.alloc(GROUP_FILE_LIMIT);
    const fd = openSync(groupFile, 'r');
    try {
      text = buffer.subarray(0, readSync(fd, buffer, 0, GROUP_FILE_LIMIT, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const groups = new Set<string>();
  for (const line of text.split('\n')) {
    const [name, , id, members] = line.split(':');
    if (!name || line.startsWith('#')) continue;
    const isPrimary = gid >= 0 && Number(id) === gid;
    const isMember = user !== undefined && (members ?? '').trim().split(',').includes(user);
    if (isPrimary || isMember) groups.add(name);
  }
  return [...groups];
}

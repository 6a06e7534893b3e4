/**
 * Findings in words: one plain sentence per finding, shared by the report
 * formats that describe a finding in prose (SARIF, HTML, JUnit). Plain text,
 * unescaped: each format escapes it for its own syntax.
 */
import type { Evidence, Finding } from '../types.js';

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function serverTarget(e: Evidence): string {
  return e.server?.url ?? [e.server?.command, ...(e.server?.args ?? [])].filter(Boolean).join(' ');
}

/** One sentence (no final period) saying what was found; `where` replaces the path of file findings (SARIF gives it relative to the repository). */
export function describe(finding: Finding, where: string | undefined): string {
  const e = finding.evidence;
  const tool = finding.toolName;
  const version = e.version ? ` ${e.version}` : '';
  const at = (path: string | undefined) => where ?? path ?? '';
  switch (finding.kind) {
    case 'process':
      return `${tool} is running (pid ${e.pid ?? '?'}: ${truncate(oneLine(e.cmd ?? e.name ?? ''), 120)})`;
    case 'executable':
      return `${tool} is on PATH at ${e.path ?? ''}${e.realPath && e.realPath !== e.path ? ` (→ ${e.realPath})` : ''}`;
    case 'trace':
      return `${tool} was used on this machine: ${e.path ?? ''}`;
    case 'package':
      return `${tool} is installed: ${e.package || tool}${version} (${e.installMethod ?? 'unknown'}) in ${e.path ?? ''}`;
    case 'extension':
      return `${tool} is installed in ${e.editor ?? 'an editor'}: ${e.extensionId ?? ''}${version} (${e.path ?? ''})`;
    case 'app':
      return `${tool} is installed as a desktop app: ${e.name ?? tool}${version} at ${e.path ?? ''}`;
    case 'mcp-server': {
      const target = serverTarget(e);
      return `MCP server "${e.server?.name ?? ''}" is configured for ${tool} in ${at(e.path)}${target ? ` (${truncate(oneLine(target), 100)})` : ''}${e.scope === 'project' ? ', a repository file' : ''}`;
    }
    case 'config-change':
      return `${tool} changed ${at(e.path)} at line ${e.line ?? '?'}: ${truncate(oneLine(e.excerpt ?? ''), 100)}`;
    case 'session':
      if (e.variable) return `aitool runs inside ${tool}: ${e.variable.name} is set in its environment`;
      return `aitool runs inside ${tool}: ${e.depth === 1 ? 'its parent process' : `an ancestor ${e.depth ?? '?'} levels up`} is pid ${e.pid ?? '?'} (${truncate(oneLine(e.cmd ?? e.name ?? ''), 100)})`;
    case 'dependency':
      if (e.commit) return `Commit ${e.commit.slice(0, 12)} adds ${e.package ?? ''}${e.spec ? ` ${e.spec}` : ''} to ${e.file ?? at(e.path)} at line ${e.line ?? '?'} (${e.ecosystem ?? ''} ${e.field ?? ''}), an SDK that runs ${tool}`;
      return `${at(e.file)} line ${e.line ?? '?'} declares ${e.package ?? ''}${e.spec ? ` ${e.spec}` : ''} (${e.ecosystem ?? ''} ${e.field ?? ''}${e.status && e.status !== 'tracked' ? `, ${e.status}, staged` : ''}), an SDK that runs ${tool}`;
    case 'artifact':
      if (e.commit) return `Commit ${e.commit.slice(0, 12)} ${e.status === 'modified' ? 'changes' : 'adds'} ${tool} file ${e.file ?? at(e.path)}`;
      return `${tool} file ${e.file ?? at(e.path)} is in the repository${e.status && e.status !== 'tracked' ? ` (${e.status}, staged)` : ''}`;
    case 'skill': {
      const shell = e.skill?.shell?.injection ? `; it runs shell commands when loaded (${truncate(oneLine(e.skill.shell.firstCommand ?? ''), 80)})` : '';
      return `${tool} skill "${truncate(oneLine(e.name ?? ''), 80)}" is installed in ${e.path ?? ''}${e.scope === 'project' ? ', a repository folder' : ''}${shell}`;
    }
    case 'browser-extension':
      return `${tool} is installed in ${e.browser ?? 'a browser'} (profile ${truncate(oneLine(e.profile ?? ''), 60)}): ${truncate(oneLine(e.name ?? e.extensionId ?? ''), 80)}${version} (${e.extensionId ?? ''})`;
    case 'commit': {
      const which = e.commit ? `Commit ${e.commit.slice(0, 12)}` : 'The commit message being written';
      const what = e.field === 'author' || e.field === 'committer' ? `names ${tool} as ${e.field}` : `carries ${tool}'s line`;
      return `${which} ${what}: ${truncate(oneLine(e.excerpt ?? ''), 100)}`;
    }
  }
}

/**
 * Matching what a commit is made with: aitool's own ancestry and environment
 * (the session), the repository's files (artifacts) and commit messages. Pure.
 */
import type { AncestorObservation, ArtifactObservation, CommitObservation, Detection, EnvObservation } from '../types.js';
import { redactValue } from '../redact.js';
import { key, type CompiledCatalog, type CompiledTool } from './compile.js';
import { requiredLowercaseText } from '../regex.js';
import { dropGuesses } from './guesses.js';
import { envCandidates } from './candidates.js';
import { matchProcessAgainst } from './running.js';

/** An ancestor matches as a process would; the detection says how far up it is. */
export function matchAncestor(observation: AncestorObservation, catalog: CompiledCatalog): Detection[] {
  const found = matchProcessAgainst({ ...observation, kind: 'process' }, catalog).map(
    (detection): Detection => ({ ...detection, kind: 'session', evidence: { ...detection.evidence, depth: observation.depth } }),
  );
  return dropGuesses(found, catalog);
}

/**
 * A variable matches a tool's marker when the names are equal and the value
 * matches. A weak marker (set in human terminals too) counts only for the
 * tools `countWeak` names, which is the policy's `session.weakMarkers`.
 */
export function matchEnv(observation: EnvObservation, catalog: CompiledCatalog, countWeak: (tool: string) => boolean): Detection[] {
  const found: Detection[] = [];
  for (const tool of envCandidates(catalog, observation.name)) {
    const marker = tool.env.find((m) => m.name === observation.name && (m.value === undefined || m.value.test(observation.value)));
    if (!marker || (marker.weak && !countWeak(tool.entry.id))) continue;
    found.push({
      tool: tool.entry.id,
      kind: 'session',
      // A strong marker is set only by the tool itself; a weak one is taken on the policy's word.
      confidence: marker.weak ? 'name-only' : 'confirmed',
      evidence: {
        proof: 'environment',
        variable: { name: observation.name, value: redactValue(observation.name, observation.value) },
        ...(marker.weak ? { weak: true } : {}),
        matched: `environment ${observation.name}${marker.value ? ` =~ /${marker.value.source}/` : ''}${marker.weak ? ' (weak marker)' : ''}`,
      },
    });
  }
  return found;
}

export function matchArtifact(observation: ArtifactObservation, catalog: CompiledCatalog): Detection[] {
  return (catalog.index.get(key.repo(observation.pattern)) ?? []).map((tool) => ({
    tool: tool.entry.id,
    kind: 'artifact' as const,
    confidence: 'confirmed' as const,
    evidence: {
      path: `${observation.root}/${observation.file}`,
      root: observation.root,
      file: observation.file,
      status: observation.status,
      ...(observation.commit ? { commit: observation.commit } : {}),
      matched: `repository file ${observation.pattern}`,
    },
  }));
}

/** Message lines that git drops: comments, and everything below `git commit -v`'s scissors line. */
function messageLines(message: string): Array<{ text: string; line: number }> {
  const lines: Array<{ text: string; line: number }> = [];
  const all = message.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const text = all[i]!;
    if (/^# -+ >8 -+$/.test(text)) break;
    if (text.startsWith('#')) continue;
    lines.push({ text, line: i + 1 });
  }
  return lines;
}

const EXCERPT_MAX = 200;

/**
 * Text every match of a commit signature holds, lower-cased (src/regex.ts): a line without it is not tested, and
 * the expression is not compiled. Worked out when a commit is first matched, not for every check.
 */
const required = new WeakMap<CompiledTool['commits'][number], string | undefined>();

function requiredText(signature: CompiledTool['commits'][number]): string | undefined {
  if (!required.has(signature)) required.set(signature, requiredLowercaseText(signature.source));
  return required.get(signature);
}

/** One detection per tool: the first line (or author, committer) that carries its signature. */
export function matchCommit(observation: CommitObservation, catalog: CompiledCatalog): Detection[] {
  const lines = messageLines(observation.message);
  const lowered = lines.map((l) => l.text.toLowerCase());
  const found: Detection[] = [];
  for (const tool of catalog.tools) {
    let hit: { field: 'message' | 'author' | 'committer'; text: string; line?: number } | undefined;
    for (const signature of tool.commits) {
      const needs = requiredText(signature);
      if (signature.in === 'message') {
        const line = lines.find((l, i) => (needs === undefined || lowered[i]!.includes(needs)) && signature.regex.test(l.text));
        if (line) hit = { field: 'message', text: line.text, line: line.line };
      } else {
        // `Name <email>`: a signature may be written for the name (`(aider)$`), the address or both.
        const who = observation[signature.in];
        const parts = who === undefined ? [] : [who, who.replace(/\s*<[^>]*>\s*$/, ''), /<([^>]*)>/.exec(who)?.[1] ?? ''];
        if (who !== undefined && parts.some((part) => (needs === undefined || part.toLowerCase().includes(needs)) && signature.regex.test(part))) hit = { field: signature.in, text: who };
      }
      if (hit) break;
    }
    if (!hit) continue;
    found.push({
      tool: tool.entry.id,
      kind: 'commit',
      confidence: 'confirmed',
      evidence: {
        ...(observation.sha ? { commit: observation.sha } : {}),
        ...(observation.path ? { path: observation.path } : {}),
        field: hit.field,
        ...(hit.line !== undefined ? { line: hit.line } : {}),
        excerpt: hit.text.trim().slice(0, EXCERPT_MAX),
        matched: `commit ${hit.field} line`,
      },
    });
  }
  return found;
}

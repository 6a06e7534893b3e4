/**
 * Agent skills: the subfolders holding a SKILL.md in the skills folders the
 * catalog names (`~/.claude/skills`, `.agents/skills` in the repository,
 * ...). Knows no tool names: it reports each skill with the catalog pattern
 * of the folder it is in, and the matcher maps that back to the agent.
 *
 * Each skill costs one stat and one bounded read of its SKILL.md. A SKILL.md
 * that resolves outside the home folder, the repository and its own skills
 * folder is reported but not read: a link must not make aitool print another
 * file's contents as a "description".
 */
import type { Host } from '../host.js';
import { expandAnchor, toSlashes } from '../patterns.js';
import type { Observation, SkillObservation, SkillShell } from '../types.js';
import { repositoryRoot } from './configs.js';
import { existingPaths } from './expand.js';
import { errorCode, isAbsolutePath } from './logical-path.js';
import type { Scanner, ScanContext } from './types.js';

export const SKILLS_BUDGET_MS = 2000;

/** Read of SKILL.md: Anthropic advises under 500 lines; past this only the start is looked at. */
export const SKILL_MD_MAX_BYTES = 256 * 1024;
/** Skills reported per skills folder at most. */
export const MAX_SKILLS_PER_FOLDER = 500;
const NAME_MAX = 100;
const DESCRIPTION_MAX = 200;
const COMMAND_MAX = 120;

type Note = ScanContext['note'];

interface SkillsFolder {
  /** The catalog pattern that named it. */
  pattern: string;
  path: string;
  scope: SkillObservation['scope'];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `child` is `root` or inside it (logical paths; case-insensitive on Windows). */
function isInside(child: string, root: string, windows: boolean): boolean {
  const [c, r] = windows ? [child.toLowerCase(), root.toLowerCase()] : [child, root];
  const base = r.endsWith('/') ? r : `${r}/`;
  return c === r || c.startsWith(base);
}

async function realOr(host: Host, path: string): Promise<string> {
  try {
    return await host.realpath(path);
  } catch {
    return path;
  }
}

// ---------------------------------------------------------------------------
// SKILL.md
// ---------------------------------------------------------------------------

/** The YAML front matter between the first two `---` lines, as raw lines; undefined when there is none. */
function frontMatterLines(text: string): string[] | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  return end < 0 ? undefined : lines.slice(1, end);
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && ((trimmed.startsWith('"') && trimmed.endsWith('"')) || (trimmed.startsWith("'") && trimmed.endsWith("'")))) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}

/**
 * The top-level keys of a YAML front matter, each with its value as one line
 * of text: enough for `name`, `description` and `allowed-tools`, which are
 * plain scalars, folded or literal blocks (`>`, `|`) or lists. Nothing else of
 * YAML is needed, so no YAML library is loaded (and none expands aliases).
 */
export function parseFrontMatter(text: string): Map<string, string> | undefined {
  const lines = frontMatterLines(text);
  if (lines === undefined) return undefined;
  const fields = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const top = /^([A-Za-z][\w-]*)\s*:(.*)$/.exec(lines[i]!);
    if (!top) continue;
    const [, name, rest] = top;
    const parts: string[] = [];
    const inline = rest!.trim();
    const block = /^[>|][+-]?$/.test(inline);
    if (inline !== '' && !block) parts.push(unquote(inline));
    // Indented lines (or list items) below a key continue its value.
    while (i + 1 < lines.length && /^(\s+\S|-\s)/.test(lines[i + 1]!)) {
      parts.push(unquote(lines[++i]!.trim().replace(/^-\s+/, '')));
    }
    fields.set(name!.toLowerCase(), parts.join(' ').replace(/\s+/g, ' ').trim());
  }
  return fields;
}

/** `!` + backticked command at a line start or after whitespace: what Claude Code runs when it loads the skill. */
const INLINE_INJECTION = /(?:^|[ \t])!`([^`\r\n]+)`/m;
/** A fenced block opened with ```! : its lines run as one shell script at load. */
const FENCED_INJECTION = /^[ \t]*```!(?:[ \t]*)\r?\n([^\r\n]*)/m;

/**
 * What SKILL.md says about the shell. Claude Code's dynamic context
 * injection (code.claude.com/docs/en/skills, "Inject dynamic context") runs
 * `!`cmd`` and ```! blocks before the model sees the skill, whatever the
 * markdown around them (a code span does not protect them), so the whole
 * text is searched. Other agents reading the same folder do not run them;
 * flagging the file anyway errs on the side of telling.
 */
export function skillShell(text: string, fields: Map<string, string> | undefined, scripts: boolean): SkillShell {
  const inline = INLINE_INJECTION.exec(text);
  const fenced = FENCED_INJECTION.exec(text);
  const first = [inline, fenced]
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => a.index - b.index)[0];
  const shell: SkillShell = {
    injection: first !== undefined,
    preapprovedBash: /\bBash\b/.test(fields?.get('allowed-tools') ?? ''),
    scripts,
  };
  const command = first?.[1]?.trim();
  if (command) shell.firstCommand = cut(command, COMMAND_MAX);
  return shell;
}

// ---------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------

/** Where a catalog skills-folder pattern is: home-anchored and absolute ones are the user's, relative ones in the repository. */
async function locate(host: Host, pattern: string, projectRoot: () => Promise<string | undefined>, note: Note): Promise<SkillsFolder[]> {
  const expanded = expandAnchor(toSlashes(pattern), { os: host.os, home: host.home, env: host.env });
  if (expanded === undefined) return [];
  let path = expanded;
  let scope: SkillsFolder['scope'] = 'user';
  if (!isAbsolutePath(expanded, host.os)) {
    const root = await projectRoot();
    if (root === undefined) return [];
    path = `${root.replace(/\/$/, '')}/${expanded.replace(/^\.\//, '')}`;
    scope = 'project';
  }
  const paths = await existingPaths(host, path, note);
  if (paths === undefined) {
    note({ path: pattern, message: 'path pattern with `**` is not looked up' });
    return [];
  }
  return paths.map((found) => ({ pattern, path: found, scope }));
}

interface Roots {
  home: string;
  project?: string;
}

async function readSkill(host: Host, folder: SkillsFolder, name: string, roots: Roots, note: Note): Promise<SkillObservation | undefined> {
  const dir = `${folder.path}/${name}`;
  const file = `${dir}/SKILL.md`;
  // A folder without SKILL.md is not a skill: silent.
  if ((await host.lstat(file)) === undefined) return undefined;
  const info = await host.stat(file);
  if (info === undefined) {
    note({ path: file, message: 'SKILL.md is a broken or looping link, not read' });
    return undefined;
  }
  if (info.type !== 'file') {
    note({ path: file, message: `SKILL.md is not a regular file (${info.type}), skipped` });
    return undefined;
  }
  const observation: SkillObservation = { kind: 'skill', folder: folder.pattern, path: dir, scope: folder.scope, name: cut(name, NAME_MAX) };

  const windows = host.os === 'windows';
  const real = await realOr(host, file);
  const allowed = [roots.home, roots.project, await realOr(host, folder.path)].filter((root): root is string => root !== undefined);
  if (!allowed.some((root) => isInside(real, root, windows))) {
    observation.unread = folder.scope === 'project' ? 'it links outside the repository' : 'it links outside the home folder';
    note({ path: file, message: `SKILL.md links to ${real}, outside the home folder and repository; not read` });
    return observation;
  }
  if (info.size > SKILL_MD_MAX_BYTES) note({ path: file, message: `SKILL.md over ${SKILL_MD_MAX_BYTES} bytes; only the start was read` });
  const text = await host.readTextFile(file, SKILL_MD_MAX_BYTES);
  if (text === undefined) {
    observation.unread = 'it could not be read';
    note({ path: file, message: 'SKILL.md unreadable' });
    return observation;
  }
  const fields = parseFrontMatter(text);
  const declared = fields?.get('name');
  if (declared) observation.name = cut(declared, NAME_MAX);
  const description = fields?.get('description');
  if (description) observation.description = cut(description, DESCRIPTION_MAX);
  const scripts = (await host.stat(`${dir}/scripts`))?.type === 'directory';
  observation.shell = skillShell(text, fields, scripts);
  return observation;
}

async function scanFolder(host: Host, folder: SkillsFolder, roots: Roots, signal: AbortSignal, note: Note): Promise<SkillObservation[]> {
  let listing;
  try {
    listing = await host.readdir(folder.path);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') note({ path: folder.path, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
    return [];
  }
  // Hidden folders are left out: Codex keeps its own bundled skills in `~/.codex/skills/.system`.
  const names = listing
    .filter((entry) => !entry.name.startsWith('.') && (entry.type === 'directory' || entry.type === 'symlink'))
    .map((entry) => entry.name)
    .sort();
  if (names.length > MAX_SKILLS_PER_FOLDER) note({ path: folder.path, message: `more than ${MAX_SKILLS_PER_FOLDER} folders; only the first ${MAX_SKILLS_PER_FOLDER} were looked at` });
  const found: SkillObservation[] = [];
  for (const name of names.slice(0, MAX_SKILLS_PER_FOLDER)) {
    signal.throwIfAborted();
    const skill = await readSkill(host, folder, name, roots, note);
    if (skill) found.push(skill);
  }
  return found;
}

export const skillsScanner: Scanner = {
  name: 'skills',
  budgetMs: SKILLS_BUDGET_MS,
  async scan({ host, cwd, probes, signal, note }: ScanContext): Promise<Observation[]> {
    if (probes.skillFolders.length === 0) return [];
    let root: Promise<string | undefined> | undefined;
    const projectRoot = (): Promise<string | undefined> =>
      (root ??= cwd === undefined || cwd === '' ? Promise.resolve(undefined) : repositoryRoot(host, cwd));
    const located = (await Promise.all(probes.skillFolders.map((pattern) => locate(host, pattern, projectRoot, note)))).flat();
    const project = await projectRoot();
    const roots: Roots = { home: await realOr(host, host.home), ...(project === undefined ? {} : { project: await realOr(host, project) }) };
    // A repository at the home folder makes `.claude/skills` both the user's and the project's: it is reported once, as the user's.
    const userPaths = new Set(located.filter((f) => f.scope === 'user').map((f) => f.path));
    const folders = located.filter((f) => f.scope === 'user' || !userPaths.has(f.path));
    const results = await Promise.all(folders.map((folder) => scanFolder(host, folder, roots, signal, note)));
    return results.flat();
  },
};

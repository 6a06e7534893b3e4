/**
 * How to get rid of what was found, in one line a person can act on: the
 * package manager's own uninstall command, the editor's, the pid to stop, the
 * entry to delete from a configuration file. Pure.
 */
import type { ToolEntry } from './catalog/schema.js';
import type { Detection, Evidence, Finding, PackageManager } from './types.js';

function shellQuote(path: string): string {
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function uninstallPackage(manager: PackageManager, name: string, path: string): string {
  switch (manager) {
    case 'npm':
      return `npm uninstall -g ${name}`;
    case 'pnpm':
      return `pnpm remove -g ${name}`;
    case 'yarn':
      return `yarn global remove ${name}`;
    case 'bun':
      return `bun remove -g ${name}`;
    case 'npx': {
      // npx keeps each fetched package set in its own hashed folder of the cache.
      const cacheEntry = /^(.*\/_npx\/[^/]+)\//.exec(path)?.[1];
      return `rm -rf ${shellQuote(cacheEntry ?? path)}  (npx's cached copy)`;
    }
    case 'pip':
      return `pip uninstall ${name}`;
    case 'pipx':
      return `pipx uninstall ${name}`;
    case 'uv':
      return `uv tool uninstall ${name}`;
    case 'brew':
      return `brew uninstall ${name}`;
    case 'brew-cask':
      return `brew uninstall --cask ${name}`;
    case 'cargo':
      return `cargo uninstall ${name}`;
    case 'deb':
      return `sudo apt remove ${name}`;
    case 'rpm':
      return `sudo dnf remove ${name}`;
    case 'go':
    case 'native':
      return `rm -rf ${shellQuote(path)}`;
  }
}

/** The command-line launcher of each VS Code-family editor, for `--uninstall-extension`. */
const EDITOR_CLI: Record<string, string> = {
  'vs code': 'code',
  'vs code insiders': 'code-insiders',
  vscodium: 'codium',
  cursor: 'cursor',
  windsurf: 'windsurf',
  kiro: 'kiro',
  positron: 'positron',
};

function editorCli(editor: string): string | undefined {
  const name = editor.toLowerCase().replace(/ server$/, '');
  return EDITOR_CLI[name];
}

function removeExtension(evidence: Evidence): string {
  const editor = evidence.editor ?? 'the editor';
  const id = evidence.extensionId ?? '';
  const path = shellQuote(evidence.path ?? '');
  if (id.startsWith('settings:')) return `remove the "${id.slice('settings:'.length)}" section from ${path}`;
  if (/\.(jar|xml)$|JetBrains|IntelliJ|PyCharm|WebStorm|GoLand|Rider|CLion|PhpStorm|RubyMine|DataGrip|AndroidStudio/i.test(`${editor} ${evidence.path}`)) {
    return `uninstall it in ${editor}: Settings → Plugins (or delete ${path} while the IDE is closed)`;
  }
  const cli = editorCli(editor);
  if (cli) return `${cli} --uninstall-extension ${id}`;
  return `uninstall ${id} from ${editor}'s extensions (or delete ${path})`;
}

function removeApp(evidence: Evidence, tool: ToolEntry): string {
  const path = shellQuote(evidence.path ?? '');
  switch (evidence.source) {
    case 'snap':
      return `sudo snap remove ${evidence.name ?? ''}`;
    case 'flatpak':
      return `flatpak uninstall ${evidence.bundleId ?? evidence.name ?? ''}`;
    case 'programs':
    case 'program-files':
    case 'start-menu':
    case 'registry':
      return `uninstall ${tool.name} from Settings → Apps → Installed apps`;
    case 'bundle':
      return `quit ${tool.name} and move ${path} to the Trash`;
    case 'appimage':
      return `quit ${tool.name} and delete ${path} (and its menu entry, if you added one)`;
    case 'desktop-file':
      // A user's own menu entry goes with the file; a system one with the package that installed it.
      return evidence.path?.startsWith('/usr/') || evidence.path?.startsWith('/var/')
        ? (tool.remove?.app ?? `remove the package that installed ${path}`)
        : `delete ${path} and what it runs (${evidence.exe ?? 'see its Exec line'})`;
    default:
      return tool.remove?.app ?? `remove ${path}`;
  }
}

/** The command that removes an SDK from the manifest or lockfile that declares it (run in that file's folder). */
function removeDependency(evidence: Evidence): string {
  const file = evidence.file ?? '';
  const base = file.split('/').at(-1) ?? '';
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  // An npm alias is removed under the name it is installed as.
  const pkg = evidence.alias ?? evidence.package ?? '';
  const where = (command: string) => (dir ? `cd ${shellQuote(dir)} && ${command}` : command);
  let command: string;
  switch (evidence.ecosystem) {
    case 'go':
      command = where(`go get ${pkg}@none && go mod tidy`);
      break;
    case 'pip':
      if (base === 'pyproject.toml' && evidence.field?.startsWith('tool.poetry')) command = where(`poetry remove ${pkg}`);
      else if (base === 'Pipfile' || base === 'Pipfile.lock') command = where(`pipenv uninstall ${pkg}`);
      else command = `remove ${pkg} from ${shellQuote(file)}${evidence.field === 'lockfile' ? ' (and from the manifest that requires it), then lock again' : ` (line ${evidence.line})`}`;
      break;
    default:
      command = where(
        base === 'pnpm-lock.yaml' ? `pnpm remove ${pkg}` : base === 'yarn.lock' ? `yarn remove ${pkg}` : base === 'bun.lock' ? `bun remove ${pkg}` : `npm uninstall ${pkg}`,
      );
      // In a lockfile only: another package pulls it in.
      if (evidence.field === 'lockfile') command += ` (if a dependency pulls it in instead, \`npm explain ${pkg}\` names it)`;
  }
  // In a range check the declaration is in history: the commit that adds it is the one to fix.
  if (evidence.commit) return `take it out of commit ${evidence.commit.slice(0, 12)} (git rebase -i, "edit", then ${command}, git add ${shellQuote(file)} and git commit --amend) and push again`;
  return evidence.status === 'tracked' ? command : `${command}, then stage ${shellQuote(file)} again`;
}

/** One line telling the person how to get rid of what was found. */
export function remediationFor(detection: Detection, tool: ToolEntry): string | undefined {
  const { evidence } = detection;
  const hints = tool.remove ?? {};
  const path = shellQuote(evidence.path ?? '');
  switch (detection.kind) {
    case 'process':
      return `stop it: kill ${evidence.pid}`;
    case 'executable':
      switch (evidence.installMethod) {
        case 'npm':
          return hints.npm ?? (evidence.package ? `npm uninstall -g ${evidence.package}` : undefined);
        case 'pip':
        case 'pipx':
        case 'uv':
          return hints.pip ?? (evidence.package ? uninstallPackage(evidence.installMethod, evidence.package, evidence.path ?? '') : undefined);
        case 'native':
          if (hints.native) return hints.native;
          break;
        default:
          break;
      }
      return `remove ${path}${hints.npm ? ` (or, if npm installed it: ${hints.npm})` : ''}`;
    case 'package': {
      if (evidence.installMethod === 'sdk') return `cd ${shellQuote(evidence.project ?? '')} && npm uninstall ${evidence.package ?? ''}`;
      const manager = evidence.installMethod as PackageManager;
      if (manager === 'npm' && hints.npm) return hints.npm;
      if (manager === 'native' && hints.native) return hints.native;
      if (manager === 'brew-cask' && hints.brew) return hints.brew;
      return uninstallPackage(manager, evidence.package ?? '', evidence.path ?? '');
    }
    case 'extension':
      return removeExtension(evidence);
    case 'app':
      return removeApp(evidence, tool);
    case 'mcp-server':
      return `delete the "${evidence.server?.name}" server from ${path}`;
    case 'skill':
      return `delete the skill folder ${path}${evidence.scope === 'project' ? ' from the repository' : ''}`;
    case 'browser-extension':
      return `remove it from ${evidence.browser ?? 'the browser'} (profile ${evidence.profile ?? '?'}): open its extensions page and click Remove on "${evidence.name ?? evidence.extensionId}"`;
    case 'config-change':
      return `remove what ${tool.name} added to ${path} (from line ${evidence.line})`;
    case 'trace':
      return `delete ${path} once nothing in it is needed (settings and history of ${tool.name})`;
    case 'session':
      return evidence.variable
        ? `this shell was started by ${tool.name} (${evidence.variable.name} is set): make the commit from a terminal of your own`
        : `this command runs inside ${tool.name} (pid ${evidence.pid}): make the commit from a terminal of your own`;
    case 'artifact': {
      const file = shellQuote(evidence.file ?? '');
      if (evidence.commit) return `take ${file} out of commit ${evidence.commit.slice(0, 12)} (git rebase -i, "edit", then git rm --cached ${file} and git commit --amend) and push again`;
      return evidence.status === 'tracked'
        ? `git rm --cached ${file} (keeps your copy; add it to .gitignore if it should stay local)`
        : `git restore --staged ${file} to leave it out of this commit`;
    }
    case 'dependency':
      return removeDependency(evidence);
    case 'commit':
      return evidence.commit
        ? `reword commit ${evidence.commit.slice(0, 12)} without the ${evidence.field === 'message' ? 'line' : evidence.field} (git rebase -i, "reword"), before it is pushed`
        : `remove the line from the commit message${evidence.line ? ` (line ${evidence.line})` : ''}`;
  }
}

/** A line of the text report: what to do about a tool, and whether it removes something from the machine or fixes a commit. */
export interface RemedyStep {
  label: 'To fix:' | 'To remove:';
  text: string;
}

/** Pids one step names before the rest are counted, and files (longer): the JSON report has them all. */
const MAX_PIDS = 6;
const MAX_FILES = 3;

/** The items to act on, and how many more there are (said at the end of the step, after the command). */
function listed(items: readonly string[], max: number): { shown: string; rest: string } {
  const more = items.length - max;
  return { shown: items.slice(0, max).join(' '), rest: more > 0 ? `; ${more} more: aitool check --format json lists them` : '' };
}

// A commit, its files or the shell it comes from are fixed; things on the machine are removed.
function labelFor(finding: Finding): RemedyStep['label'] {
  return finding.kind === 'session' || finding.kind === 'artifact' || finding.kind === 'commit' || finding.kind === 'dependency' ? 'To fix:' : 'To remove:';
}

/** Findings that one command covers together share a key; the rest are keyed by their own line. */
function stepKey(finding: Finding): string {
  const e = finding.evidence;
  if (finding.kind === 'process') return 'kill';
  if (finding.kind === 'session') return 'session';
  if (finding.kind === 'artifact') return e.commit ? `artifact-in:${e.commit}` : e.status === 'tracked' ? 'artifact-tracked' : 'artifact-staged';
  // A manifest and its lockfile declare the same package: one uninstall in that folder removes it from both.
  if (finding.kind === 'dependency') {
    const file = e.file ?? '';
    return `dependency:${e.ecosystem}\0${file.slice(0, file.lastIndexOf('/') + 1)}\0${e.alias ?? e.package}\0${e.commit ?? ''}\0${e.status === 'tracked'}`;
  }
  return `line:${finding.remediation}`;
}

const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Session evidence, strongest first: an ancestor process over an environment
 * variable (a variable is inherited by everything the tool ever started), a
 * proven process over a name, the nearest ancestor first.
 */
export function strongestSessionFirst(a: Finding, b: Finding): number {
  const rank = (f: Finding) => (f.evidence.variable ? 2 : 0) + (f.confidence === 'confirmed' ? 0 : 1);
  return rank(a) - rank(b) || (a.evidence.depth ?? 0) - (b.evidence.depth ?? 0);
}

/** One line for every sign that aitool runs inside the tool: the strongest named, the others counted. */
function sessionStep(findings: readonly Finding[], act: string): string {
  const [strongest, ...others] = [...findings].sort(strongestSessionFirst);
  const e = strongest!.evidence;
  const which = e.variable
    ? `environment variable ${e.variable.name}`
    : `${e.depth === 1 ? 'parent' : 'ancestor'} process ${e.name ?? '?'}, pid ${e.pid}`;
  const variables = others.filter((f) => f.evidence.variable).length;
  const processes = others.length - variables;
  const more = [processes > 0 ? plural(processes, 'more process', 'more processes') : '', variables > 0 ? plural(variables, `${e.variable ? 'more ' : ''}environment variable`, `${e.variable ? 'more ' : ''}environment variables`) : '']
    .filter(Boolean)
    .join(' and ');
  return `${act} from a terminal of your own: this runs inside ${strongest!.toolName} (${which}${more ? `; also ${more}` : ''})`;
}

function mergedStep(key: string, findings: readonly Finding[], act: string): string | undefined {
  if (key === 'session') return sessionStep(findings, act);
  const first = findings[0]!;
  if (key === 'kill') {
    const pids = distinct(findings.map((f) => (f.evidence.pid === undefined ? undefined : String(f.evidence.pid))));
    if (pids.length <= 1) return first.remediation;
    const { shown, rest } = listed(pids, MAX_PIDS);
    return `stop them: kill ${shown}${rest ? ` (${pids.length} processes${rest})` : ''}`;
  }
  if (key.startsWith('dependency')) return (findings.find((f) => f.evidence.field !== 'lockfile') ?? first).remediation;
  if (key.startsWith('artifact')) {
    const files = distinct(findings.map((f) => f.evidence.file)).map(shellQuote);
    if (files.length <= 1) return first.remediation;
    const { shown, rest } = listed(files, MAX_FILES);
    if (key === 'artifact-tracked') return `git rm --cached ${shown} (keeps your copies; add them to .gitignore if they should stay local${rest})`;
    if (key === 'artifact-staged') return `git restore --staged ${shown} to leave them out of this commit${rest ? ` (${rest.slice(2)})` : ''}`;
    const commit = first.evidence.commit!.slice(0, 12);
    return `take ${files.length} files out of commit ${commit} (git rebase -i, "edit", then git rm --cached ${shown} and git commit --amend${rest}) and push again`;
  }
  return first.remediation;
}

/**
 * What to do about one tool's findings, one step per distinct action: four
 * processes are one `kill` with four pids, eight signs of running inside an
 * agent are one "make the commit from a terminal of your own". That one comes
 * first (nothing else helps while the agent makes the commit), then stopping
 * processes; the others keep the order in which their first finding came.
 */
export function remedySteps(findings: readonly Finding[], gitAction: 'commit' | 'push' = 'commit'): RemedyStep[] {
  const act = gitAction === 'push' ? 'push' : 'make the commit';
  // Stopping comes before deleting: a running tool can write its files back.
  const byKey = new Map<string, Finding[]>([['session', []], ['kill', []]]);
  for (const finding of findings) {
    if (!finding.remediation) continue;
    const key = stepKey(finding);
    const group = byKey.get(key);
    if (group) group.push(finding);
    else byKey.set(key, [finding]);
  }
  const steps: RemedyStep[] = [];
  for (const [key, group] of byKey) {
    if (group.length === 0) continue;
    const text = mergedStep(key, group, act);
    if (text) steps.push({ label: labelFor(group[0]!), text });
  }
  return steps;
}

/**
 * A temp world for the report formats: a running Claude Code (a real process
 * of a native binary in its npm package) whose command line, skill, MCP
 * server and policy strings are hostile (markup, quotes that end attributes,
 * `</style>`, U+2028, control characters), a Gemini CLI the policy allows and
 * a Codex left to the default (review). Processes are the caller's to stop
 * (killSpawned) and folders to remove (removeTempDirs).
 */
import { join } from 'node:path';
import type { World } from '../cli/run-cli.js';
import { installNativeBinary, spawnNativeBinary, type SpawnedProcess } from './processes.js';
import { makeTempDir, writeFile, writePackageJson } from './temp.js';

export const SCRIPT = '<script>alert(1)</script>';
export const ATTRIBUTE_BREAK = '"onload="alert(2)';
export const STYLE_BREAK = '</style><h1 id="injected">x</h1>';
export const IMG = '"><img src=x onerror=alert(3)>';
export const ESC = '\u001b[2K';
export const LINE_SEPARATOR = 'a\u2028b';
/** What the hostile strings would leave if any of them ran or became markup. */
export const INJECTED_SELECTORS = 'script, img, #injected, b, a[href^="javascript:"]';

export interface HostileWorld extends World {
  claude: SpawnedProcess;
}

export async function makeHostileWorld(): Promise<HostileWorld> {
  const root = await makeTempDir('aitool-report-');
  const prefix = join(root, 'prefix');
  const home = join(root, 'home');
  const cwd = join(root, 'repo');
  const put = (path: string, text: string) => writeFile(path, text);

  // The native binary in its npm package, started as `claude` with hostile arguments on its command line.
  const claudePackage = join(prefix, 'lib/node_modules/@anthropic-ai/claude-code');
  await writePackageJson(claudePackage, { name: '@anthropic-ai/claude-code', version: '2.1.197' });
  const claudeExe = await installNativeBinary(join(claudePackage, 'bin/claude.exe'));
  const claude = await spawnNativeBinary(claudeExe, [SCRIPT, ATTRIBUTE_BREAK, STYLE_BREAK, ESC, LINE_SEPARATOR], { argv0: 'claude' });

  // A skill whose folder name and front matter are markup.
  await put(
    join(home, '.claude/skills', IMG, 'SKILL.md'),
    `---\nname: ${JSON.stringify(`${STYLE_BREAK}${SCRIPT}`)}\ndescription: ${JSON.stringify(ATTRIBUTE_BREAK)}\n---\nBody.\n`,
  );
  // An MCP server whose name and arguments are markup.
  await put(join(home, '.claude.json'), JSON.stringify({ mcpServers: { '<b onmouseover=alert(5)>srv</b>': { command: 'npx', args: [SCRIPT, ATTRIBUTE_BREAK] } } }));
  await put(join(home, '.gemini/settings.json'), '{}');
  await put(join(home, '.codex/config.toml'), '');

  // Policy strings are hostile too: a reason, an alternative's name, a javascript: URL, an install line, a note.
  await put(
    join(cwd, '.aitoolrc.yaml'),
    [
      'tools:',
      '  claude-code:',
      '    action: block',
      `    reason: ${JSON.stringify(`${SCRIPT} is not approved ${ATTRIBUTE_BREAK}`)}`,
      '    alternatives: [approved-agent]',
      '  gemini-cli: allow',
      'alternatives:',
      '  approved-agent:',
      `    name: ${JSON.stringify(`Approved ${STYLE_BREAK} agent`)}`,
      '    url: "javascript:alert(4)"',
      `    install: ${JSON.stringify(`curl ${ATTRIBUTE_BREAK} | sh`)}`,
      `    note: ${JSON.stringify(`ask <b>IT</b> ${LINE_SEPARATOR}`)}`,
      '',
    ].join('\n'),
  );

  return {
    root,
    home,
    cwd,
    claude,
    env: { HOME: home, PATH: `${prefix}/bin:${process.env.PATH ?? '/usr/bin:/bin'}`, XDG_CONFIG_HOME: join(home, '.config'), AITOOL_HOOK_SPARE: '0' },
    write: () => {
      throw new Error('unused');
    },
    cleanup: () => undefined,
  };
}

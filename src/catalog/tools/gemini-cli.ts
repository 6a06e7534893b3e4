import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'gemini-cli',
  name: 'Gemini CLI',
  vendor: 'Google',
  homepage: 'https://github.com/google-gemini/gemini-cli',
  category: 'agent-cli',
  description: "Google's open-source terminal agent for Gemini models.",
  install: 'npm install -g @google/gemini-cli',
  signatures: {
    skillFolders: [
      // D: geminicli.com/docs/cli/using-agent-skills ("Discovery tiers").
      '~/.gemini/skills',
      '.gemini/skills',
    ],
    executables: [{ name: 'gemini' }],
    processes: {
      // Runs as two `node` processes; only the script path or the npm package proves it.
      args: ['gemini-shell-\\w+/bgpids\\.tmp'],
    },
    // The Gemini CLI's agent core as a library (repository google-gemini/gemini-cli, packages/core).
    sdkPackages: { npm: ['@google/gemini-cli-core'] },
    packages: {
      npm: ['@google/gemini-cli'],
      // K: Homebrew formula name from memory.
      brew: ['gemini-cli'],
    },
    vscodeExtensions: ['google.gemini-cli-vscode-ide-companion'],
    home: [{ path: '~/.gemini' }],
    repo: ['GEMINI.md', '.gemini/', '.geminiignore'],
    env: [{ name: 'GEMINI_CLI', value: '^1$' }, { name: 'GEMINI_CLI_NO_RELAUNCH' }],
    // D: Gemini CLI configuration docs (user and project settings.json).
    mcpConfigs: [
      { path: '~/.gemini/settings.json', format: 'mcpServers' },
      { path: '.gemini/settings.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @google/gemini-cli',
    brew: 'brew uninstall gemini-cli',
  },
  sources: ['research'],
  native: {
    managedSettings: {
      linux: '/etc/gemini-cli/settings.json',
      macos: '/Library/Application Support/GeminiCli/settings.json',
      windows: 'C:\\ProgramData\\gemini-cli\\settings.json',
      source:
        'D https://geminicli.com/docs/reference/configuration (google-gemini/gemini-cli docs/reference/configuration.md): the system settings file, which overrides user and workspace settings',
    },
    builtInTools: {
      // Every built-in tool, the legacy alias search_file_content included: the system file excludes them all.
      names: [
        'activate_skill', 'ask_user', 'enter_plan_mode', 'exit_plan_mode', 'get_internal_docs', 'glob', 'google_web_search',
        'grep_search', 'list_directory', 'list_mcp_resources', 'read_file', 'read_many_files', 'read_mcp_resource', 'replace',
        'run_shell_command', 'search_file_content', 'tracker_add_dependency', 'tracker_create_task',
        'tracker_get_task', 'tracker_list_tasks', 'tracker_update_task', 'tracker_visualize', 'update_topic', 'web_fetch',
        'write_file', 'write_todos',
      ],
      source: 'D google-gemini/gemini-cli docs/reference/tools.md at 5411f113 (v0.56 nightly)',
    },
  },
};

export default tool;

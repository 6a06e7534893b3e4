import type { ToolEntry } from '../schema.js';

/**
 * Tools the real Claude Code 2.1.332 offered the model with every
 * schema-named tool denied (seen in test/native/real-claude-code.test.ts's
 * stand-in model server), which SchemaStore's permission rule pattern does not
 * list yet: a deny rule for each takes them away too.
 */
export const OBSERVED_NOT_IN_SCHEMA = [
  'CronCreate', 'CronDelete', 'CronList', 'ExitWorktree', 'ListAgents', 'ReportFindings', 'ScheduleWakeup', 'SendMessage',
] as const;

const tool: ToolEntry = {
  id: 'claude-code',
  name: 'Claude Code',
  vendor: 'Anthropic',
  homepage: 'https://www.anthropic.com/claude-code',
  category: 'agent-cli',
  description: "Anthropic's terminal coding agent, also embedded in VS Code and JetBrains IDEs.",
  install: 'npm install -g @anthropic-ai/claude-code (or: curl -fsSL https://claude.ai/install.sh | bash)',
  signatures: {
    skillFolders: [
      // D: code.claude.com/docs/en/skills (personal and project skills).
      '~/.claude/skills',
      '.claude/skills',
      // T: installed plugins are unpacked to ~/.claude/plugins/cache/<marketplace>/<plugin>/<version>/, skills in its skills/ folder
      // (code.claude.com/docs/en/plugins for the plugin layout; the cache path from plugin tooling on GitHub).
      '~/.claude/plugins/cache/*/*/*/skills',
    ],
    executables: [{ name: 'claude' }],
    processes: {
      // Native builds (npm >= 2.1.113 and the installer) run as comm=claude; old cli.js builds set process.title='claude'.
      names: ['claude'],
      paths: [
        '~/.local/share/claude/versions/**',
        // Platform optional dependencies hoisted by some package managers.
        'node_modules/@anthropic-ai/claude-code-*/**',
      ],
      // The Bash tool sources a per-session shell snapshot before each command.
      args: ['\\.claude/shell-snapshots/snapshot-'],
      // V (agents-that-hide): the shells of a renamed copy still source it, so they vouch for their parent.
      childArgs: ['\\.claude/shell-snapshots/snapshot-'],
      sdkPaths: [
        // npm pack @anthropic-ai/claude-agent-sdk-linux-x64@0.3.337: the native Claude Code binary `claude` at the package root,
        // one optional dependency per platform (-linux-x64, -linux-arm64, -*-musl, -darwin-*, -win32-*) of the SDK 0.3.x.
        'node_modules/@anthropic-ai/claude-agent-sdk-*/claude*',
        // npm pack @anthropic-ai/claude-agent-sdk@0.2.44: SDK 0.2.x ships Claude Code as cli.js and runs it with node.
        'node_modules/@anthropic-ai/claude-agent-sdk/cli.js',
        // ACP adapters that run Claude Code through the SDK (npm view: bins claude-code-acp 0.16.2, claude-agent-acp 0.23.1,
        // both depend on @anthropic-ai/claude-agent-sdk): using one is using Claude Code.
        'node_modules/@zed-industries/claude-code-acp/**',
        'node_modules/@zed-industries/claude-agent-acp/**',
      ],
      // Session transcripts, appended to while a session runs; nothing else writes there.
      openFiles: ['~/.claude/projects/**'],
    },
    // Libraries that run Claude Code inside another program. The Agent SDK ships the claude binary in its
    // platform packages (@anthropic-ai/claude-agent-sdk-<platform>, npm view optionalDependencies) and the
    // Python SDK bundles the CLI (https://github.com/anthropics/claude-agent-sdk-python: "bundled Claude CLI");
    // claude-code-sdk is the Python SDK's former name, @anthropic-ai/claude-code the CLI used as a library;
    // Zed's ACP adapter depends on the Agent SDK (npm view @zed-industries/claude-code-acp dependencies).
    sdkPackages: {
      npm: ['@anthropic-ai/claude-agent-sdk', '@anthropic-ai/claude-code', '@zed-industries/claude-code-acp'],
      pip: ['claude-agent-sdk', 'claude-code-sdk'],
    },
    packages: {
      npm: ['@anthropic-ai/claude-code'],
      brewCask: ['claude-code'],
    },
    installPaths: ['~/.local/share/claude/versions/{version}'],
    vscodeExtensions: ['anthropic.claude-code'],
    jetbrainsPlugins: ['com.anthropic.code.plugin'],
    // Community Neovim integrations that run the claude CLI: coder/claudecode.nvim, greggh/claude-code.nvim.
    vimPlugins: ['claudecode.nvim', 'claude-code.nvim'],
    home: [
      { path: '~/.claude' },
      { path: '~/.claude.json' },
      { path: '~/.local/share/claude' },
      { path: '~/.local/state/claude' },
      { path: '~/.cache/claude' },
      { path: '~/Library/Caches/claude-cli-nodejs', os: ['macos'] },
    ],
    repo: ['CLAUDE.md', 'CLAUDE.local.md', '.claude/', '.mcp.json', '.worktreeinclude'],
    env: [
      { name: 'CLAUDECODE', value: '^1$' },
      // T: checked by std-env and @vercel/detect-agent beside CLAUDECODE.
      { name: 'CLAUDE_CODE' },
      { name: 'CLAUDE_CODE_ENTRYPOINT' },
      { name: 'CLAUDE_CODE_SESSION_ID' },
      { name: 'CLAUDE_CODE_CHILD_SESSION' },
      { name: 'CLAUDE_CODE_EXECPATH' },
      { name: 'AI_AGENT', value: '^claude-code' },
      // V (agents-that-hide): the Agent SDK starts Claude Code with these (0.2.44 and 0.3.337 alike); the process carrying them is Claude Code.
      { name: 'CLAUDE_AGENT_SDK_VERSION', marks: 'self' },
      { name: 'CLAUDE_CODE_ENTRYPOINT', value: '^sdk-', marks: 'self' },
    ],
    commits: [
      { pattern: '^Co-authored-by:\\s*Claude\\b.*<noreply@anthropic\\.com>' },
      { pattern: 'Generated with \\[Claude Code\\]' },
    ],
    mcpConfigs: [
      // D: Claude Code MCP docs. User-scope servers at the top level, local-scope ones under projects[<dir>].mcpServers.
      { path: '~/.claude.json', format: 'projects.mcpServers' },
      // D: project-scope servers, shared through the repository.
      { path: '.mcp.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @anthropic-ai/claude-code',
    native: 'rm -rf ~/.local/share/claude ~/.local/bin/claude',
    brew: 'brew uninstall --cask claude-code',
    extension: 'code --uninstall-extension anthropic.claude-code',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/claude-code.rb'],
  native: {
    managedSettings: {
      linux: '/etc/claude-code/managed-settings.json',
      macos: '/Library/Application Support/ClaudeCode/managed-settings.json',
      windows: 'C:\\Program Files\\ClaudeCode\\managed-settings.json',
      source:
        'D https://code.claude.com/docs/en/settings and /en/managed-settings: the file per OS (older docs named C:\\ProgramData\\ClaudeCode on Windows)',
    },
    managedMcp: {
      linux: '/etc/claude-code/managed-mcp.json',
      macos: '/Library/Application Support/ClaudeCode/managed-mcp.json',
      windows: 'C:\\Program Files\\ClaudeCode\\managed-mcp.json',
      source: 'D https://code.claude.com/docs/en/managed-mcp: managed-mcp.json beside managed-settings.json; an empty server map disables MCP',
    },
    builtInTools: {
      // Every tool the permission rule syntax names: a deny rule per name takes every built-in tool away.
      names: [
        'Agent', 'Artifact', 'Bash', 'Cd', 'Edit', 'EnterWorktree', 'ExitPlanMode', 'Glob', 'Grep', 'KillShell', 'LSP',
        'Monitor', 'MultiEdit', 'NotebookEdit', 'PowerShell', 'Read', 'ShareOnboardingGuide', 'Skill', 'TaskCreate',
        'TaskGet', 'TaskList', 'TaskOutput', 'TaskStop', 'TaskUpdate', 'TodoWrite', 'ToolSearch', 'WebFetch',
        'WebSearch', 'Workflow', 'Write',
        // Offered to the model by Claude Code 2.1.332 but missing from SchemaStore's pattern.
        ...OBSERVED_NOT_IN_SCHEMA,
      ],
      source:
        'T SchemaStore claude-code-settings.json, permissionRule pattern (committed as test/fixtures/native/claude-code-settings.schema.json); V the tools the real Claude Code 2.1.332 offers the model (test/native/real-claude-code.test.ts)',
    },
  },
};

export default tool;

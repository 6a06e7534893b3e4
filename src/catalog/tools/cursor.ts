import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'cursor',
  name: 'Cursor',
  vendor: 'Anysphere',
  homepage: 'https://cursor.com',
  category: 'ai-ide',
  description: 'AI code editor forked from VS Code, with the Cursor Agent CLI.',
  install: 'https://cursor.com/download (CLI: curl https://cursor.com/install -fsS | bash)',
  signatures: {
    executables: [
      { name: 'cursor' },
      { name: 'cursor-agent' },
      // The CLI's newer name; far too generic to count alone.
      { name: 'agent', ambiguous: true },
    ],
    processes: {
      names: ['Cursor', 'cursor', 'cursor-agent', 'cursorsandbox'],
      paths: [
        '~/.local/share/cursor-agent/**',
        '/Applications/Cursor.app/**',
        '%LOCALAPPDATA%/Programs/cursor/**',
        // K: Linux install folders.
        '/opt/Cursor/**',
        '/usr/share/cursor/**',
      ],
    },
    packages: { brewCask: ['cursor', 'cursor-cli'] },
    installPaths: ['~/.local/share/cursor-agent/versions/{version}'],
    apps: {
      macos: { bundleNames: ['Cursor.app'], bundleIds: ['com.todesktop.230313mzl4w4u92'] },
      windows: { paths: ['%LOCALAPPDATA%/Programs/cursor/Cursor.exe'], displayNames: ['Cursor'] },
      // K: AppImage and package locations.
      // K: also the lower-case names user install scripts give the AppImage (~/Applications/cursor.AppImage).
      linux: { paths: ['/opt/Cursor', '/usr/share/cursor', 'Cursor-*.AppImage', 'cursor.AppImage', 'cursor-*.AppImage'], desktopFiles: ['cursor.desktop'] },
    },
    home: [
      { path: '~/.cursor' },
      { path: '~/.config/cursor-agent' },
      { path: '~/.local/share/cursor-agent' },
      { path: '~/Library/Application Support/Cursor', os: ['macos'] },
      // K
      { path: '$XDG_CONFIG_HOME/Cursor', os: ['linux'] },
      { path: '%APPDATA%/Cursor', os: ['windows'] },
    ],
    repo: ['.cursorrules', '.cursor/', '.cursorignore', '.cursorindexingignore'],
    // D: cursor.com/docs/context/skills (personal ~/.cursor/skills, project .cursor/skills).
    skillFolders: ['~/.cursor/skills', '.cursor/skills'],
    env: [
      { name: 'CURSOR_AGENT', value: '^1$' },
      { name: 'CURSOR_EXTENSION_HOST_ROLE', value: '^agent-exec$' },
      // Set in every Cursor terminal, human ones too.
      { name: 'CURSOR_TRACE_ID', strength: 'weak' },
    ],
    commits: [
      // T: background/cloud agents.
      { pattern: '^Co-authored-by:\\s*Cursor Agent\\s*<cursoragent@cursor\\.com>' },
      { pattern: 'Made with \\[Cursor\\]\\(https://cursor\\.com\\)' },
      // T (shared/research/ai-tool-signatures.md §3): the address background agents commit under, as author or committer.
      { pattern: '^cursoragent@cursor\\.com$', in: 'author' },
      { pattern: '^cursoragent@cursor\\.com$', in: 'committer' },
    ],
    // D: Cursor MCP docs (global and project mcp.json).
    mcpConfigs: [
      { path: '~/.cursor/mcp.json', format: 'mcpServers' },
      { path: '.cursor/mcp.json', format: 'mcpServers' },
    ],
  },
  remove: {
    app: 'quit Cursor, then delete Cursor.app (macOS), uninstall Cursor from Apps (Windows) or remove the AppImage (Linux)',
    brew: 'brew uninstall --cask cursor cursor-cli',
    native: 'rm -rf ~/.local/share/cursor-agent ~/.local/bin/cursor-agent ~/.local/bin/agent',
  },
  sources: [
    'research',
    'https://cursor.com/docs/cli/installation',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/cursor.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/cursor-cli.rb',
  ],
  native: {
    vscodePolicy: {
      honoured: 'unverified',
      source:
        "V shared/research/native-controls.md: Cursor 2.0+ has its own AllowedExtensions / AllowedTeamId policies at paths not verified; no Cursor page says it reads VS Code's com.microsoft.VSCode, Software\\Policies\\Microsoft\\VSCode or /etc/vscode/policy.json",
    },
    santa: {
      // Cursor is the one product this team is known to sign (no other Installomator label names it).
      teamId: 'VDXQ22DGB9',
      teamIdExclusive: true,
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/cursorai.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;

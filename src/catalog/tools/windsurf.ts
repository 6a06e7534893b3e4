import type { ToolEntry } from '../schema.js';

// The Windsurf editor and the Windsurf (ex-Codeium) plugins share the language server and ~/.codeium.
const tool: ToolEntry = {
  id: 'windsurf',
  name: 'Windsurf',
  vendor: 'Cognition (formerly Codeium)',
  homepage: 'https://windsurf.com/editor',
  category: 'ai-ide',
  description: 'Agentic IDE forked from VS Code, plus the Windsurf/Codeium plugins for other editors.',
  install: 'https://windsurf.com/download (macOS: brew install --cask windsurf)',
  signatures: {
    executables: [{ name: 'windsurf' }],
    processes: {
      names: [
        'Windsurf',
        'windsurf',
        'language_server_macos_arm',
        'language_server_macos_x64',
        'language_server_linux_x64',
        'language_server_windows_x64',
      ],
      paths: ['~/.codeium/bin/**', '/Applications/Windsurf.app/**', '%LOCALAPPDATA%/Programs/Windsurf/**', '/usr/share/windsurf/**'],
    },
    packages: { brewCask: ['windsurf'] },
    installPaths: ['~/.codeium/bin/**'],
    vscodeExtensions: ['Codeium.codeium'],
    jetbrainsPlugins: ['com.codeium.intellij'],
    // Exafunction/codeium.vim and codeium.nvim, renamed windsurf.vim and windsurf.nvim.
    vimPlugins: ['codeium.vim', 'codeium.nvim', 'windsurf.vim', 'windsurf.nvim'],
    apps: {
      macos: { bundleNames: ['Windsurf.app'], bundleIds: ['com.exafunction.windsurf'] },
      // K: install folders.
      windows: { paths: ['%LOCALAPPDATA%/Programs/Windsurf/Windsurf.exe'], displayNames: ['Windsurf'] },
      linux: { paths: ['/usr/share/windsurf'], desktopFiles: ['windsurf.desktop'] },
    },
    home: [
      { path: '~/.codeium' },
      { path: '~/.windsurf' },
      { path: '~/Library/Application Support/Windsurf', os: ['macos'] },
      // K
      { path: '$XDG_CONFIG_HOME/Windsurf', os: ['linux'] },
      { path: '%APPDATA%/Windsurf', os: ['windows'] },
    ],
    repo: ['.windsurfrules', '.windsurf/', '.codeiumignore'],
    env: [
      // T: other detectors use it; likely present in every Windsurf terminal.
      { name: 'CODEIUM_EDITOR_APP_ROOT', strength: 'weak' },
    ],
    // D: Windsurf Cascade MCP docs (%USERPROFILE% on Windows; remote servers use `serverUrl`).
    mcpConfigs: [{ path: '~/.codeium/windsurf/mcp_config.json', format: 'mcpServers' }],
  },
  remove: {
    app: 'quit Windsurf, then delete Windsurf.app (macOS), uninstall Windsurf from Apps (Windows) or remove the windsurf package (Linux)',
    brew: 'brew uninstall --cask windsurf',
    extension: 'code --uninstall-extension Codeium.codeium',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/w/windsurf.rb'],
  native: {
    vscodePolicy: {
      honoured: 'unverified',
      source: "V a docs search (December 2026) found no Windsurf page saying it reads VS Code's enterprise policies",
    },
  },
};

export default tool;

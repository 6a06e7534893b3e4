import type { ToolEntry } from '../schema.js';

// Google Antigravity ships three products: the agent app (Antigravity.app), the VS Code-fork IDE
// (Antigravity IDE.app) and a terminal CLI. They share the vendor, the sign-in and ~/.gemini, so
// one entry covers all three.
const tool: ToolEntry = {
  id: 'antigravity',
  name: 'Google Antigravity',
  vendor: 'Google',
  homepage: 'https://antigravity.google/',
  category: 'ai-ide',
  description: "Google's agent platform: the Antigravity app, the Antigravity IDE (a VS Code fork) and the `agy` CLI.",
  install: 'https://antigravity.google/download (macOS: brew install --cask antigravity antigravity-ide antigravity-cli)',
  signatures: {
    executables: [
      // Homebrew cask antigravity-cli links its `antigravity` binary as `agy`.
      { name: 'agy' },
      // Homebrew cask antigravity-ide links the IDE's launcher under both names.
      { name: 'antigravity-ide' },
      { name: 'agy-ide' },
      // T: the IDE's launcher on Linux (nixpkgs-style wrappers run Antigravity/antigravity).
      { name: 'antigravity' },
    ],
    processes: {
      // T: Antigravity.app/Contents/MacOS/Antigravity is the main executable.
      names: ['Antigravity', 'agy', 'antigravity-ide'],
      paths: [
        '/Applications/Antigravity.app/**',
        '/Applications/Antigravity IDE.app/**',
        '~/Applications/Antigravity.app/**',
        // T: StepSecurity Dev Machine Guard SCAN_COVERAGE.md (Windows install folder).
        '%LOCALAPPDATA%/Programs/Antigravity/**',
      ],
    },
    packages: { brewCask: ['antigravity', 'antigravity-ide', 'antigravity-cli'] },
    apps: {
      // Homebrew casks: `uninstall quit:` names the bundle ids.
      macos: {
        bundleNames: ['Antigravity.app', 'Antigravity IDE.app'],
        bundleIds: ['com.google.antigravity', 'com.google.antigravity-ide'],
      },
      // T: StepSecurity SCAN_COVERAGE.md; the executable name is K (VS Code-fork layout).
      windows: { paths: ['%LOCALAPPDATA%/Programs/Antigravity/Antigravity.exe'], displayNames: ['Antigravity'] },
      // K: the VS Code-fork package layout and desktop file.
      linux: { paths: ['/usr/share/antigravity'], desktopFiles: ['antigravity.desktop'] },
    },
    home: [
      // Homebrew casks' zap lists (antigravity, antigravity-ide, antigravity-cli).
      { path: '~/.antigravity' },
      { path: '~/.gemini/antigravity' },
      { path: '~/.antigravity-ide' },
      { path: '~/.gemini/antigravity-ide' },
      { path: '~/.gemini/antigravity-cli' },
      { path: '~/Library/Application Support/Antigravity', os: ['macos'] },
      { path: '~/Library/Application Support/Antigravity IDE', os: ['macos'] },
      // K: Electron's default user-data folders.
      { path: '%APPDATA%/Antigravity', os: ['windows'] },
      { path: '$XDG_CONFIG_HOME/Antigravity', os: ['linux'] },
    ],
    // T: StepSecurity SCAN_COVERAGE.md (MCP configuration sources); D: the raw MCP config the app's
    // "Manage MCP Servers" opens holds an `mcpServers` map (docs.silabs.com MCP setup for Antigravity).
    mcpConfigs: [{ path: '~/.gemini/antigravity/mcp_config.json', format: 'mcpServers' }],
  },
  remove: {
    app: 'quit Antigravity, then delete Antigravity.app / Antigravity IDE.app (macOS) or uninstall Antigravity from Apps (Windows)',
    brew: 'brew uninstall --cask antigravity antigravity-ide antigravity-cli',
  },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/a/antigravity.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/a/antigravity-ide.rb',
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/a/antigravity-cli.rb',
    'https://github.com/step-security/dev-machine-guard/blob/main/SCAN_COVERAGE.md',
    'https://docs.silabs.com/mcp/1.0.0/mcp-setup/antigravity',
  ],
};

export default tool;

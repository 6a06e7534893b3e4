import type { ToolEntry } from '../schema.js';

// The desktop app only: the Docker image runs on a server, not as a tool on the machine.
const tool: ToolEntry = {
  id: 'anythingllm',
  name: 'AnythingLLM',
  vendor: 'Mintplex Labs',
  homepage: 'https://anythingllm.com/',
  category: 'local-model-runtime',
  description: 'Desktop AI app with a bundled local model runtime, document chat and AI agents that use MCP servers.',
  install: 'https://anythingllm.com/desktop (macOS: brew install --cask anythingllm)',
  signatures: {
    processes: {
      paths: [
        '/Applications/AnythingLLM.app/**',
        '~/Applications/AnythingLLM.app/**',
        // D: docs.anythingllm.com, debugging (the Windows executable).
        '%LOCALAPPDATA%/Programs/anythingllm-desktop/**',
        'AnythingLLMDesktop*.AppImage',
      ],
    },
    packages: { brewCask: ['anythingllm'], winget: ['MintplexLabs.AnythingLLM'] },
    apps: {
      // Homebrew cask anythingllm: app "AnythingLLM.app"; its zap list names com.anythingllm.plist.
      macos: { bundleNames: ['AnythingLLM.app'], bundleIds: ['com.anythingllm'] },
      // D: docs.anythingllm.com, debugging.
      windows: { paths: ['%LOCALAPPDATA%/Programs/anythingllm-desktop/AnythingLLMDesktop.exe'], displayNames: ['AnythingLLM'] },
      // T: the vendor's Linux installer script saves $HOME/AnythingLLMDesktop.AppImage.
      linux: { paths: ['AnythingLLMDesktop*.AppImage'] },
    },
    home: [
      // Homebrew cask anythingllm's zap list.
      { path: '~/Library/Application Support/anythingllm-desktop', os: ['macos'] },
      // T: the desktop storage folder on Linux; K: Electron's default user-data folder on Windows.
      { path: '$XDG_CONFIG_HOME/anythingllm-desktop', os: ['linux'] },
      { path: '%APPDATA%/anythingllm-desktop', os: ['windows'] },
    ],
    // D: docs.anythingllm.com MCP compatibility: anythingllm_mcp_servers.json in the storage
    // plugins folder, shaped like other clients' `mcpServers` files; T: the folder on Linux.
    mcpConfigs: [
      { path: '~/Library/Application Support/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json', format: 'mcpServers', os: ['macos'] },
      { path: '$XDG_CONFIG_HOME/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json', format: 'mcpServers', os: ['linux'] },
      { path: '%APPDATA%/anythingllm-desktop/storage/plugins/anythingllm_mcp_servers.json', format: 'mcpServers', os: ['windows'] },
    ],
  },
  remove: {
    app: 'quit AnythingLLM, then delete AnythingLLM.app (macOS), uninstall it from Apps (Windows) or delete the AppImage (Linux)',
    brew: 'brew uninstall --cask anythingllm',
  },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/a/anythingllm.rb',
    'https://docs.anythingllm.com/installation-desktop/debug',
    'https://docs.anythingllm.com/mcp-compatibility/overview',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/apps/apps.go',
  ],
};

export default tool;

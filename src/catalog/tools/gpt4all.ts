import type { ToolEntry } from '../schema.js';

// The PyPI and npm packages named `gpt4all` are client bindings that load models in-process, not
// the desktop app: not listed (as for Ollama's and LM Studio's client libraries).
const tool: ToolEntry = {
  id: 'gpt4all',
  name: 'GPT4All',
  vendor: 'Nomic AI',
  homepage: 'https://www.nomic.ai/gpt4all',
  category: 'local-model-runtime',
  description: 'Desktop app that downloads and runs local language models, with an optional OpenAI-compatible local API.',
  install: 'https://www.nomic.ai/gpt4all (macOS: brew install --cask gpt4all)',
  signatures: {
    processes: {
      // gpt4all-chat/cmake/cpack_config.cmake: the Qt installer's target folder is
      // @ApplicationsDir@/gpt4all (macOS) and @HomeDir@/gpt4all (Linux, Windows); the app is in its bin/.
      paths: ['/Applications/gpt4all/bin/**', '~/gpt4all/bin/**'],
    },
    packages: { brewCask: ['gpt4all'], winget: ['nomic.gpt4all'] },
    // The app bundle sits inside /Applications/gpt4all/bin, below where bundles are looked for, and
    // Windows and Linux installs are in the home folder: the install folder is the evidence.
    installPaths: ['/Applications/gpt4all', '~/gpt4all/bin'],
    // cpack_config.cmake: the installer's package name, as Windows lists it under installed apps.
    apps: { windows: { displayNames: ['GPT4All'] } },
    home: [
      // Homebrew cask gpt4all: `uninstall delete:` and `zap trash:`.
      { path: '~/Library/Application Support/nomic.ai/GPT4All', os: ['macos'] },
      { path: '~/Library/Application Support/GPT4All', os: ['macos'] },
      // K: Qt's per-user data folder for organisation nomic.ai, application GPT4All.
      { path: '$XDG_DATA_HOME/nomic.ai/GPT4All', os: ['linux'] },
      { path: '%LOCALAPPDATA%/nomic.ai/GPT4All', os: ['windows'] },
    ],
  },
  remove: {
    app: 'run the maintenance tool in the gpt4all install folder (macOS: /Applications/gpt4all/maintenancetool.app; Windows and Linux: ~/gpt4all/maintenancetool)',
    brew: 'brew uninstall --cask gpt4all',
  },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/g/gpt4all.rb',
    'https://github.com/nomic-ai/gpt4all/blob/main/gpt4all-chat/cmake/cpack_config.cmake',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/apps/apps.go',
  ],
};

export default tool;

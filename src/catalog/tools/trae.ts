import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'trae',
  name: 'Trae',
  vendor: 'ByteDance',
  homepage: 'https://www.trae.ai/',
  category: 'ai-ide',
  description: "ByteDance's AI IDE forked from VS Code, in international and CN editions.",
  install: 'https://www.trae.ai/download (macOS: brew install --cask trae)',
  signatures: {
    // K: IDE launcher.
    executables: [{ name: 'trae' }],
    processes: {
      names: ['Trae', 'Trae CN'],
      paths: ['/Applications/Trae.app/**', '/Applications/Trae CN.app/**', '%LOCALAPPDATA%/Programs/Trae/**'],
    },
    packages: { brewCask: ['trae'] },
    apps: {
      // 'Trae CN.app' is K.
      macos: { bundleNames: ['Trae.app', 'Trae CN.app'], bundleIds: ['com.trae.app'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/Trae'], displayNames: ['Trae'] },
    },
    home: [
      { path: '~/.trae' },
      // K
      { path: '~/.trae-cn' },
      { path: '~/Library/Application Support/Trae', os: ['macos'] },
    ],
    repo: ['.trae/'],
    // T: other detectors' lists.
    env: [{ name: 'TRAE_AI_SHELL_ID' }],
  },
  remove: {
    app: 'quit Trae, then delete Trae.app (macOS) or uninstall Trae from Apps (Windows)',
    brew: 'brew uninstall --cask trae',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/t/trae.rb'],
};

export default tool;

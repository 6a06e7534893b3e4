import type { ToolEntry } from '../schema.js';

// The npm @lmstudio/sdk and PyPI lmstudio packages are client SDKs: not listed.
const tool: ToolEntry = {
  id: 'lm-studio',
  name: 'LM Studio',
  vendor: 'Element Labs',
  homepage: 'https://lmstudio.ai/',
  category: 'local-model-runtime',
  description: 'Desktop app and `lms` CLI that download and serve local language models.',
  install: 'https://lmstudio.ai/download (macOS: brew install --cask lm-studio)',
  signatures: {
    // `lms` is a short name other programs use; its path (~/.lmstudio/bin) proves it.
    executables: [{ name: 'lms', ambiguous: true }],
    processes: {
      names: ['lms', 'LM Studio'],
      ambiguousNames: ['lms'],
      paths: ['~/.lmstudio/bin/**', '/Applications/LM Studio.app/**', '%LOCALAPPDATA%/Programs/LM Studio/**'],
    },
    packages: { brewCask: ['lm-studio'] },
    installPaths: ['~/.lmstudio/bin'],
    apps: {
      macos: { bundleNames: ['LM Studio.app'], bundleIds: ['ai.elementlabs.lmstudio'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/LM Studio/LM Studio.exe'], displayNames: ['LM Studio'] },
      linux: { paths: ['LM-Studio-*.AppImage'] },
    },
    home: [
      { path: '~/.lmstudio' },
      // K: older releases.
      { path: '~/.cache/lm-studio' },
      { path: '~/Library/Application Support/LM Studio', os: ['macos'] },
    ],
  },
  remove: {
    app: 'quit LM Studio, then delete LM Studio.app (macOS), uninstall it from Apps (Windows) or delete the AppImage (Linux)',
    brew: 'brew uninstall --cask lm-studio',
  },
  sources: ['research', 'https://lmstudio.ai/docs/cli', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/l/lm-studio.rb'],
  native: {
    santa: {
      // LM Studio is the one product this team is known to sign (no other Installomator label names it).
      teamId: 'D65G88RHWN',
      teamIdExclusive: true,
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/lmstudio.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;

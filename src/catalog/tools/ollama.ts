import type { ToolEntry } from '../schema.js';

// The npm and PyPI packages named `ollama` are client libraries, not the runtime: not listed.
const tool: ToolEntry = {
  id: 'ollama',
  name: 'Ollama',
  vendor: 'Ollama',
  homepage: 'https://ollama.com/',
  category: 'local-model-runtime',
  description: 'Runs open-weight language models locally behind an HTTP API on port 11434.',
  install: 'https://ollama.com/download (Linux: curl -fsSL https://ollama.com/install.sh | sh)',
  signatures: {
    executables: [{ name: 'ollama' }],
    processes: {
      // K: server, model runners (older builds: ollama_llama_server) and the app.
      names: ['ollama', 'Ollama', 'ollama_llama_server', 'ollama app'],
      paths: ['/Applications/Ollama.app/**', '%LOCALAPPDATA%/Programs/Ollama/**'],
    },
    packages: {
      // K: formula name from memory; the cask is confirmed.
      brew: ['ollama'],
      brewCask: ['ollama-app'],
      // T: `snap install ollama` in many guides; publisher not checked.
      snap: ['ollama'],
    },
    apps: {
      macos: { bundleNames: ['Ollama.app'], bundleIds: ['com.electron.ollama'] },
      // K
      windows: { paths: ['%LOCALAPPDATA%/Programs/Ollama/ollama app.exe'], displayNames: ['Ollama'] },
      linux: { paths: ['/usr/local/bin/ollama', '/usr/share/ollama'] },
    },
    home: [{ path: '~/.ollama' }, { path: '~/Library/Application Support/Ollama', os: ['macos'] }],
    // K
    repo: ['Modelfile'],
  },
  remove: {
    app: 'quit Ollama, then delete Ollama.app (macOS) or uninstall Ollama from Apps (Windows); models stay in ~/.ollama',
    brew: 'brew uninstall ollama (or: brew uninstall --cask ollama-app)',
    native: 'sudo systemctl disable --now ollama && sudo rm -f /usr/local/bin/ollama /etc/systemd/system/ollama.service',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/o/ollama-app.rb'],
  native: {
    santa: {
      // Ollama is the one product this team is known to sign (no other Installomator label names it).
      teamId: '3MU9H2V9Y9',
      teamIdExclusive: true,
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/ollama.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;

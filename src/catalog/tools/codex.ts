import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'codex',
  name: 'OpenAI Codex CLI',
  vendor: 'OpenAI',
  homepage: 'https://openai.com/codex/',
  category: 'agent-cli',
  description: "OpenAI's coding agent for the terminal, with an IDE extension and a background app-server daemon.",
  install: 'npm install -g @openai/codex',
  signatures: {
    skillFolders: [
      // D: developers.openai.com/codex/skills (the user folder before ~/.agents/skills; still read) and the admin folder.
      '~/.codex/skills',
      '/etc/codex/skills',
    ],
    executables: [{ name: 'codex' }],
    processes: {
      // The sandbox helper keeps comm=codex but its argv0 is codex-linux-sandbox.
      names: ['codex', 'codex-linux-sandbox'],
      paths: [
        // The managed app-server daemon outlives the TUI.
        '~/.codex/packages/**',
        // Platform builds are npm aliases (@openai/codex-linux-x64 -> @openai/codex@<ver>-linux-x64), hoisted by some managers.
        'node_modules/@openai/codex-linux-*/**',
        'node_modules/@openai/codex-darwin-*/**',
        'node_modules/@openai/codex-win32-*/**',
      ],
      args: ['\\bapp-server\\b.*--managed-daemon', '\\bapp-server daemon pid-update-loop\\b', '\\.codex/shell_snapshots/'],
      // Its shells source the snapshot, so they vouch for their parent whatever it is called.
      childArgs: ['\\.codex/shell_snapshots/'],
      // Zed's Codex ACP adapter (npm view @zed-industries/codex-acp 0.16.0: bin codex-acp, native binary bin/codex-acp in
      // @zed-industries/codex-acp-<platform>) runs the Codex agent in-process.
      sdkPaths: ['node_modules/@zed-industries/codex-acp/**', 'node_modules/@zed-industries/codex-acp-*/**'],
      // Session rollouts, appended to while a session runs.
      openFiles: ['~/.codex/sessions/**'],
    },
    // @openai/codex-sdk depends on @openai/codex and spawns it (npm view; repository openai/codex, sdk/typescript);
    // Zed's ACP adapter embeds Codex (https://github.com/zed-industries/codex-acp).
    sdkPackages: { npm: ['@openai/codex-sdk', '@zed-industries/codex-acp'] },
    packages: {
      npm: ['@openai/codex'],
      brewCask: ['codex'],
    },
    installPaths: ['~/.codex/packages/**'],
    vscodeExtensions: ['openai.chatgpt'],
    apps: {
      // K: Codex desktop app; bundle id seen only in third-party lists.
      macos: { bundleNames: ['Codex.app'], bundleIds: ['com.openai.codex'] },
    },
    home: [{ path: '~/.codex' }],
    repo: ['.codex/'],
    env: [
      { name: 'CODEX_CI' },
      { name: 'CODEX_THREAD_ID' },
      { name: 'CODEX_SESSION_ID' },
      { name: 'CODEX_TOOL_CALL_ID' },
      { name: 'CODEX_MANAGED_BY_NPM' },
      { name: 'CODEX_MANAGED_PACKAGE_ROOT' },
      { name: 'CODEX_SANDBOX_NETWORK_DISABLED' },
      { name: 'CODEX_SANDBOX', value: '^seatbelt$' },
    ],
    commits: [
      { pattern: '^Co-authored-by:\\s*Codex\\s*<noreply@openai\\.com>' },
      { pattern: 'Generated with \\[Codex\\]\\(https://openai\\.com/codex/?\\)' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @openai/codex',
    brew: 'brew uninstall --cask codex',
    native: 'stop the app-server daemon, then rm -rf ~/.codex/packages',
    extension: 'code --uninstall-extension openai.chatgpt',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/codex.rb'],
  native: {
    santa: {
      // OpenAI's team also signs the ChatGPT app (Installomator chatgpt.sh).
      teamId: '2DC432GLL2',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/codex.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;

import type { ToolEntry } from '../schema.js';

// The chat app, kept apart from codex (the coding agent and its own Codex.app), as
// claude-desktop is kept apart from claude-code. Its "work with apps" reads editors and terminals.
const tool: ToolEntry = {
  id: 'chatgpt-desktop',
  name: 'ChatGPT desktop app',
  vendor: 'OpenAI',
  homepage: 'https://chatgpt.com/download',
  category: 'desktop-app',
  description: "OpenAI's ChatGPT desktop app, which can read and edit code in IDEs and terminals it is connected to.",
  install: 'https://chatgpt.com/download (macOS: brew install --cask chatgpt)',
  signatures: {
    processes: { paths: ['/Applications/ChatGPT.app/**', '~/Applications/ChatGPT.app/**'] },
    packages: { brewCask: ['chatgpt'] },
    // Homebrew cask chatgpt: app "ChatGPT.app", uninstall quit "com.openai.chat".
    apps: { macos: { bundleNames: ['ChatGPT.app'], bundleIds: ['com.openai.chat'] } },
    home: [
      // Homebrew cask chatgpt's zap list.
      { path: '~/Library/Application Support/com.openai.chat', os: ['macos'] },
      { path: '~/Library/Application Support/ChatGPT', os: ['macos'] },
    ],
  },
  remove: { app: 'quit ChatGPT, then delete ChatGPT.app (macOS) or uninstall ChatGPT from Apps (Windows)', brew: 'brew uninstall --cask chatgpt' },
  sources: [
    'https://github.com/Homebrew/homebrew-cask/blob/master/Casks/c/chatgpt.rb',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/apps/apps.go',
  ],
  native: {
    santa: {
      // OpenAI's team also signs Codex (Installomator codex.sh), so never a team-wide rule for one of them.
      teamId: '2DC432GLL2',
      source: 'T https://github.com/Installomator/Installomator/blob/main/fragments/labels/chatgpt.sh (expectedTeamID, which Installomator checks against the downloaded app\'s signature)',
    },
  },
};

export default tool;

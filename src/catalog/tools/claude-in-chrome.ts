import type { ToolEntry } from '../schema.js';

// Kept apart from claude-code and claude-desktop: a browser agent acting in the user's logged-in browser is often ruled on separately.
const tool: ToolEntry = {
  id: 'claude-in-chrome',
  name: 'Claude in Chrome',
  vendor: 'Anthropic',
  homepage: 'https://chromewebstore.google.com/detail/claude/fcoeoabgfenejglbffodgkkbkcdhcgfn',
  category: 'browser-extension',
  description: "Anthropic's browser agent: a Chrome extension that reads pages and clicks, types and navigates in the user's browser (also driven by Claude Code).",
  install: 'https://chromewebstore.google.com/detail/claude/fcoeoabgfenejglbffodgkkbkcdhcgfn',
  signatures: {
    browserExtensions: {
      // D: the store page; Claude Code's VS Code docs link it as the Claude in Chrome extension, and Claude Code registers
      // its native messaging host for chrome-extension://fcoeoabgfenejglbffodgkkbkcdhcgfn/.
      chromium: ['fcoeoabgfenejglbffodgkkbkcdhcgfn'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/claude/fcoeoabgfenejglbffodgkkbkcdhcgfn'],
};

export default tool;

import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'harpa-ai',
  name: 'HARPA AI',
  vendor: 'HARPA AI',
  homepage: 'https://harpa.ai',
  category: 'browser-extension',
  description: 'AI agent for the browser: automates, searches, summarises and writes on any website.',
  install: 'https://chromewebstore.google.com/detail/harpa-ai-automation-agent/eanggfilgoajaocelnaflolkadkeghjp',
  signatures: {
    browserExtensions: {
      // D: the store page. Lists circulating online give other ids for HARPA that no store page confirms; they are left out.
      chromium: ['eanggfilgoajaocelnaflolkadkeghjp'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/harpa-ai-automation-agent/eanggfilgoajaocelnaflolkadkeghjp'],
};

export default tool;

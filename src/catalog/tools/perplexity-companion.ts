import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'perplexity-companion',
  name: 'Perplexity AI Companion',
  vendor: 'Perplexity',
  homepage: 'https://www.perplexity.ai',
  category: 'browser-extension',
  description: "Perplexity's browser extension: asks about and summarises the page being read.",
  install: 'https://chromewebstore.google.com/detail/perplexity-ai-companion/hlgbcneanomplepojfcnclggenpcoldo',
  signatures: {
    browserExtensions: {
      // D: the store page. Look-alike extensions ("Complexity", ...) have other ids and do not match.
      chromium: ['hlgbcneanomplepojfcnclggenpcoldo'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/perplexity-ai-companion/hlgbcneanomplepojfcnclggenpcoldo'],
};

export default tool;

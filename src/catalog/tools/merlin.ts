import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'merlin',
  name: 'Merlin',
  vendor: 'Merlin',
  homepage: 'https://www.getmerlin.in',
  category: 'browser-extension',
  description: 'AI assistant for the browser: chat, research, writing and summaries on any page.',
  install: 'https://chromewebstore.google.com/detail/merlin-ai/camppjleccjaphfdbohjdohecfnoikec',
  signatures: {
    browserExtensions: {
      // D: the store page.
      chromium: ['camppjleccjaphfdbohjdohecfnoikec'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/merlin-ai/camppjleccjaphfdbohjdohecfnoikec'],
};

export default tool;

/**
 * Skills folders of agents whose catalog files this change does not edit
 * (claude-code, codex, github-copilot, gemini-cli are owned elsewhere): kept
 * here as data and merged into those entries by ./index.ts. Each belongs in
 * its entry's `signatures.skillFolders`; move it there when those files are
 * next edited, and delete this file.
 *
 * Only where the vendor's documentation names the folder. `~/.agents/skills`
 * and `.agents/skills`, which Codex, Gemini CLI, Copilot and Cursor all read,
 * belong to the shared `agent-instructions` entry, as AGENTS.md does.
 */
export const SKILL_FOLDERS: Readonly<Record<string, readonly string[]>> = {
  'claude-code': [
    // D: code.claude.com/docs/en/skills (personal and project skills).
    '~/.claude/skills',
    '.claude/skills',
    // T: installed plugins are unpacked to ~/.claude/plugins/cache/<marketplace>/<plugin>/<version>/, skills in its skills/ folder
    // (code.claude.com/docs/en/plugins for the plugin layout; the cache path from plugin tooling on GitHub).
    '~/.claude/plugins/cache/*/*/*/skills',
  ],
  codex: [
    // D: developers.openai.com/codex/skills (the user folder before ~/.agents/skills; still read) and the admin folder.
    '~/.codex/skills',
    '/etc/codex/skills',
  ],
  'github-copilot': [
    // D: docs.github.com/en/copilot/how-tos/copilot-cli/customize-copilot/create-skills.
    '~/.copilot/skills',
    '.github/skills',
  ],
  'gemini-cli': [
    // D: geminicli.com/docs/cli/using-agent-skills ("Discovery tiers").
    '~/.gemini/skills',
    '.gemini/skills',
  ],
};

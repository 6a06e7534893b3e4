// The pure parts of reading a repository: which paths are an AI tool's, what
// `git diff --name-status -z` and pre-push's stdin say.
import { describe, expect, it } from 'vitest';
import { pushRevisions } from '../../src/git/commits.js';
import { parseNameStatus } from '../../src/git/files.js';
import { repoPatternMatcher } from '../../src/scanners/repo.js';

describe('repoPatternMatcher (gitignore-like)', () => {
  const match = repoPatternMatcher(['CLAUDE.md', '.claude/', '.aider*', '.cursor/rules/', '.github/copilot-instructions.md', 'AGENTS.md']);
  it.each([
    ['CLAUDE.md', 'CLAUDE.md'],
    ['packages/api/CLAUDE.md', 'CLAUDE.md'],
    ['.claude/settings.json', '.claude/'],
    ['tools/.claude/commands/review.md', '.claude/'],
    ['.aider.conf.yml', '.aider*'],
    ['.aider.tags.cache.v4/cache.db', '.aider*'],
    ['.cursor/rules/style.mdc', '.cursor/rules/'],
    ['.github/copilot-instructions.md', '.github/copilot-instructions.md'],
    ['AGENTS.md', 'AGENTS.md'],
  ])('%s → %s', (file, pattern) => {
    expect(match(file)).toBe(pattern);
  });
  it.each([
    'CLAUDE.md.bak',
    'docs/MYCLAUDE.md',
    '.claude',
    '.cursor/rules',
    'web/.cursor/rules/a.mdc',
    'sub/.github/copilot-instructions.md',
    'README.md',
    'src/aider.ts',
  ])('%s → nothing', (file) => {
    expect(match(file)).toBeUndefined();
  });
});

describe('parseNameStatus', () => {
  it('reads plain entries, and takes the new name of renames and copies', () => {
    expect(parseNameStatus('A\0CLAUDE.md\0M\0src/a.ts\0R100\0old.md\0AGENTS.md\0C075\0a\0.cursorrules\0')).toEqual([
      { file: 'CLAUDE.md', status: 'added' },
      { file: 'src/a.ts', status: 'modified' },
      { file: 'AGENTS.md', status: 'renamed' },
      { file: '.cursorrules', status: 'copied' },
    ]);
  });
  it('keeps names with spaces, tabs and newlines whole', () => {
    expect(parseNameStatus('A\0dir with space/CLAUDE.md\0A\0odd\tname\nCLAUDE.md\0')).toEqual([
      { file: 'dir with space/CLAUDE.md', status: 'added' },
      { file: 'odd\tname\nCLAUDE.md', status: 'added' },
    ]);
  });
  it('ignores deletions and empty output', () => {
    expect(parseNameStatus('D\0CLAUDE.md\0')).toEqual([]);
    expect(parseNameStatus('')).toEqual([]);
  });
});

describe('pushRevisions', () => {
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);
  const zero = '0'.repeat(40);
  it('sends remote..local for an update, what no remote has for a new branch, and nothing for a deletion', () => {
    expect(
      pushRevisions(
        [`refs/heads/main ${a} refs/heads/main ${b}`, `refs/heads/new ${a} refs/heads/new ${zero}`, `(delete) ${zero} refs/heads/old ${b}`, ''].join('\n'),
      ),
    ).toEqual([[`${b}..${a}`], [a, '--not', '--remotes']]);
  });
});

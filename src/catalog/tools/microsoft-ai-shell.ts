import type { ToolEntry } from '../schema.js';

// Archived by Microsoft in January 2026, still installed on machines.
const tool: ToolEntry = {
  id: 'microsoft-ai-shell',
  name: 'Microsoft AI Shell',
  vendor: 'Microsoft',
  homepage: 'https://learn.microsoft.com/powershell/utility-modules/aishell/overview',
  category: 'agent-cli',
  description: 'Interactive shell (`aish`) with a chat interface to AI agents, and its AIShell PowerShell module.',
  install: 'Invoke-Expression "& { $(Invoke-RestMethod \'https://aka.ms/install-aishell.ps1\') }"',
  signatures: {
    executables: [
      // Several unrelated "AI shell" projects install an `aish` too (AI-Shell-Team/aish, ruandada/aish):
      // only the installer's folders below prove this one.
      { name: 'aish', ambiguous: true },
      // T: StepSecurity SCAN_COVERAGE.md lists `ai` as well; far too generic to count alone.
      { name: 'ai', ambiguous: true },
    ],
    processes: {
      names: ['aish'],
      ambiguousNames: ['aish'],
      // D: install-aishell: aish.exe goes to %LOCALAPPDATA%\Programs\AIShell (Windows),
      // /usr/local/AIShell with a link at /usr/local/bin/aish (macOS).
      paths: ['%LOCALAPPDATA%/Programs/AIShell/**', '/usr/local/AIShell/**'],
    },
    installPaths: ['%LOCALAPPDATA%/Programs/AIShell', '/usr/local/AIShell'],
    apps: { windows: { paths: ['%LOCALAPPDATA%/Programs/AIShell/aish.exe'] } },
    // T: StepSecurity SCAN_COVERAGE.md (config directory). Another `aish` keeps ~/.aish/config.toml,
    // so this folder alone is a trace, not proof.
    home: [{ path: '~/.aish' }],
  },
  remove: {
    native: 'Invoke-Expression "& { $(Invoke-RestMethod \'https://aka.ms/install-aishell.ps1\') } -Uninstall"',
  },
  sources: [
    'https://learn.microsoft.com/powershell/utility-modules/aishell/install-aishell',
    'https://github.com/step-security/dev-machine-guard/blob/main/SCAN_COVERAGE.md',
  ],
};

export default tool;

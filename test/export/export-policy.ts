/**
 * Running `aitool export` in-process against a policy file in a temp world,
 * and the test policy that blocks every catalog tool plus a custom tool whose
 * signatures reach the corners the catalog does not (a quote in a name, `_`
 * in an extension id, Debian/RPM/Chocolatey/snap/flatpak packages, and
 * signatures osquery cannot express, a Firefox add-on the catalog has none of).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import type { CommandIo, CommandResult } from '../../src/commands/check.js';
import { exportCommand } from '../../src/export/command.js';
import { noteTempDir } from '../helpers/temp.js';

export const CUSTOM_TOOL_YAML = `customTools:
  - id: acme-assist
    name: Acme's Assistant
    vendor: Acme
    homepage: https://acme.example
    category: agent-cli
    install: apt install acme-assist
    signatures:
      executables: [{ name: "o'acme" }]
      processes:
        names: ["o'acme"]
        args: ['--acme-agent\\b', '(foo|bar)-acme']
      packages:
        npm: ['@acme/assist']
        pip: ['acme_assist']
        deb: [acme-assist]
        rpm: [acme-assist]
        choco: [acme-assist]
        snap: [acme-assist]
        flatpak: [com.acme.Assist]
        cargo: [acme-assist]
        winget: [Acme.Assist]
      vscodeExtensions: [acme.a_b]
      browserExtensions:
        firefox: ['assist@acme.example']
      home: [{ path: "~/.acme's" }]
`;

export interface ExportWorld {
  root: string;
  cwd: string;
  env: Record<string, string>;
  writePolicy(text: string, name?: string): string;
  /** `aitool export <target>` in-process; `extraEnv` adds to the world's environment (AITOOL_MANAGED_POLICY). */
  run(target: string, options?: { policy?: string; output?: string; fleetd?: boolean }, extraEnv?: Record<string, string>): Promise<CommandResult>;
  cleanup(): void;
}

export function exportWorld(): ExportWorld {
  const root = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-export-')));
  const home = join(root, 'home');
  const cwd = join(root, 'repo');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const io = (extraEnv: Record<string, string>): CommandIo => ({
    cwd,
    env: { ...env, ...extraEnv },
    chalk: async () => new Chalk({ level: 0 }),
    readStdin: async () => '',
    stdout: process.stdout,
    stderr: process.stderr,
  });
  return {
    root,
    cwd,
    env,
    writePolicy(text, name = 'policy.yaml') {
      const file = join(root, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    run: (target, options = {}, extraEnv = {}) => exportCommand(target, options, io(extraEnv)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

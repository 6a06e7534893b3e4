/**
 * The suite runs aitool against this machine's real process table. An
 * organisation policy installed in the system location (/etc/aitool) is
 * read by every one of those runs, and it wins over AITOOL_MANAGED_POLICY
 * (so a repository or shell cannot switch it off): a `terminate: true` there
 * would make the suite stop processes it did not start, other people's agent
 * sessions included. Rather than run on such a machine, the suite refuses.
 */
import { existsSync } from 'node:fs';
import { managedPolicyCandidates } from '../../src/policy/locate.js';

export default function refuseMachineWithSystemPolicy(): void {
  const os = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
  const installed = managedPolicyCandidates({ env: process.env, os }).filter((file) => existsSync(file));
  if (installed.length > 0) {
    throw new Error(
      `this machine has an organisation policy at ${installed.join(', ')}; it applies to every aitool run in the suite and could make it stop processes the suite did not start. Run the tests on a machine without one.`,
    );
  }
}

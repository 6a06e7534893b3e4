/**
 * A stand-in AI agent that only the test which made it can match, for every
 * test that lets aitool stop processes.
 *
 * aitool reads the machine's real process table. A test policy that says
 * "block claude-code, terminate" therefore stops every Claude Code process
 * the user running the tests owns, including real sessions that have nothing
 * to do with the suite. So tests that stop processes never block a catalog
 * tool: they block a custom tool whose one signature is an executable path
 * holding a random token, in a folder the test created, and they allow every
 * catalog tool. Only the copies of a shell the test installed at that path
 * (and started itself) can match it.
 */
import { randomBytes } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { installNativeBinary } from './processes.js';

export interface OwnAgentTool {
  /** The custom tool's id: `test-agent-<token>`. */
  id: string;
  /** The agent executable (a copy of a native shell); start it with spawnNativeBinary. */
  binary: string;
  /** A `customTools:` block defining the tool, to put in a policy file. */
  customTools: string;
}

export async function makeOwnAgentTool(root: string): Promise<OwnAgentTool> {
  const token = randomBytes(8).toString('hex');
  const id = `test-agent-${token}`;
  // Resolved: the scanner sees the executable's real path (/proc/<pid>/exe).
  const folder = join(await realpath(root), `agents-${token}`);
  const binary = await installNativeBinary(join(folder, 'own-agent'));
  const customTools = [
    'customTools:',
    `  - id: ${id}`,
    `    name: Test agent ${token}`,
    '    vendor: aitool test suite',
    '    homepage: https://example.test',
    '    category: agent-cli',
    '    signatures:',
    '      processes:',
    `        paths: ['${folder}/**']`,
    '',
  ].join('\n');
  return { id, binary, customTools };
}

/**
 * A policy that allows every catalog tool and defines the test's own agent,
 * with `rules` (YAML lines under `tools:`, for the own agent and nothing else) and any extra top-level YAML.
 */
export function ownAgentPolicy(agent: OwnAgentTool, rule: string, extra = ''): string {
  return `default: allow\n${agent.customTools}tools:\n  ${agent.id}: ${rule}\n${extra}`;
}

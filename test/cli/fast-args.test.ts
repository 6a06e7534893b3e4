/**
 * `aitool check` parses its own command line without commander (start-up
 * time): for every command line the fast path takes, the options handed to
 * checkCommand must be exactly commander's, and every other command line must
 * still reach commander (its errors and help unchanged).
 */
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const received: unknown[] = [];
vi.mock('../../src/commands/check.js', () => ({
  checkCommand: async (options: unknown) => {
    received.push({ ...(options as object) });
    return { stdout: '', stderr: '', exitCode: 0 };
  },
}));

const { main, plainCheck } = await import('../../src/cli.js');

function io() {
  const stream = () => Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  return { stdout: stream(), stderr: stream(), env: {}, cwd: '/' };
}

/** What checkCommand got for these arguments. */
async function optionsFor(args: string[]): Promise<unknown> {
  received.length = 0;
  expect(await main(['node', 'aitool', ...args], io())).toBe(0);
  expect(received).toHaveLength(1);
  return received[0];
}

const TAKEN: string[][] = [
  [],
  ['check'],
  ['check', '--format', 'json'],
  ['--format', 'sarif', '--fail-on', 'warn'],
  ['check', '--policy', 'p.yaml', '--output', 'out.json', '--format', 'ndjson', '--fail-on', 'never'],
  ['check', '--commits', 'origin/main..HEAD', '--commits-only'],
  ['check', '--kill', '--dry-run', '--no-color'],
  ['check', '--color'],
  ['check', '--no-color', '--format', 'text'],
];

describe('check without commander', () => {
  beforeEach(() => {
    received.length = 0;
  });

  it.each(TAKEN)('takes %j and hands over what commander would', async (...args: string[]) => {
    expect(plainCheck(args)).toBeDefined();
    const fast = await optionsFor(args);
    // `--debug` first: the fast path never takes it, so this is commander's parse of the same options.
    const viaCommander = await optionsFor(['--debug', ...args]);
    expect(fast).toStrictEqual(JSON.parse(JSON.stringify(viaCommander)));
  });

  it.each([
    [['check', '--format', 'xml']],
    [['check', '--format=json']],
    [['check', '--format']],
    [['check', '--policy', '--format']],
    [['check', '--format', 'json', '--format', 'text']],
    [['check', '--unknown']],
    [['check', 'extra']],
    [['check', '--help']],
    [['check', '--color', '--no-color']],
    [['tools']],
    [['--debug', 'check']],
  ])('leaves %j to commander', (args: string[]) => {
    expect(plainCheck(args)).toBeUndefined();
  });

  it('a bad choice still gets commander\'s message and exit 2', async () => {
    const world = io();
    let err = '';
    (world.stderr as unknown as PassThrough).on('data', (chunk) => (err += String(chunk)));
    expect(await main(['node', 'aitool', 'check', '--format', 'xml'], world)).toBe(2);
    expect(err).toMatch(/argument 'xml' is invalid/);
    expect(received).toHaveLength(0);
  });
});

describe('--version without commander', () => {
  it('prints what commander prints (--version --debug still goes through commander)', async () => {
    const { runCli, makeWorld } = await import('./run-cli.js');
    const world = makeWorld();
    try {
      const { version } = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      for (const args of [['--version'], ['-v'], ['--version', '--debug']]) {
        const result = await runCli(args, world);
        expect(result.exitCode, args.join(' ')).toBe(0);
        expect(result.stdout, args.join(' ')).toBe(version); // runCli drops the final newline
        expect(result.stderr).toBe('');
      }
    } finally {
      world.cleanup();
    }
  });
});

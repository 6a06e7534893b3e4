// `check --format junit`: valid against the JUnit schema Jenkins' xUnit
// plugin uses (xmllint --schema), one test case per tool and MCP server, a
// failure for each blocked one saying why and what to use instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { ATTRIBUTE_BREAK, SCRIPT, STYLE_BREAK, makeHostileWorld, type HostileWorld } from '../helpers/hostile-world.js';
import { killSpawned } from '../helpers/processes.js';
import { removeTempDirs } from '../helpers/temp.js';
import { json, runCli } from './run-cli.js';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'junit', 'junit-10.xsd');

let world: HostileWorld;
let report: Report;
let file: string;
let exitCode: number;

/** An XPath over the report, as text (xmllint's own evaluation, not a regular expression over the file). */
function xpath(expression: string): string {
  // xmllint ends what it prints with a newline of its own.
  return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

/** The JUnit report and a JSON report of the same machine state (taken again when another process came or went in between). */
beforeAll(async () => {
  world = await makeHostileWorld();
  for (let attempt = 1; ; attempt++) {
    file = join(world.root, `junit-${attempt}.xml`);
    const result = await runCli(['check', '--format', 'junit', '--output', file], world);
    exitCode = result.exitCode;
    expect([result.stdout, result.stderr]).toEqual(['', '']);
    const after = json<Report>(await runCli(['check', '--format', 'json'], world));
    // Not well-formed: the schema test says so.
    const xmlCases = Number(spawnSync('xmllint', ['--xpath', 'count(//testcase)', file], { encoding: 'utf8' }).stdout);
    const jsonCases = new Set(after.findings.filter((f) => f.kind !== 'mcp-server').map((f) => f.tool)).size + after.findings.filter((f) => f.kind === 'mcp-server').length;
    report = after;
    if (xmlCases === jsonCases || attempt === 3) break;
  }
}, 90_000);

afterAll(async () => {
  await killSpawned();
  await removeTempDirs();
});

describe('check --format junit', () => {
  it('is valid against the Jenkins xUnit JUnit schema', () => {
    const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
    expect(result.stderr).toContain('validates');
    expect(result.status, result.stderr).toBe(0);
  });

  it('has one test case per tool and MCP server, failures for the blocked ones, and the exit code of a check', () => {
    const tools = new Set(report.findings.filter((f) => f.kind !== 'mcp-server').map((f) => f.tool)).size;
    const servers = report.findings.filter((f) => f.kind === 'mcp-server').length;
    expect(Number(xpath('count(/testsuites/testsuite)'))).toBe(1);
    expect(Number(xpath('count(//testcase)'))).toBe(tools + servers);
    expect(Number(xpath('count(//testcase[failure])'))).toBe(report.summary.block + report.summary.mcpServers.block);
    expect(Number(xpath('string(//testsuite/@failures)'))).toBe(report.summary.block + report.summary.mcpServers.block);
    expect(Number(xpath('string(//testsuite/@tests)'))).toBe(tools + servers);
    expect(exitCode).toBe(1);
    // An allowed tool passes: no failure, no skipped.
    expect(Number(xpath('count(//testcase[@name="Gemini CLI"]/*[self::failure or self::skipped or self::error])'))).toBe(0);
    expect(xpath('string(//testcase[@name="Gemini CLI"]/@classname)')).toBe('aitool.agent-cli');
  });

  it('says in the failure why the tool is blocked and what to use instead, hostile text kept as text', () => {
    const message = xpath('string(//testcase[@name="Claude Code"]/failure/@message)');
    expect(message).toContain(`Claude Code is blocked by policy (tools.claude-code). ${SCRIPT} is not approved ${ATTRIBUTE_BREAK}`);
    expect(message).toContain(`use instead: Approved ${STYLE_BREAK} agent`);
    const body = xpath('string(//testcase[@name="Claude Code"]/failure)');
    expect(body).toContain(`pid ${world.claude.pid}`);
    expect(body).toContain(`stop it: kill ${world.claude.pid}`);
    expect(body).toContain(SCRIPT);
  });

  it('carries the host and policy as properties', () => {
    expect(xpath('string(//property[@name="host.name"]/@value)')).toBe(report.host.hostname);
    expect(xpath('string(//property[@name="policy.file.1"]/@value)')).toBe(`${join(world.cwd, '.aitoolrc.yaml')} (project)`);
    expect(xpath('string(//property[@name="policy.failOn"]/@value)')).toBe('block');
  });

  it('drops the characters XML 1.0 forbids and escapes the rest', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The ESC of `\x1b[2K` is gone; what followed it stays.
    expect(xpath('string(//testcase[@name="Claude Code"]/failure)')).toContain(' [2K ');
  });
});

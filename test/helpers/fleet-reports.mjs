// A collection folder as an MDM or a log shipper leaves it: many machines'
// `aitool check --format json` and `--format ndjson` outputs, some machines
// reported twice, some gone quiet, some files broken. Deterministic (seeded),
// and it returns what a correct summary of it must say, computed here from
// the generated data, independently of aitool's own code.
// Shared by test/cli/fleet-report.test.ts and test/bench/fleet-report.mjs.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DAY = 24 * 60 * 60 * 1000;
const RANK = { allow: 1, warn: 2, block: 3 };

const PLAIN_TOOLS = [
  ['claude-code', 'Claude Code'], ['cursor', 'Cursor'], ['codex', 'OpenAI Codex CLI'], ['gemini-cli', 'Gemini CLI'],
  ['github-copilot', 'GitHub Copilot'], ['aider', 'Aider'], ['windsurf', 'Windsurf'], ['cline', 'Cline'],
  ['continue', 'Continue'], ['ollama', 'Ollama'], ['opencode', 'opencode'], ['amp', 'Amp'], ['goose', 'Goose'],
  ['roo-code', 'Roo Code'], ['kiro', 'Kiro'], ['zed-ai', 'Zed AI'], ['lm-studio', 'LM Studio'], ['crush', 'Crush'],
];

/** Hostile strings in the places a machine controls: host names, tool ids and names, file names. */
export const HOSTILE = {
  hosts: [
    '<img src=x onerror=alert(1)>',
    '"><script>alert(2)</script>',
    '=HYPERLINK("http://evil.example/","click")',
    '+SUM(1,2)',
    '-2+3',
    '@cmd',
    '\tTAB-host',
    'bidi-\u202eexe.txt',
    "x' onmouseover='alert(6)",
    '</style><b>style-break</b>',
  ],
  tools: [
    ['<img src=x onerror=alert(1)>', '<script>alert(7)</script> Tool'],
    ['=cmd|"/c calc"!A1', '@evil'],
  ],
  /** File names (each made safe for the file system: no '/' or NUL). */
  files: ['javascript:alert(8).json', 'a#b?c=d&e.json', '"><img src=x onerror=alert(9)>.json', "it's 100%.json", 'sp ace.ndjson'],
};

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function finding(tool, name, action, rng, exception) {
  return {
    tool,
    kind: rng() < 0.5 ? 'process' : 'executable',
    confidence: 'confirmed',
    evidence: { path: `/usr/local/bin/${tool}`, cmd: `${tool} --serve` },
    toolName: name,
    category: 'agent-cli',
    action,
    rule: action === 'allow' ? `allow:${tool}` : 'default',
    alternatives: [],
    ...(exception ? { exception: { reason: 'pilot', until: '2099-01-01', file: '/etc/aitool/policy.yaml', index: 0 } } : {}),
    remediation: `remove ${tool}`,
  };
}

function jsonReport(host, findings) {
  const summary = { allow: 0, warn: 0, block: 0, mcpServers: { allow: 0, warn: 0, block: 0 } };
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      aitool: { version: '0.1.0' },
      host: { os: 'linux', hostname: host, user: 'dev' },
      policy: { files: [], warnings: [] },
      failOn: 'block',
      findings,
      skipped: [],
      notes: [],
      summary,
    },
    null,
    2,
  )}\n`;
}

function ndjsonReport(host, findings, time) {
  return findings.map((f) => `${JSON.stringify({ time: new Date(time).toISOString(), hostname: host, user: 'dev', os: 'linux', aitool: '0.1.0', ...f })}\n`).join('');
}

/**
 * Writes `count` files under `dir` (in batch-N subfolders) and returns the expected summary:
 * { files, machines: Map(host → { strictest, tools: {id: verdict}, stale, file, duplicates }),
 *   byVerdict, toolCounts: Map(id → {block, warn, allow}), unusable, partlyRead, duplicates, stale, leftOut }.
 * hostile: use the hostile host names, tool ids and file names too.
 */
export function writeFleet(dir, { count, now, staleDays = 7, seed = 14, hostile = false }) {
  const rng = prng(seed);
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const tools = hostile ? [...PLAIN_TOOLS, ...HOSTILE.tools] : PLAIN_TOOLS;
  const expected = {
    files: 0,
    machines: new Map(),
    unusable: [],
    partlyRead: [],
    duplicates: [],
    leftOut: { linksOut: 0, otherNames: 0 },
  };
  let hostileFile = 0;
  const fileName = (index, ext) => {
    if (hostile && hostileFile < HOSTILE.files.length && index % 7 === 3) {
      const name = HOSTILE.files[hostileFile++];
      return name.endsWith('.ndjson') ? name : name.replace(/\.json$/, ext);
    }
    return `report-${String(index).padStart(6, '0')}${ext}`;
  };
  const write = (index, ext, text, time) => {
    const folder = join(dir, `batch-${Math.floor(index / 1000)}`);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, fileName(index, ext));
    writeFileSync(file, text);
    if (time !== undefined) utimesSync(file, new Date(time), new Date(time));
    expected.files++;
    return file;
  };

  const reported = []; // hosts with a good report, for duplicates
  let hostileHost = 0;
  let broken = 0;
  for (let i = 0; i < count; i++) {
    const roll = rng();
    if (roll < 0.03) {
      // Broken inputs, one of each kind in turn.
      const kind = broken++ % 7;
      const texts = [
        [jsonReport(`broken-${i}`, []).slice(0, 60), '.json', 'not valid JSON'],
        [JSON.stringify({ schemaVersion: 2, host: { hostname: `v2-${i}` }, findings: [] }), '.json', 'schemaVersion 2'],
        [JSON.stringify({ name: 'some-package', version: '1.0.0' }), '.json', 'not an aitool report'],
        ['', '.json', 'empty file'],
        [`${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`, '.json', 'not an aitool report'],
        [JSON.stringify({ schemaVersion: 1, host: { hostname: `bad-finding-${i}` }, findings: [{ tool: 'x', action: 'explode' }] }), '.json', 'finding 1'],
        [`{"schemaVersion":${'['.repeat(100000)}${']'.repeat(100000)}}`, '.json', 'schemaVersion a list'],
      ];
      const [text, ext, reason] = texts[kind];
      expected.unusable.push({ file: write(i, ext, text), reason });
      continue;
    }
    const duplicate = reported.length > 0 && roll < 0.06;
    const host = duplicate
      ? pick(reported)
      : hostile && hostileHost < HOSTILE.hosts.length && i % 5 === 1
        ? HOSTILE.hosts[hostileHost++]
        : `host-${String(i).padStart(6, '0')}.corp.example`;
    // Most machines reported within a day; one in ten has been quiet for 8 to 60 days.
    const age = rng() < 0.1 ? (8 + rng() * 52) * DAY : rng() * DAY;
    const time = Math.round(now - age);
    const machineTools = {};
    const findings = [];
    const toolCount = Math.floor(rng() * 4);
    for (let t = 0; t < toolCount; t++) {
      const [id, name] = pick(tools);
      const action = pick(['block', 'warn', 'allow', 'allow']);
      const exception = action === 'block' && rng() < 0.2;
      findings.push(finding(id, name, action, rng, exception));
      const verdict = exception ? 'warn' : action;
      if (!machineTools[id] || RANK[verdict] > RANK[machineTools[id]]) machineTools[id] = verdict;
    }
    const asNdjson = findings.length > 0 && rng() < 0.15;
    const file = asNdjson ? write(i, '.ndjson', ndjsonReport(host, findings, time), time) : write(i, '.json', jsonReport(host, findings), time);
    // Every tenth NDJSON file lost its last line half-way (a shipper cut it): the other lines still count.
    if (asNdjson && i % 10 === 0) {
      const cut = '{"time":"2026-';
      writeFileSync(file, ndjsonReport(host, findings, time) + cut);
      utimesSync(file, new Date(time), new Date(time));
      expected.partlyRead.push(file);
    }
    const report = { host, tools: machineTools, time, file };
    const known = expected.machines.get(host);
    if (!known) {
      expected.machines.set(host, { ...report, older: [] });
      reported.push(host);
    } else if (time > known.time || (time === known.time && file > known.file)) {
      expected.machines.set(host, { ...report, older: [...known.older, known.file] });
    } else {
      known.older.push(file);
    }
  }

  // Left out of the folder walk: a link to a valid report outside the folder, a file of another name.
  const outside = join(dir, '..', `outside-${seed}.json`);
  writeFileSync(outside, jsonReport('outside-the-folder', [finding('cursor', 'Cursor', 'block', rng, false)]));
  mkdirSync(join(dir, 'batch-0'), { recursive: true });
  symlinkSync(outside, join(dir, 'batch-0', 'zz-link-out.json'));
  expected.leftOut.linksOut++;
  writeFileSync(join(dir, 'batch-0', 'zz-readme.txt'), 'collected by the MDM\n');
  expected.leftOut.otherNames++;

  return finish(expected, now, staleDays);
}

function finish(expected, now, staleDays) {
  const byVerdict = { block: 0, warn: 0, allow: 0, clean: 0 };
  const toolCounts = new Map();
  let stale = 0;
  let duplicates = 0;
  for (const machine of expected.machines.values()) {
    let strictest = 'clean';
    for (const [id, verdict] of Object.entries(machine.tools)) {
      if (strictest === 'clean' || RANK[verdict] > RANK[strictest]) strictest = verdict;
      const counts = toolCounts.get(id) ?? { block: 0, warn: 0, allow: 0 };
      counts[verdict]++;
      toolCounts.set(id, counts);
    }
    machine.strictest = strictest;
    machine.stale = now - machine.time > staleDays * DAY;
    byVerdict[strictest]++;
    if (machine.stale) stale++;
    duplicates += machine.older.length;
  }
  return { ...expected, byVerdict, toolCounts, stale, duplicateCount: duplicates };
}

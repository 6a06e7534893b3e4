// Control characters from the machine are shown escaped in text output, in
// every place the text report interpolates a value, while chalk's own colours
// stay and the JSON report keeps the exact bytes.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { printable, printableText } from '../../src/report/escape.js';
import { formatJson } from '../../src/report/json.js';
import { formatText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import type { Finding, FindingKind } from '../../src/types.js';

/** Everything that can move the cursor, erase, reorder or break a line; no SGR-shaped sequence, so stripping chalk's colours cannot hide one. */
const HOSTILE = 'A\r\x1b[2K\x1b]8;;https://x.test\x07B\x1b[1A\u202eC\u2066D\n\t\x7f\x9b\x00E';
const SGR = /\x1b\[[0-9;]*m/g;
const UNSAFE_OUTSIDE_LINE_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('escapes C0 (newline and tab included), DEL, C1, bidi controls and line separators visibly', () => {
    expect(printable('a\x1b[2Kb\rc\nd\te\x00f\x7fg\x9bh\x85i')).toBe('a\\x1b[2Kb\\rc\\nd\\te\\x00f\\x7fg\\x9bh\\x85i');
    expect(printable('\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029')).toBe(
      '\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029',
    );
  });

  it('leaves ordinary text alone: accents, CJK, emoji with joiners, backslashes, arrows', () => {
    const text = 'café 中文 👩‍💻 C:\\Users\\ada → ~/.claude ✔ — “quoted”';
    expect(printable(text)).toBe(text);
    expect(printable(undefined)).toBe('');
  });

  it('is idempotent: escaping twice changes nothing more', () => {
    expect(printable(printable(HOSTILE))).toBe(printable(HOSTILE));
  });

  it('printableText keeps a block’s own newlines and tabs and escapes the rest', () => {
    expect(printableText('line one\n\tline \x1b[1Atwo\r\n')).toBe('line one\n\tline \\x1b[1Atwo\\r\n');
  });
});

const KINDS: FindingKind[] = ['process', 'executable', 'trace', 'package', 'extension', 'app', 'mcp-server', 'config-change', 'session', 'artifact', 'commit'];

/** A finding of `kind` where every free-text field, evidence and policy texts alike, carries HOSTILE. */
function hostileFinding(kind: FindingKind, action: Finding['action'], variant: 'a' | 'b'): Finding {
  return {
    tool: `${HOSTILE}${kind}${variant}`,
    toolName: HOSTILE,
    category: 'agent-cli',
    kind,
    confidence: variant === 'a' ? 'confirmed' : 'name-only',
    action,
    rule: HOSTILE,
    reason: HOSTILE,
    message: HOSTILE,
    remediation: HOSTILE,
    alternatives: [{ id: HOSTILE, name: HOSTILE, url: HOSTILE, install: HOSTILE, note: HOSTILE }],
    evidence: {
      pid: 42,
      cmd: HOSTILE,
      path: `/home/ada/${HOSTILE}`,
      realPath: HOSTILE,
      package: HOSTILE,
      version: HOSTILE,
      installMethod: HOSTILE as Finding['evidence']['installMethod'],
      extensionId: HOSTILE,
      editor: HOSTILE,
      name: HOSTILE,
      // Variant b takes the other branch where the text report has two: command + args, a process ancestor.
      server: variant === 'a' ? { name: HOSTILE, url: HOSTILE } : { name: HOSTILE, command: HOSTILE, args: [HOSTILE] },
      ...(variant === 'a' ? { variable: { name: HOSTILE, value: HOSTILE } } : { depth: 2 }),
      line: 3,
      excerpt: HOSTILE,
      file: HOSTILE,
      status: 'added',
      commit: HOSTILE,
      field: variant === 'a' ? 'message' : 'author',
      matched: HOSTILE,
    },
  };
}

function hostileReport(): Report {
  const findings = KINDS.flatMap((kind) =>
    (['block', 'warn', 'allow'] as const).flatMap((action) => [hostileFinding(kind, action, 'a'), hostileFinding(kind, action, 'b')]),
  );
  return {
    schemaVersion: 1,
    aitool: { version: '0.1.0' },
    host: { os: 'linux', hostname: HOSTILE },
    policy: { files: [{ layer: 'project', file: HOSTILE }], warnings: [{ file: HOSTILE, key: HOSTILE, message: HOSTILE }] },
    failOn: 'block',
    findings,
    skipped: [{ scanner: HOSTILE, reason: HOSTILE }],
    notes: [{ scanner: HOSTILE, path: HOSTILE, message: HOSTILE }],
    summary: { block: 1, warn: 1, allow: 1, mcpServers: { block: 1, warn: 1, allow: 1 } },
    terminations: (['would-stop', 'refused'] as const).map((outcome) => ({ pid: 42, tool: HOSTILE, cmd: HOSTILE, outcome, signals: [], reason: HOSTILE })),
  };
}

describe('formatText with hostile values everywhere', () => {
  for (const level of [0, 3] as const) {
    it(`prints no control character but its own line breaks${level ? ' and colours' : ''} (chalk level ${level})`, () => {
      const text = formatText(hostileReport(), new Chalk({ level }), '/home/ada');
      if (level > 0) expect(text).toMatch(SGR);
      const withoutColours = text.replace(SGR, '');
      expect(withoutColours).not.toMatch(UNSAFE_OUTSIDE_LINE_BREAKS);
      expect(withoutColours).toContain('A\\r\\x1b[2K\\x1b]8;;https://x.test\\x07B\\x1b[1A\\u202eC\\u2066D\\n\\t\\x7f\\x9b\\x00E');
      // Every line is one the formatter wrote: no value's newline starts a line of its own.
      expect(withoutColours.split('\n').filter((line) => line.startsWith('D'))).toEqual([]);
    });
  }

  it('escapes a value shaped like a colour code rather than letting it colour the line', () => {
    const report = hostileReport();
    report.findings = [{ ...hostileFinding('artifact', 'block', 'a'), evidence: { file: '.cursor/rules/\x1b[31mevil.mdc', status: 'added', matched: 'repository file' } }];
    const text = formatText(report, new Chalk({ level: 3 }));
    expect(text).toContain('.cursor/rules/\\x1b[31mevil.mdc');
    expect(text).not.toContain('\x1b[31mevil');
  });

  it('leaves the JSON report exact', () => {
    const report = hostileReport();
    expect(JSON.parse(formatJson(report))).toEqual(report);
    expect(formatJson(report)).not.toContain('\\\\x1b');
  });
});

describe('PolicyError', () => {
  it('is one escaped line, while file, key and problem keep the exact text', () => {
    const error = new PolicyError('/repo/\x1b[2K.aitoolrc.yaml', 'tools.a\rb', "unknown tool 'a\nb\u202e'");
    expect(error.message).toBe("/repo/\\x1b[2K.aitoolrc.yaml: tools.a\\rb: unknown tool 'a\\nb\\u202e'");
    expect([error.file, error.key, error.problem]).toEqual(['/repo/\x1b[2K.aitoolrc.yaml', 'tools.a\rb', "unknown tool 'a\nb\u202e'"]);
    expect(new PolicyError('/p.yaml', undefined, 'bad').message).toBe('/p.yaml: bad');
  });
});

// Table tests of the manifest and lockfile parsers: each format as its tool
// writes it (shapes taken from `npm install --package-lock-only` output and the
// pnpm, yarn, bun, uv, Poetry and pip documentation), with decoys beside the SDKs.
import { describe, expect, it } from 'vitest';
import { manifestFormat, parseManifest, type ManifestFormat, type WantedPackages } from '../../src/scanners/dependencies.js';
import { probesFor } from '../../src/scanners/probes.js';
import { CATALOG } from '../../src/catalog/index.js';

const wanted: WantedPackages = probesFor(CATALOG, 'linux').sdkPackages;

const simplify = (format: ManifestFormat, text: string) =>
  parseManifest(format, text, wanted).map((d) => [d.line, d.ecosystem, d.name, d.spec, d.field]);

describe('manifestFormat', () => {
  it.each([
    ['package.json', 'package.json'],
    ['apps/web/package.json', 'package.json'],
    ['package-lock.json', 'npm-lock'],
    ['npm-shrinkwrap.json', 'npm-lock'],
    ['pnpm-lock.yaml', 'pnpm-lock'],
    ['yarn.lock', 'yarn-lock'],
    ['bun.lock', 'bun-lock'],
    ['requirements.txt', 'requirements'],
    ['requirements-dev.txt', 'requirements'],
    ['ci/requirements.in', 'requirements'],
    ['pyproject.toml', 'pyproject'],
    ['Pipfile', 'pipfile'],
    ['Pipfile.lock', 'pipfile-lock'],
    ['uv.lock', 'toml-lock'],
    ['poetry.lock', 'toml-lock'],
    ['go.mod', 'go.mod'],
  ])('%s is %s', (file, format) => expect(manifestFormat(file)).toBe(format));

  it.each(['node_modules/@anthropic-ai/claude-agent-sdk/package.json', 'vendor/node_modules/x/package.json', 'bun.lockb', 'requirements.md', 'package.json5', 'README.md', 'go.sum'])(
    '%s is not read',
    (file) => expect(manifestFormat(file)).toBeUndefined(),
  );
});

describe('package.json', () => {
  it('reports each SDK in the four dependency fields with its line and range, and not the decoys', () => {
    const text = `{
  "name": "demo",
  "description": "uses @anthropic-ai/claude-agent-sdk",
  "scripts": { "claude": "claude -p hi" },
  "dependencies": {
    "claude": "^1.0.0",
    "codex": "2.0.0",
    "codex-cli-helper": "^3.0.0",
    "@anthropic-ai/claude-agent-sdk": "^0.3.337"
  },
  "devDependencies": {
    "@openai/codex-sdk": "0.163.0"
  },
  "optionalDependencies": {
    "@github/copilot-sdk": "^1.0.14"
  },
  "peerDependencies": {
    "@google/gemini-cli-core": ">=0.61"
  }
}
`;
    expect(simplify('package.json', text)).toEqual([
      [9, 'npm', '@anthropic-ai/claude-agent-sdk', '^0.3.337', 'dependencies'],
      [12, 'npm', '@openai/codex-sdk', '0.163.0', 'devDependencies'],
      [15, 'npm', '@github/copilot-sdk', '^1.0.14', 'optionalDependencies'],
      [18, 'npm', '@google/gemini-cli-core', '>=0.61', 'peerDependencies'],
    ]);
  });

  it('sees through an npm alias, and names the alias', () => {
    const text = '{\n  "dependencies": {\n    "harmless-name": "npm:@qwen-code/sdk@^0.1.14"\n  }\n}\n';
    const [found] = parseManifest('package.json', text, wanted);
    expect(found).toMatchObject({ line: 3, name: '@qwen-code/sdk', spec: '^0.1.14', alias: 'harmless-name', field: 'dependencies' });
  });

  it('reads a minified manifest (line 1) and ignores one that is not JSON', () => {
    expect(simplify('package.json', '{"devDependencies":{"@iflow-ai/iflow-cli-sdk":"0.1.2"}}')).toEqual([[1, 'npm', '@iflow-ai/iflow-cli-sdk', '0.1.2', 'devDependencies']]);
    expect(simplify('package.json', '{"dependencies": {"@openai/codex-sdk": "1"')).toEqual([]);
  });
});

describe('npm lockfiles', () => {
  it('package-lock.json v3 (as npm 11 writes it): the resolved package, once, not the root range or the platform packages', () => {
    const text = `{
  "name": "demo",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "demo",
      "version": "1.0.0",
      "dependencies": {
        "@anthropic-ai/claude-agent-sdk": "^0.3.337",
        "claude": "*"
      }
    },
    "node_modules/@anthropic-ai/claude-agent-sdk": {
      "version": "0.3.337",
      "integrity": "sha512-hYyN5haRBmiYwIoGeOfpZ7NiboSXBk7rK1rUwzIMagiLXqJEiCjIw5ifZzg1OwhFwdSEcPnDJbX5vTuUq7QIyQ==",
      "license": "SEE LICENSE IN README.md",
      "optionalDependencies": {
        "@anthropic-ai/claude-agent-sdk-linux-x64": "0.3.337"
      }
    },
    "node_modules/@anthropic-ai/claude-agent-sdk-linux-x64": {
      "version": "0.3.337",
      "cpu": ["x64"],
      "optional": true
    },
    "node_modules/claude": {
      "version": "1.0.0"
    },
    "node_modules/some-tool/node_modules/@openai/codex-sdk": {
      "version": "0.160.0"
    }
  }
}
`;
    expect(simplify('npm-lock', text)).toEqual([
      [15, 'npm', '@anthropic-ai/claude-agent-sdk', '0.3.337', 'lockfile'],
      [31, 'npm', '@openai/codex-sdk', '0.160.0', 'lockfile'],
    ]);
  });

  it('package-lock.json v1 (nested dependencies)', () => {
    const text = `{
  "name": "old",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "@openai/codex-sdk": {
      "version": "0.100.0",
      "resolved": "https://registry.npmjs.org/@openai/codex-sdk/-/codex-sdk-0.100.0.tgz",
      "requires": {
        "@openai/codex": "0.100.0"
      }
    }
  }
}
`;
    expect(simplify('npm-lock', text)).toEqual([[6, 'npm', '@openai/codex-sdk', '0.100.0', 'lockfile']]);
  });

  it('pnpm-lock.yaml v9: the importer entry with its specifier', () => {
    const text = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@anthropic-ai/claude-agent-sdk':
        specifier: ^0.3.337
        version: 0.3.337(zod@4.1.12)
      claude:
        specifier: '*'
        version: 1.0.0

packages:

  '@anthropic-ai/claude-agent-sdk@0.3.337':
    resolution: {integrity: sha512-hYyN5haRBmiYwIoGeOfpZ7NiboSXBk7rK1rUwzIMagiLXqJEiCjIw5ifZzg1OwhFwdSEcPnDJbX5vTuUq7QIyQ==}
    engines: {node: '>=18.14.0'}

  claude@1.0.0:
    resolution: {integrity: sha512-AAAA}

  '@sourcegraph/amp-sdk@0.1.0':
    resolution: {integrity: sha512-BBBB}
`;
    expect(simplify('pnpm-lock', text)).toEqual([
      [11, 'npm', '@anthropic-ai/claude-agent-sdk', '^0.3.337', 'lockfile'],
      [27, 'npm', '@sourcegraph/amp-sdk', '0.1.0', 'lockfile'],
    ]);
  });

  it('pnpm-lock.yaml v6 and v5 package keys', () => {
    const v6 = "lockfileVersion: '6.0'\n\npackages:\n\n  /@openai/codex-sdk@0.163.0:\n    resolution: {integrity: sha512-x}\n    dev: false\n";
    expect(simplify('pnpm-lock', v6)).toEqual([[5, 'npm', '@openai/codex-sdk', '0.163.0', 'lockfile']]);
    const v5 = 'lockfileVersion: 5.4\n\nspecifiers:\n  codex: ^2.0.0\n\npackages:\n\n  /@qwen-code/sdk/0.1.14:\n    resolution: {integrity: sha512-x}\n';
    expect(simplify('pnpm-lock', v5)).toEqual([[8, 'npm', '@qwen-code/sdk', '0.1.14', 'lockfile']]);
  });

  it('yarn.lock v1: the entry and its resolved version; a comment naming an SDK is nothing', () => {
    const text = `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1
# @anthropic-ai/claude-agent-sdk@^0.1.0:


"@anthropic-ai/claude-agent-sdk@^0.3.0", "@anthropic-ai/claude-agent-sdk@^0.3.337":
  version "0.3.337"
  resolved "https://registry.yarnpkg.com/@anthropic-ai/claude-agent-sdk/-/claude-agent-sdk-0.3.337.tgz#abc"
  integrity sha512-hYyN5haRBmiYwIoGeOfpZ7NiboSXBk7rK1rUwzIMagiLXqJEiCjIw5ifZzg1OwhFwdSEcPnDJbX5vTuUq7QIyQ==

claude@*:
  version "1.0.0"
`;
    expect(simplify('yarn-lock', text)).toEqual([[6, 'npm', '@anthropic-ai/claude-agent-sdk', '0.3.337', 'lockfile']]);
  });

  it('yarn.lock berry (npm: protocol, YAML values)', () => {
    const text = `# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@augmentcode/auggie-sdk@npm:^0.1.15":
  version: 0.1.15
  resolution: "@augmentcode/auggie-sdk@npm:0.1.15"
  checksum: 10c0/abc
  languageName: node
  linkType: hard

"codex-cli-helper@npm:^3.0.0":
  version: 3.0.0
`;
    expect(simplify('yarn-lock', text)).toEqual([[8, 'npm', '@augmentcode/auggie-sdk', '0.1.15', 'lockfile']]);
  });

  it('bun.lock: the packages entry with its version, not the workspace range', () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "demo",
      "dependencies": {
        "@github/copilot-sdk": "^1.0.14",
        "claude": "^1.0.0",
      },
    },
  },
  "packages": {
    "@github/copilot-sdk": ["@github/copilot-sdk@1.0.14", "", { "dependencies": { "koffi": "^3.2.1" } }, "sha512-x"],

    "claude": ["claude@1.0.0", "", {}, "sha512-y"],
  }
}
`;
    expect(simplify('bun-lock', text)).toEqual([[13, 'npm', '@github/copilot-sdk', '1.0.14', 'lockfile']]);
  });
});

describe('Python', () => {
  it('requirements.txt: names as written (PEP 503 compares them), ranges, markers and extras; comments, options and decoys are nothing', () => {
    const text = [
      '# claude-agent-sdk is not allowed here',
      '-r base.txt',
      '--hash sha256:abc',
      'codex==2.5.6',
      'claude-code-sdk-shmaxi==0.0.12',
      'Claude_Agent.SDK[otel] >=0.2.184 ; python_version >= "3.10"  # the agent',
      'iflow-cli-sdk',
      'https://example.com/claude-agent-sdk.whl',
    ].join('\n');
    expect(simplify('requirements', text)).toEqual([
      [6, 'pip', 'Claude_Agent.SDK', '>=0.2.184', 'require'],
      [7, 'pip', 'iflow-cli-sdk', undefined, 'require'],
    ]);
  });

  it('pyproject.toml: PEP 621 dependencies and extras, PEP 735 groups, uv dev-dependencies, Poetry tables', () => {
    const text = `[build-system]
requires = ["hatchling"]

[project]
name = "demo"
description = "not claude-agent-sdk"
dependencies = [
    "requests>=2",
    "claude-agent-sdk>=0.2,<1",  # the agent
]

[project.optional-dependencies]
copilot = ["github-copilot-sdk>=1.0"]

[dependency-groups]
dev = [
  "claude-code-sdk==0.0.25",
]

[tool.uv]
dev-dependencies = ["iflow-cli-sdk"]

[tool.poetry.dependencies]
python = "^3.11"
codex = "^2"
claude-agent-sdk = { version = "^0.2", extras = ["otel"] }

[tool.poetry.group.test.dependencies]
"github-copilot-sdk" = "1.0.27"
`;
    expect(simplify('pyproject', text)).toEqual([
      [9, 'pip', 'claude-agent-sdk', '>=0.2,<1', 'project.dependencies'],
      [13, 'pip', 'github-copilot-sdk', '>=1.0', 'project.optional-dependencies.copilot'],
      [17, 'pip', 'claude-code-sdk', '==0.0.25', 'dependency-groups.dev'],
      [21, 'pip', 'iflow-cli-sdk', undefined, 'tool.uv.dev-dependencies'],
      [26, 'pip', 'claude-agent-sdk', '^0.2', 'tool.poetry.dependencies'],
      [29, 'pip', 'github-copilot-sdk', '1.0.27', 'tool.poetry.group.test.dependencies'],
    ]);
  });

  it('Pipfile and Pipfile.lock', () => {
    const pipfile = '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n[packages]\nclaude-agent-sdk = "*"\ncodex = "*"\n\n[dev-packages]\ngithub-copilot-sdk = {version = ">=1.0"}\n\n[requires]\npython_version = "3.11"\n';
    expect(simplify('pipfile', pipfile)).toEqual([
      [6, 'pip', 'claude-agent-sdk', '*', 'packages'],
      [10, 'pip', 'github-copilot-sdk', '>=1.0', 'dev-packages'],
    ]);
    const lock = '{\n    "_meta": {\n        "hash": {"sha256": "x"}\n    },\n    "default": {\n        "claude-agent-sdk": {\n            "hashes": [\n                "sha256:abc"\n            ],\n            "version": "==0.2.184"\n        }\n    }\n}\n';
    expect(simplify('pipfile-lock', lock)).toEqual([[6, 'pip', 'claude-agent-sdk', '==0.2.184', 'lockfile']]);
  });

  it('uv.lock and poetry.lock: [[package]] entries, not a dependency named inline', () => {
    const uv = `version = 1
revision = 2
requires-python = ">=3.10"

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "claude-agent-sdk" },
]

[[package]]
name = "claude-agent-sdk"
version = "0.2.184"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "codex"
version = "2.5.6"
`;
    expect(simplify('toml-lock', uv)).toEqual([[14, 'pip', 'claude-agent-sdk', '0.2.184', 'lockfile']]);
    const poetry = '[[package]]\nname = "github-copilot-sdk"\nversion = "1.0.27"\ndescription = "Python SDK for GitHub Copilot CLI"\noptional = false\n';
    expect(simplify('toml-lock', poetry)).toEqual([[2, 'pip', 'github-copilot-sdk', '1.0.27', 'lockfile']]);
  });
});

describe('go.mod', () => {
  it('require lines and blocks, indirect ones named so; a look-alike module is nothing', () => {
    const text = `module example.com/demo

go 1.24

require github.com/github/copilot-sdk/go v0.1.15

require (
\tgithub.com/example/claude v1.0.0
\tgithub.com/github/copilot-sdk/go/v2 v2.0.0 // indirect
\tgithub.com/github/copilot-sdk/golang v1.0.0
)
`;
    expect(simplify('go.mod', text)).toEqual([
      [5, 'go', 'github.com/github/copilot-sdk/go', 'v0.1.15', 'require'],
      [9, 'go', 'github.com/github/copilot-sdk/go/v2', 'v2.0.0', 'require (indirect)'],
    ]);
  });
});

describe('bounded work', () => {
  it('finds the entry at the end of a 200,000-entry lockfile, on the right line', () => {
    const entries = Array.from({ length: 200_000 }, (_, i) => `    "node_modules/pkg-${i}": {\n      "version": "1.0.${i}"\n    },`);
    const text = `{\n  "packages": {\n${entries.join('\n')}\n    "node_modules/@openai/codex-sdk": {\n      "version": "0.163.0"\n    }\n  }\n}\n`;
    expect(simplify('npm-lock', text)).toEqual([[600_003, 'npm', '@openai/codex-sdk', '0.163.0', 'lockfile']]);
  });
});

describe('the catalog: which agent each SDK runs', () => {
  it('maps every SDK package, in its own ecosystem, to one agent', async () => {
    const { compileCatalog, key } = await import('../../src/match/compile.js');
    const catalog = compileCatalog(CATALOG, { os: 'linux', home: '/home/a', env: {} } as never);
    const owner = (ecosystem: 'npm' | 'pip' | 'go', name: string) => catalog.index.get(key.sdk(ecosystem, name))?.map((t) => t.entry.id);
    expect(
      Object.fromEntries(
        CATALOG.flatMap((t) => (['npm', 'pip', 'go'] as const).flatMap((e) => (t.signatures.sdkPackages?.[e] ?? []).map((n) => [`${e}:${n}`, owner(e, n)]))),
      ),
    ).toEqual({
      'npm:@anthropic-ai/claude-agent-sdk': ['claude-code'],
      'npm:@anthropic-ai/claude-code': ['claude-code'],
      'npm:@zed-industries/claude-code-acp': ['claude-code'],
      'pip:claude-agent-sdk': ['claude-code'],
      'pip:claude-code-sdk': ['claude-code'],
      'npm:@openai/codex-sdk': ['codex'],
      'npm:@zed-industries/codex-acp': ['codex'],
      'npm:@github/copilot-sdk': ['github-copilot'],
      'pip:github-copilot-sdk': ['github-copilot'],
      'go:github.com/github/copilot-sdk/go': ['github-copilot'],
      'npm:@google/gemini-cli-core': ['gemini-cli'],
      'npm:@qwen-code/sdk': ['qwen-code'],
      'npm:@iflow-ai/iflow-cli-sdk': ['iflow-cli'],
      'pip:iflow-cli-sdk': ['iflow-cli'],
      'npm:@sourcegraph/amp-sdk': ['amp'],
      'npm:@augmentcode/auggie-sdk': ['augment'],
    });
    // The same names in another ecosystem are nobody's SDK.
    expect(owner('pip', '@openai/codex-sdk')).toBeUndefined();
    expect(owner('npm', 'claude-agent-sdk')).toBeUndefined();
  });
});

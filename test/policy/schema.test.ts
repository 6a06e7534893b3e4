import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { loadPolicy, validatePolicyFile } from '../../src/policy/load.js';
import { policyJsonSchema } from '../../src/policy/schema.js';
import { validatePolicyData } from '../../src/policy/validate.js';
import { sandbox, testCatalog } from '../fixtures/policy/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schemaFile = path.join(root, 'policies/schema.json');
const readmeExample = path.join(root, 'test/fixtures/policy/readme-example/.aitoolrc.yaml');

describe('policies/schema.json', () => {
  it('is what policyJsonSchema() generates', async () => {
    const expected = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
    // Regenerate with `AITOOL_UPDATE_SCHEMA=1 npx vitest run test/policy/schema.test.ts`
    // (or, once wired, `npm run schema`).
    if (process.env.AITOOL_UPDATE_SCHEMA === '1') await writeFile(schemaFile, expected);
    const committed = await readFile(schemaFile, 'utf8').catch(() => '');
    expect(committed, 'policies/schema.json is stale: run AITOOL_UPDATE_SCHEMA=1 npx vitest run test/policy/schema.test.ts').toBe(expected);
  });

  it('is strict, documented, and constrains tool ids to kebab-case', () => {
    const schema = policyJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      properties: Record<string, { description?: string; propertyNames?: { pattern?: string; enum?: string[] } }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tools?.propertyNames?.pattern).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
    expect(schema.properties.categories?.propertyNames?.enum).toContain('local-model-runtime');
    expect(schema.properties.default?.description).toMatch(/catalog tools that no rule names/);
  });
});

describe('the README example', () => {
  it('is valid as written', async () => {
    const box = await sandbox();
    try {
      await expect(validatePolicyFile(readmeExample, box.options)).resolves.toEqual([]);
      const policy = await loadPolicy({ ...box.options, policyFile: readmeExample });
      expect(policy.default).toBe('warn');
      expect(policy.tools['claude-code']).toEqual({
        action: 'block',
        reason: "Source code may not leave the company's data boundary.",
        alternatives: ['qoder'],
      });
      expect(policy.tools.cursor?.action).toBe('block');
      expect(policy.tools.qoder?.action).toBe('allow');
      expect(policy.categories['local-model-runtime']?.action).toBe('allow');
      // And against the real catalog, not only the test one.
      await expect(validatePolicyFile(readmeExample, { ...box.options, catalog: CATALOG })).resolves.toEqual([]);
    } finally {
      await box.cleanup();
    }
  });
});

describe('validatePolicyData', () => {
  it('treats an empty file as an empty policy', () => {
    expect(validatePolicyData('x.yaml', undefined)).toEqual({});
  });

  it('accepts a custom tool in exactly the catalog shape', () => {
    const entry = testCatalog[0];
    expect(validatePolicyData('x.yaml', { customTools: [{ ...entry, id: 'acme-bot' }] }).customTools?.[0]?.id).toBe('acme-bot');
  });
});

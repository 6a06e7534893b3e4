/**
 * The SARIF 2.1.0 schema (the committee's final revision, rtm.5, as shipped
 * in @microsoft/jest-sarif; JSON Schema draft-04) compiled with Ajv, formats
 * checked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04, { type AnySchemaObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

export function sarifValidator(): { validate: ValidateFunction; title: string } {
  const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as AnySchemaObject;
  // The schema's `language` pattern is not valid under the `u` flag.
  const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return { validate: ajv.compile(schema), title: String(schema.title) };
}

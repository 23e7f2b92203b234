#!/usr/bin/env node
// Writes schema/report.schema.json from the report's zod schema, schema/sizes.schema.json from the schema of
// `mplan audience --sizes-json` and schema/diff.schema.json from that of `mplan diff --format json` (run after
// `npm run build`). tests/runner/reports.test.ts, tests/runner/sizes.test.ts and tests/cli/diff.test.ts fail when a
// committed file is out of date.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from '../out/runner/report/schema.js';
import { sizesJsonSchema } from '../out/runner/sizes-schema.js';
import { diffJsonSchema } from '../out/cli/diff-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [name, schema] of [['report.schema.json', reportJsonSchema()], ['sizes.schema.json', sizesJsonSchema()], ['diff.schema.json', diffJsonSchema()]]) {
    const target = path.join(root, 'schema', name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, JSON.stringify(schema, null, 2) + '\n');
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

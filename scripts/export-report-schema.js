#!/usr/bin/env node
// Writes schema/report.schema.json from the report's zod schema (run after `npm run build`).
// tests/runner/report-schema.test.ts fails when the committed file is out of date.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from '../out/runner/report/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'schema', 'report.schema.json');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, JSON.stringify(reportJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), target)}`);

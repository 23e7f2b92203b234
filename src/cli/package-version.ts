// The version in package.json, for tool metadata (SARIF). Read at run time so it never drifts from the package.
import * as fs from 'node:fs';

export function packageVersion(): string | undefined {
    try {
        // Both src/cli and out/cli sit two folders below the package root.
        const text = fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
        const version = (JSON.parse(text) as { version?: unknown }).version;
        return typeof version === 'string' ? version : undefined;
    } catch {
        return undefined;
    }
}

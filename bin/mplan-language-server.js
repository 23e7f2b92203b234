#!/usr/bin/env node
// The language server runs from its esbuild bundle (the same one the VS Code extension starts).
import '../dist/server.cjs';

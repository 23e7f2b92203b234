// Loads plan files from disk for the CLI and the runner: follows imports, guards against files that are not plans
// (missing, binary, huge), and builds them with the same validation the language server runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Model } from './generated/ast.js';
import { isPlanPath, resolveImportUri } from './imports.js';
import type { MplanServices } from './mplan-module.js';

/** Plans are hand-written text; anything larger is refused before parsing. */
export const MAX_PLAN_BYTES = 5 * 1024 * 1024;

export interface LoadedFile {
    /** Absolute path on disk. */
    path: string;
    /** The built document, when the file could be read as text. */
    document?: LangiumDocument<Model>;
    diagnostics: Diagnostic[];
    /** The file holds nothing but white space. */
    empty?: boolean;
}

/** Reads a plan file as text, or explains in one sentence why it cannot be one. */
export function readPlanText(filePath: string): { text: string } | { problem: string } {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(filePath);
    } catch {
        return { problem: 'File not found.' };
    }
    if (stat.isDirectory()) return { problem: 'This is a folder, not a plan file.' };
    // A FIFO or device would block or never end; plans are regular files.
    if (!stat.isFile()) return { problem: 'This is not a regular file (a device, pipe or socket), so it is not read as a plan.' };
    if (stat.size > MAX_PLAN_BYTES) {
        return { problem: `File is ${(stat.size / 1024 / 1024).toFixed(1)} MB; plans larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB are not read.` };
    }
    let buffer: Buffer;
    try {
        buffer = fs.readFileSync(filePath);
    } catch (error) {
        return { problem: `File cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` };
    }
    return decodePlanText(buffer);
}

/** A plan's bytes as text (a leading BOM dropped), or why they are not a plan; for files on disk and from git alike. */
export function decodePlanText(buffer: Uint8Array): { text: string } | { problem: string } {
    if (buffer.length > MAX_PLAN_BYTES) {
        return { problem: `File is ${(buffer.length / 1024 / 1024).toFixed(1)} MB; plans larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB are not read.` };
    }
    if (buffer.includes(0)) return { problem: 'File is binary (it contains NUL bytes), not a plan.' };
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * Where plan texts come from: the disk by default. `mplan diff` reads the other side of a comparison from git, under
 * URIs of another scheme (so the validator's checks of files on disk leave it alone) at the same paths.
 */
export interface PlanTextSource {
    uriOf(absolute: string): URI;
    read(absolute: string): { text: string } | { problem: string };
}

const DISK: PlanTextSource = { uriOf: absolute => URI.file(absolute), read: readPlanText };

export function fileProblem(message: string): Diagnostic {
    return {
        severity: 1,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message,
        code: 'file-unreadable',
        source: 'mplan'
    };
}

/**
 * Loads the given plan files and everything they import, builds them with validation, and returns one entry per
 * requested file (imports are built but not reported on their own).
 */
export async function loadDocuments(services: MplanServices, filePaths: string[], source: PlanTextSource = DISK): Promise<LoadedFile[]> {
    const shared = services.shared;
    const documents = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    const results: LoadedFile[] = [];
    const loaded = new Map<string, LangiumDocument<Model>>();

    const load = (absolute: string): LangiumDocument<Model> | string => {
        const uri = source.uriOf(absolute);
        const existing = loaded.get(uri.toString());
        if (existing) return existing;
        const read = source.read(absolute);
        if ('problem' in read) return read.problem;
        const document = factory.fromString<Model>(read.text, uri);
        documents.addDocument(document);
        loaded.set(uri.toString(), document);
        return document;
    };

    for (const filePath of filePaths) {
        const absolute = path.resolve(filePath);
        const result = load(absolute);
        if (typeof result === 'string') {
            results.push({ path: absolute, diagnostics: [fileProblem(result)] });
        } else {
            results.push({ path: absolute, document: result, diagnostics: [] });
            // Langium accepts an empty text as an empty model; say so rather than pass it silently.
            if (result.textDocument.getText().trim().length === 0) results[results.length - 1].empty = true;
        }
    }

    // Follow imports breadth-first; a missing import is reported by the validator on the import line.
    const queue = [...loaded.values()];
    while (queue.length > 0) {
        const document = queue.shift()!;
        for (const imp of document.parseResult.value.imports ?? []) {
            // Only plan files are followed; the validator reports any other import on its line.
            if (typeof imp.path !== 'string' || !isPlanPath(imp.path)) continue;
            const uri = resolveImportUri(document, imp.path);
            if (loaded.has(uri.toString()) || documents.hasDocument(uri)) continue;
            const result = load(uri.fsPath);
            if (typeof result !== 'string') queue.push(result);
        }
    }

    await shared.workspace.DocumentBuilder.build([...loaded.values()], { validation: true });
    for (const result of results) {
        if (result.document) result.diagnostics = result.document.diagnostics ?? [];
        if (result.empty) result.diagnostics.push({ ...fileProblem('The file is empty: there is no plan to check.'), severity: 2, code: 'file-empty' });
    }
    return results;
}

// Engine URLs name a server and often carry its password: what may be shown of them.

/** Query parameters that hold secrets (password=, sslpassword=, token=, ...). */
const SECRET_PARAMETER = /pass|secret|token|key/i;

/** The URL with its password and any secret parameter replaced by ***, for reports, logs and error messages. */
export function redactEngineUrl(url: string): string {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        // Not a URL we can parse: mask whatever sits between "user:" and "@", and every secret-looking parameter.
        return url.replace(/(\/\/[^/:@]*):[^@/]*@/, '$1:***@').replace(/([?&][^=&]*(?:pass|secret|token|key)[^=&]*=)[^&]*/gi, '$1***');
    }
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) {
        if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
}

/** Removes every occurrence of the secrets (as given and URL-encoded) from a message. */
export function withoutSecrets(message: string, secrets: Array<string | undefined>): string {
    let text = message;
    for (const secret of secrets) {
        // A safety net: messages are built without secrets. Very short ones would mangle every word.
        if (!secret || secret.length < 4) continue;
        for (const form of new Set([secret, encodeURIComponent(secret)])) text = text.split(form).join('***');
    }
    return text;
}

/** A URL that names no engine mplan knows, or that cannot be parsed: a usage mistake. */
export class EngineUrlError extends Error {}

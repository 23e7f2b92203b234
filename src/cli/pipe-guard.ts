// `mplan check | head`: when the reader goes away, Node reports EPIPE as an unhandled 'error' event with a stack
// trace. The commands stop writing quietly instead, as Unix tools do.
let installed = false;

export function guardOutputPipes(): void {
    if (installed) return;
    installed = true;
    for (const stream of [process.stdout, process.stderr]) {
        stream.on('error', (error: NodeJS.ErrnoException) => {
            // Nobody is left to read a message about it; a failure other than a closed pipe still shows in the exit code.
            if (error.code !== 'EPIPE') process.exitCode = 2;
        });
    }
}

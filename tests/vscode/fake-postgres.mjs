// A stand-in for a PostgreSQL server, for the tests of the engine setting: it records who connects (user, database)
// and the password the client sends, then refuses the login as a server does. It speaks just enough of the protocol
// (version 3): the startup message, a cleartext password request, an error response. No data is ever served.
//   const server = await startFakePostgres(); ... server.connections; await server.close();
import * as net from 'node:net';

const SSL_REQUEST = 80877103;

/** An ErrorResponse message: severity, SQLSTATE code, message. */
function errorResponse(code, message) {
    const fields = [['S', 'FATAL'], ['V', 'FATAL'], ['C', code], ['M', message]];
    const body = Buffer.concat([...fields.map(([key, value]) => Buffer.from(`${key}${value}\0`, 'utf8')), Buffer.from([0])]);
    const head = Buffer.alloc(5);
    head.write('E');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
}

/**
 * Listens on 127.0.0.1 (a free port). `connections`: one entry per client, `{ user, database, password }` as far as
 * the client got (password undefined when it sent none).
 */
export async function startFakePostgres() {
    const connections = [];
    const sockets = new Set();
    const server = net.createServer(socket => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        const seen = { user: undefined, database: undefined, password: undefined };
        connections.push(seen);
        let buffer = Buffer.alloc(0);
        let started = false;
        socket.on('data', chunk => {
            buffer = Buffer.concat([buffer, chunk]);
            for (;;) {
                if (!started) {
                    // Startup and SSL request: int32 length (itself included), int32 code, then key\0value\0 ... \0.
                    if (buffer.length < 8 || buffer.length < buffer.readInt32BE(0)) return;
                    const length = buffer.readInt32BE(0);
                    const code = buffer.readInt32BE(4);
                    const body = buffer.subarray(8, length).toString('utf8').split('\0');
                    buffer = buffer.subarray(length);
                    if (code === SSL_REQUEST) {
                        socket.write('N'); // no TLS here: the client goes on in plain text (or gives up when it requires TLS)
                        continue;
                    }
                    for (let i = 0; i + 1 < body.length; i += 2) {
                        if (body[i] === 'user') seen.user = body[i + 1];
                        if (body[i] === 'database') seen.database = body[i + 1];
                    }
                    started = true;
                    socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
                } else {
                    // Other messages: a type byte, int32 length (itself included), the body.
                    if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
                    const type = String.fromCharCode(buffer[0]);
                    const length = buffer.readInt32BE(1);
                    const body = buffer.subarray(5, 1 + length);
                    buffer = buffer.subarray(1 + length);
                    if (type === 'p') {
                        seen.password = body.toString('utf8').replace(/\0$/, '');
                        socket.end(errorResponse('28P01', `password authentication failed for user "${seen.user}"`));
                        return;
                    }
                }
            }
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
    });
    return {
        port: server.address().port,
        connections,
        async close() {
            for (const socket of sockets) socket.destroy();
            await new Promise(resolve => server.close(() => resolve(undefined)));
        }
    };
}

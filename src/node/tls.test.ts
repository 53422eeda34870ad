/**
 * TLS streams on 127.0.0.1 with a self-signed certificate made by `openssl` for this run (skipped
 * loudly where openssl is missing), and against a CPython asyncio TLS peer where python3 exists.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { run } from '../runners.ts';
import { getRunningLoop } from '../events.ts';
import { TimeoutError } from '../exceptions.ts';
import { catching } from '../../test/support/coroutines.ts';
import { ConnectionAbortedError, OSError, SSLCertVerificationError, SSLError } from './errors.ts';
import { createSslContext, type SSLContext } from './tls.ts';
import { connectAcceptedSocket, openConnection, openUnixConnection, startServer, startUnixServer, type Server, type StreamReader, type StreamWriter } from './streams.ts';
import { Protocol } from './protocols.ts';
import type { SocketTransport } from './transports.ts';
import type { Coroutine } from '../types.ts';
import { PIPE, createSubprocessExec } from './subprocess.ts';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const portOf = (server: Server): number => (server.sockets[0]!.getsockname() as [string, number])[1];

let dir = '';
let cert = '';
let key = '';
let missing: string | null = null;

before(() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    missing = 'SKIPPED LOUDLY: no openssl to make the test certificate';
    console.warn(`\n*** ${missing} ***\n`);
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'yieldio-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function* echo(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break;
    writer.write(line);
    yield* writer.drain();
  }
  writer.close();
}

describe('TLS streams (node:tls)', () => {
  test('startServer({ ssl }) / openConnection({ ssl, serverHostname }): echo over TLS; getExtraInfo peercert, cipher, sslObject', async (t) => {
    if (missing !== null) return t.skip(missing);
    const out = await run(function* () {
      const server = yield* startServer(echo, { host: '127.0.0.1', port: 0, ssl: createSslContext({ server: true, cert, key }) });
      const ssl = createSslContext({ ca: cert });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server), ssl, serverHostname: 'localhost' });
      writer.write('secret\n');
      const line = text(yield* reader.readline());
      const info = {
        subject: (writer.getExtraInfo('peercert') as tls.PeerCertificate).subject.CN,
        cipher: writer.getExtraInfo('cipher') as [string, string, number | null],
        sslObject: writer.getExtraInfo('sslObject') instanceof tls.TLSSocket,
        context: writer.getExtraInfo('sslcontext') === ssl,
        peer: writer.getExtraInfo('peername'),
      };
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return { line, info };
    });
    assert.equal(out.line, 'secret\n');
    assert.equal(out.info.subject, 'localhost');
    assert.match(out.info.cipher[0], /^TLS_/);
    assert.match(out.info.cipher[1], /^TLSv1\.[23]$/);
    assert.ok(out.info.cipher[2] === 128 || out.info.cipher[2] === 256);
    assert.equal(out.info.sslObject, true);
    assert.equal(out.info.context, true);
  });

  // CPython 3.13, open_connection(ssl=True) to this self-signed server:
  //   SSLCertVerificationError 18 'self-signed certificate'
  //   "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1020)"
  // and with cafile=cert.pem, server_hostname='example.com':
  //   62 "Hostname mismatch, certificate is not valid for 'example.com'."
  test('ssl: true verifies: a self-signed certificate is SSLCertVerificationError (code 18); a wrong name is code 62', async (t) => {
    if (missing !== null) return t.skip(missing);
    const out = await run(function* () {
      const server = yield* startServer(echo, { host: '127.0.0.1', port: 0, ssl: createSslContext({ server: true, cert, key }) });
      const port = portOf(server);
      const selfSigned = yield* catching(openConnection({ host: '127.0.0.1', port, ssl: true }));
      const wrongName = yield* catching(openConnection({ host: '127.0.0.1', port, ssl: createSslContext({ ca: cert }), serverHostname: 'example.com' }));
      const unchecked = yield* openConnection({ host: '127.0.0.1', port, ssl: createSslContext({ checkHostname: false, verifyMode: 'none' }) });
      unchecked[1].write('ok\n');
      const line = text(yield* unchecked[0].readline());
      const peercert = unchecked[1].getExtraInfo('peercert');
      unchecked[1].close();
      server.close();
      yield* server.waitClosed();
      return { selfSigned, wrongName, line, peercert };
    });
    const e = out.selfSigned as SSLCertVerificationError;
    assert.ok(e instanceof SSLCertVerificationError && e instanceof SSLError && e instanceof OSError, String(e));
    assert.equal(e.verifyCode, 18);
    assert.equal(e.verifyMessage, 'self-signed certificate');
    assert.equal(e.reason, 'CERTIFICATE_VERIFY_FAILED');
    assert.equal(e.message, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    assert.equal((e.cause as { code?: string }).code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    const w = out.wrongName as SSLCertVerificationError;
    assert.ok(w instanceof SSLCertVerificationError, String(w));
    assert.equal(w.verifyCode, 62);
    assert.equal(w.verifyMessage, "Hostname mismatch, certificate is not valid for 'example.com'.");
    assert.equal(out.line, 'ok\n');
    assert.deepEqual(out.peercert, {}); // not verified: Python gives {} too
  });

  test('sslHandshakeTimeout: a peer that never answers the handshake is aborted with ConnectionAbortedError; misuse gets asyncio\'s words', async (t) => {
    if (missing !== null) return t.skip(missing);
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const error = await run(function* () {
        return yield* catching(openConnection({ host: '127.0.0.1', port, ssl: createSslContext({ ca: cert }), serverHostname: 'localhost', sslHandshakeTimeout: 50 }));
      });
      assert.ok(error instanceof ConnectionAbortedError, String(error));
      assert.equal((error as Error).message, 'SSL handshake is taking longer than 50 ms: aborting the connection');
    } finally {
      silent.close();
    }
    assert.throws(() => openConnection({ port: 1, serverHostname: 'localhost' }), { name: 'RangeError', message: 'server_hostname is only meaningful with ssl' });
    assert.throws(() => openConnection({ port: 1, sslHandshakeTimeout: 5 }), { name: 'RangeError', message: 'ssl_handshake_timeout is only meaningful with ssl' });
    assert.throws(() => openConnection({ port: 1, ssl: 'yes' as never }), { name: 'TypeError', message: 'Expected `ssl` to be true or an SSLContext (from createSslContext), got `"yes"` (string)' });
    assert.throws(() => createSslContext({ verifyMode: 'none' }), {
      name: 'RangeError',
      message: 'Cannot set verify_mode to CERT_NONE when check_hostname is enabled. Pass `checkHostname: false` too.',
    });
    assert.throws(() => createSslContext({ cafile: 'x' } as never), { name: 'TypeError' });
    await run(function* () {
      const e = yield* catching(startServer(echo, { port: 0, ssl: createSslContext({ ca: cert }) }));
      assert.equal((e as Error).message, 'startServer() needs a server SSLContext: createSslContext({ server: true, cert, key }).');
    });
  });

  test('sslShutdownTimeout: closing a TLS connection whose peer never reads is aborted with TimeoutError("SSL shutdown timed out")', async (t) => {
    if (missing !== null) return t.skip(missing);
    const error = await run(function* () {
      const server = yield* startServer(function* (reader, writer) {
        yield* reader.readexactly(1);
        yield* getRunningLoop().createFuture<void>(); // then never reads again
        writer.close();
      }, { host: '127.0.0.1', port: 0, ssl: createSslContext({ server: true, cert, key }) });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server), ssl: createSslContext({ ca: cert }), serverHostname: 'localhost', sslShutdownTimeout: 100 });
      writer.write('x');
      writer.write(new Uint8Array(64 * 1024 * 1024));
      writer.close();
      const error = yield* catching(writer.waitClosed());
      server.abortClients();
      server.close();
      return error;
    });
    assert.ok(error instanceof TimeoutError && error instanceof OSError, String(error));
    assert.equal((error as Error).message, 'SSL shutdown timed out');
  });

  test('writer.startTls: a plain connection upgraded in place on both sides (STARTTLS), the same reader and writer after', async (t) => {
    if (missing !== null) return t.skip(missing);
    const out = await run(function* () {
      const serverCtx = createSslContext({ server: true, cert, key });
      const server = yield* startServer(function* (reader, writer) {
        assert.equal(text(yield* reader.readline()), 'STARTTLS\n');
        writer.write('GO\n');
        yield* writer.startTls(serverCtx);
        yield* echo(reader, writer);
      }, { host: '127.0.0.1', port: 0 });
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port: portOf(server) });
      const plain = writer.getExtraInfo('sslObject');
      writer.write('STARTTLS\n');
      assert.equal(text(yield* reader.readline()), 'GO\n');
      const ssl: SSLContext = createSslContext({ ca: cert });
      yield* writer.startTls(ssl, { serverHostname: 'localhost' });
      writer.write('over tls\n');
      const line = text(yield* reader.readline());
      const again = yield* catching(writer.startTls(ssl));
      const tlsNow = writer.getExtraInfo('sslObject') instanceof tls.TLSSocket;
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return { plain, line, tlsNow, again };
    });
    assert.equal(out.plain, null);
    assert.equal(out.line, 'over tls\n');
    assert.equal(out.tlsNow, true);
    assert.equal((out.again as Error).message, 'Transport is already using TLS');
  });

  test('interop: a CPython asyncio TLS server and a CPython asyncio TLS client, against yieldio (skipped loudly without python3)', async (t) => {
    if (missing !== null) return t.skip(missing);
    const env = { ...process.env, PYENV_VERSION: '3.13.0' };
    try {
      execFileSync('python3', ['-c', 'import asyncio, ssl'], { env, stdio: 'ignore' });
    } catch {
      console.warn('\n*** SKIPPED LOUDLY: no python3 with asyncio and ssl for the TLS interop test ***\n');
      return t.skip('SKIPPED LOUDLY: no python3 with asyncio and ssl');
    }
    const serverScript = `
import asyncio, ssl, sys
async def main():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    async def handle(reader, writer):
        line = await reader.readline()
        writer.write(b'python says ' + line)
        await writer.drain()
        writer.close()
        await writer.wait_closed()
        server.close()
    server = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=ctx)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        try:
            await server.serve_forever()
        except asyncio.CancelledError:
            pass
asyncio.run(main())
`;
    const clientScript = `
import asyncio, ssl, sys
async def main():
    ctx = ssl.create_default_context(cafile=sys.argv[1])
    reader, writer = await asyncio.open_connection('127.0.0.1', int(sys.argv[2]), ssl=ctx, server_hostname='localhost')
    writer.write(b'hello from python\\n')
    print((await reader.readline()).decode().strip(), writer.get_extra_info('cipher')[1].startswith('TLSv1.'))
    writer.close()
    await writer.wait_closed()
asyncio.run(main())
`;
    const python = spawn('python3', ['-c', serverScript, join(dir, 'cert.pem'), join(dir, 'key.pem')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        python.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        python.once('exit', (code) => reject(new Error(`python3 TLS server exited (${code})`)));
      });
      const out = await run(function* () {
        // yieldio client -> CPython server
        const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port, ssl: createSslContext({ ca: cert }), serverHostname: 'localhost' });
        writer.write('hello from yieldio\n');
        const reply = text(yield* reader.readline());
        writer.close();
        yield* writer.waitClosed();
        // CPython client -> yieldio server
        const server = yield* startServer(function* (r, w) {
          w.write(`yieldio says ${text(yield* r.readline())}`);
          yield* w.drain();
          w.close();
        }, { host: '127.0.0.1', port: 0, ssl: createSslContext({ server: true, cert, key }) });
        const client = yield* createSubprocessExec('python3', ['-c', clientScript, join(dir, 'cert.pem'), String(portOf(server))], { stdout: PIPE, env });
        const [stdout] = yield* client.communicate();
        server.close();
        yield* server.waitClosed();
        return { reply, fromPython: text(stdout!).trim(), code: client.returncode };
      });
      assert.equal(out.reply, 'python says hello from yieldio\n');
      assert.equal(out.fromPython, 'yieldio says hello from python True');
      assert.equal(out.code, 0);
    } finally {
      python.kill();
    }
  });
});

describe('TLS over Unix sockets and on accepted sockets', () => {
  test('startUnixServer(cb, { ssl }) / openUnixConnection({ path, ssl, serverHostname }): echo over TLS on a Unix socket; serverHostname is required, as asyncio', async (t) => {
    if (missing !== null) return t.skip(missing);
    const path = join(dir, 'tls.sock');
    const out = await run(function* () {
      const server = yield* startUnixServer(echo, { path, ssl: createSslContext({ server: true, cert, key }) });
      const [reader, writer] = yield* openUnixConnection({ path, ssl: createSslContext({ ca: cert }), serverHostname: 'localhost' });
      writer.write('over unix\n');
      const line = text(yield* reader.readline());
      const info = {
        subject: (writer.getExtraInfo('peercert') as tls.PeerCertificate).subject.CN,
        sslObject: writer.getExtraInfo('sslObject') instanceof tls.TLSSocket,
        peer: writer.getExtraInfo('peername'),
      };
      writer.close();
      yield* writer.waitClosed();
      const wrongName = yield* catching(openUnixConnection({ path, ssl: createSslContext({ ca: cert }), serverHostname: 'example.com' }));
      server.close();
      yield* server.waitClosed();
      return { line, info, wrongName };
    });
    assert.equal(out.line, 'over unix\n');
    assert.deepEqual(out.info, { subject: 'localhost', sslObject: true, peer: path });
    assert.ok(out.wrongName instanceof SSLCertVerificationError, String(out.wrongName));
    assert.equal((out.wrongName as SSLCertVerificationError).verifyCode, 62);
    // CPython 3.13: open_unix_connection(path, ssl=True) -> ValueError: you have to pass server_hostname when using ssl
    assert.throws(() => openUnixConnection({ path, ssl: true }), { name: 'RangeError', message: 'you have to pass server_hostname when using ssl' });
  });

  test('connectAcceptedSocket(factory, sock, { ssl }): a socket a Node server accepted becomes the TLS server side; a verifying client talks to it', async (t) => {
    if (missing !== null) return t.skip(missing);
    class Upper extends Protocol {
      transport: SocketTransport | null = null;
      override connectionMade(transport: SocketTransport): void {
        this.transport = transport;
      }
      override dataReceived(data: Uint8Array): void {
        this.transport!.write(Buffer.from(data).toString('utf8').toUpperCase());
      }
    }
    const out = await run(function* () {
      const loop = getRunningLoop();
      const serverSsl = createSslContext({ server: true, cert, key });
      const adopted: SocketTransport[] = [];
      const node = net.createServer((sock) => loop.callSoonThreadsafe(() => {
        loop.createTask((function* () {
          const [transport] = yield* connectAcceptedSocket(() => new Upper(), sock, { ssl: serverSsl });
          adopted.push(transport);
        })());
      }));
      const listening = loop.createFuture<void>();
      node.listen(0, '127.0.0.1', () => loop.callSoonThreadsafe(() => listening.setResult()));
      yield* listening;
      const port = (node.address() as net.AddressInfo).port;
      const [reader, writer] = yield* openConnection({ host: '127.0.0.1', port, ssl: createSslContext({ ca: cert }), serverHostname: 'localhost' });
      writer.write('accepted tls\n');
      const line = text(yield* reader.readline());
      const serverSide = adopted[0]!.getExtraInfo('sslcontext') === serverSsl;
      writer.close();
      yield* writer.waitClosed();
      node.close();
      return { line, serverSide };
    });
    assert.equal(out.line, 'ACCEPTED TLS\n');
    assert.equal(out.serverSide, true);
  });
});

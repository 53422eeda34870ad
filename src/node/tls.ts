/**
 * TLS for streams: a context object in Python's terms, mapped onto `node:tls`.
 * @asyncio ssl.SSLContext, ssl.create_default_context, asyncio.sslproto
 *
 * Design notes
 * - `ssl: true` is asyncio's `ssl.create_default_context()`: the system's trusted CAs (Node's
 *   bundled and default ones), the certificate checked, the host name checked.
 * - `createSslContext({...})` is Python's `SSLContext` set up in one call. The mapping:
 *   `ssl.create_default_context(Purpose.CLIENT_AUTH)` → `{ server: true }`;
 *   `load_cert_chain(certfile, keyfile)` → `{ cert, key }` (PEM text or bytes);
 *   `load_verify_locations(cadata=...)` → `{ ca }`; `check_hostname` → `checkHostname`;
 *   `verify_mode = CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED` → `verifyMode: 'none' | 'optional'
 *   | 'required'`; `minimum_version` / `maximum_version` → `minimumVersion` / `maximumVersion`
 *   ('TLSv1.2', 'TLSv1.3'); `set_ciphers` → `ciphers`; `set_alpn_protocols` → `alpnProtocols`.
 * - The handshake timeout (default 60 s, asyncio's) aborts a connection whose handshake has not
 *   finished with ConnectionAbortedError; the shutdown timeout (default 30 s, 3.11) aborts a
 *   closing TLS connection that has not finished flushing with TimeoutError('SSL shutdown timed out').
 * @module
 */
import * as tls from 'node:tls';
import type { Buffer } from 'node:buffer';
import { describeValue } from '../internal/repr.ts';

/** What a TLS context is for. */
type VerifyMode = 'none' | 'optional' | 'required';

/** Options of `createSslContext`: Python's SSLContext settings (see the module notes for the mapping). */
export interface SSLContextOptions {
  /** A server context (Python's `Purpose.CLIENT_AUTH`): it presents `cert`, and asks no client certificate unless `verifyMode` says so. Default false. */
  server?: boolean;
  /** The certificate chain to present, PEM (Python's `load_cert_chain(certfile)`). */
  cert?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Its private key, PEM (`keyfile`). */
  key?: string | Uint8Array;
  /** CA certificates to trust instead of the system's, PEM (`load_verify_locations(cadata=)`). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Check the server's name against its certificate (clients; default true, Python's `check_hostname`). */
  checkHostname?: boolean;
  /** Whether the peer's certificate is required and checked. Default 'required' for clients, 'none' for servers. */
  verifyMode?: VerifyMode;
  /** The lowest TLS version accepted (default 'TLSv1.2', Python's default minimum). */
  minimumVersion?: tls.SecureVersion;
  /** The highest TLS version accepted. */
  maximumVersion?: tls.SecureVersion;
  /** OpenSSL's cipher list (Python's `set_ciphers`). */
  ciphers?: string;
  /** ALPN protocols offered, in order (Python's `set_alpn_protocols`). */
  alpnProtocols?: readonly string[];
}

const OPTION_NAMES: readonly string[] = ['server', 'cert', 'key', 'ca', 'checkHostname', 'verifyMode', 'minimumVersion', 'maximumVersion', 'ciphers', 'alpnProtocols'];

/**
 * A TLS configuration for `openConnection({ ssl })`, `startServer(cb, { ssl })` and
 * `writer.startTls(ssl)`.
 * @asyncio ssl.SSLContext
 * @example
 * const ssl = createSslContext({ ca: readFileSync('ca.pem', 'utf8') });
 * const [reader, writer] = yield* openConnection({ host: 'example.org', port: 443, ssl });
 *
 * Fields: `server`, `checkHostname`, `verifyMode` (as given or defaulted), `secureContext`
 * (Node's, made once and shared by every connection), `alpnProtocols`.
 */
export class SSLContext {
  /** A server context (presents a certificate), else a client one. */
  readonly server: boolean;
  /** Whether a client checks the server's name. */
  readonly checkHostname: boolean;
  /** Whether the peer's certificate is required and checked. */
  readonly verifyMode: VerifyMode;
  /** Node's SecureContext, shared by every connection made with this context. */
  readonly secureContext: tls.SecureContext;
  /** @internal */
  readonly _alpn: string[] | null;
  /** @internal What the SecureContext was made from: tls.createServer builds its own from these. */
  readonly _secureOptions: tls.SecureContextOptions;

  /** @internal Made by createSslContext. */
  constructor(options: SSLContextOptions) {
    this.server = options.server === true;
    this.verifyMode = options.verifyMode ?? (this.server ? 'none' : 'required');
    this.checkHostname = !this.server && (options.checkHostname ?? true);
    if (this.checkHostname && this.verifyMode === 'none') {
      // Python's words for the same contradiction.
      throw new RangeError('Cannot set verify_mode to CERT_NONE when check_hostname is enabled. Pass `checkHostname: false` too.');
    }
    const secure: tls.SecureContextOptions = { minVersion: options.minimumVersion ?? 'TLSv1.2' };
    if (options.maximumVersion !== undefined) secure.maxVersion = options.maximumVersion;
    if (options.cert !== undefined) secure.cert = options.cert as string | Buffer | (string | Buffer)[];
    if (options.key !== undefined) secure.key = options.key as string | Buffer;
    if (options.ca !== undefined) secure.ca = options.ca as string | Buffer | (string | Buffer)[];
    if (options.ciphers !== undefined) secure.ciphers = options.ciphers;
    this.secureContext = tls.createSecureContext(secure);
    this._secureOptions = secure;
    this._alpn = options.alpnProtocols === undefined ? null : [...options.alpnProtocols];
  }

  toString(): string {
    return `<SSLContext ${this.server ? 'server' : 'client'} verify=${this.verifyMode}${this.checkHostname ? ' check_hostname' : ''}>`;
  }
}

/**
 * A TLS context with Python's settings, in one call.
 * @asyncio ssl.create_default_context() and the SSLContext setters (see the module notes)
 * @param options `server`, `cert`, `key`, `ca`, `checkHostname`, `verifyMode`, `minimumVersion`, `maximumVersion`, `ciphers`, `alpnProtocols`.
 * @returns the context.
 * @throws {RangeError} "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.".
 * @throws {TypeError} for an option that does not exist.
 * @throws Node's error for a certificate or key that cannot be read.
 * @example
 * const server = createSslContext({ server: true, cert: readFileSync('cert.pem'), key: readFileSync('key.pem') });
 * const client = createSslContext({ ca: readFileSync('cert.pem') }); // trust this one certificate
 */
export function createSslContext(options: SSLContextOptions = {}): SSLContext {
  if (options === null || typeof options !== 'object') throw new TypeError(`createSslContext() expects an options object, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new TypeError(`createSslContext() got an unexpected option \`${key}\`. Its options are: ${OPTION_NAMES.join(', ')}.`);
  }
  const mode = options.verifyMode;
  if (mode !== undefined && mode !== 'none' && mode !== 'optional' && mode !== 'required') {
    throw new RangeError(`Expected \`verifyMode\` to be 'none', 'optional' or 'required', got ${describeValue(mode)}`);
  }
  return new SSLContext(options);
}

let defaultClientContext: SSLContext | null = null;

/** @internal What `ssl` means: `true` is the default verifying client context. */
export function checkSsl(ssl: unknown, name = 'ssl'): SSLContext | null {
  if (ssl === undefined || ssl === null || ssl === false) return null;
  if (ssl === true) return (defaultClientContext ??= new SSLContext({}));
  if (ssl instanceof SSLContext) return ssl;
  throw new TypeError(`Expected \`${name}\` to be true or an SSLContext (from createSslContext), got ${describeValue(ssl)}`);
}

/** @internal asyncio's timeouts are in seconds; ours in ms. */
export function checkTimeout(value: unknown, name: string, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`Expected \`${name}\` to be a finite number of milliseconds > 0, got ${describeValue(value)}`);
  }
  return value;
}

/** asyncio's constants.SSL_HANDSHAKE_TIMEOUT (60 s) and SSL_SHUTDOWN_TIMEOUT (30 s), in ms. */
export const SSL_HANDSHAKE_TIMEOUT = 60_000;
/** @internal */
export const SSL_SHUTDOWN_TIMEOUT = 30_000;

/** @internal Node's tls.connect options for a client context. */
export function clientOptions(context: SSLContext, serverHostname: string | null): tls.ConnectionOptions {
  // allowHalfOpen is passed on to the TLSSocket (Node's types omit it from ConnectionOptions).
  const options: tls.ConnectionOptions & { allowHalfOpen?: boolean } = {
    secureContext: context.secureContext,
    rejectUnauthorized: context.verifyMode !== 'none',
    allowHalfOpen: true,
  };
  // SNI is never an IP address (RFC 6066); Node warns when given one.
  if (serverHostname !== null && serverHostname !== '' && !/^[\d.]+$|:/.test(serverHostname)) options.servername = serverHostname;
  if (!context.checkHostname) options.checkServerIdentity = () => undefined;
  else if (serverHostname !== null) options.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(serverHostname, cert);
  if (context._alpn !== null) options.ALPNProtocols = context._alpn;
  return options;
}

/** @internal Node's tls server options for a server context. */
export function serverOptions(context: SSLContext): tls.TlsOptions {
  // tls.createServer makes its own SecureContext from the options (it ignores `secureContext`);
  // a server-side TLSSocket (startTls) takes `secureContext`.
  const options: tls.TlsOptions = {
    ...context._secureOptions,
    secureContext: context.secureContext,
    requestCert: context.verifyMode !== 'none',
    rejectUnauthorized: context.verifyMode === 'required',
    allowHalfOpen: true,
  };
  if (context._alpn !== null) options.ALPNProtocols = context._alpn;
  return options;
}

/** @internal `getExtraInfo`'s TLS names, for a TLS socket. */
export function tlsExtraInfo(socket: tls.TLSSocket, context: SSLContext | null, name: string): unknown {
  switch (name) {
    case 'peercert': {
      // Python returns the certificate only when it was verified; {} otherwise.
      if (!socket.authorized) return {};
      const cert = socket.getPeerCertificate();
      return cert === null || Object.keys(cert).length === 0 ? null : cert;
    }
    case 'cipher': {
      const cipher = socket.getCipher();
      const full = cipher.standardName ?? cipher.name;
      const bits = /CHACHA20/.test(full) ? 256 : Number(/_(128|256)_/.exec(full)?.[1] ?? NaN);
      return [full, cipher.version, Number.isNaN(bits) ? null : bits];
    }
    case 'compression':
      return null;
    case 'sslObject':
    case 'ssl_object':
      return socket;
    case 'sslcontext':
      return context;
    default:
      return undefined;
  }
}

/**
 * Errors with Python's names: Node's system errors (`code: 'ECONNRESET'`, ...) mapped, in one
 * place, onto Python's OSError hierarchy, as asyncio's callers catch them.
 * @asyncio the builtin OSError subclasses (ConnectionResetError, BrokenPipeError, ...)
 *
 * Design notes
 * - Every read, write, drain, waitClosed, connect, listen and spawn path of yieldio/node passes
 *   Node's error through `fromNodeError`: the class is chosen by `code` (Python chooses by errno,
 *   `PEP 3151`), Node's error is kept as `cause`, and `code`, `errno` (positive, as Python's),
 *   `syscall` and `path` are copied.
 * - ETIMEDOUT becomes the core's `TimeoutError` (Python's builtin TimeoutError is both asyncio's
 *   timeout and an OSError): `e instanceof OSError` is true for it, through `OSError`'s
 *   `Symbol.hasInstance`, so one `catch` handles both as in Python.
 * - The message is Python's first (`[Errno 104] Connection reset by peer`), then Node's own in
 *   parentheses (`read ECONNRESET`), so neither the errno text nor the failing call is lost.
 * - TLS: Node's certificate codes (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`,
 *   ...) become `SSLCertVerificationError` with Python's `verifyCode` / `verifyMessage`; OpenSSL's
 *   `ERR_SSL_*` become `SSLError` with its `reason` and `library`.
 * @module
 */
import { constants as osConstants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { TimeoutError } from '../exceptions.ts';

/** What Node's system errors carry (`NodeJS.ErrnoException` plus the socket fields). */
interface NodeSystemError extends Error {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  path?: unknown;
}

/** The fields an OSError copies from Node's error (each null when Node gave none). */
export interface OSErrorDetails {
  /** Node's error code, e.g. `'ECONNRESET'`. */
  code?: string | null;
  /** The errno number, positive as Python's (`104` for ECONNRESET on Linux). */
  errno?: number | null;
  /** The failing system call, e.g. `'read'`, `'connect'`, `'spawn node'`. */
  syscall?: string | null;
  /** The path involved (a program, a file), as Python's `filename`. */
  path?: string | null;
  /** The error this one stands for (Node's). */
  cause?: unknown;
}

/**
 * An operating-system error: the base of every error below.
 * @asyncio OSError (the builtin)
 * @example
 * try { yield* openConnection({ host, port }); } catch (e) { if (e instanceof OSError) log(e.code); else throw e; }
 */
export class OSError extends Error {
  override name = 'OSError';
  /** Node's error code (`'ECONNRESET'`, `'EADDRINUSE'`, ...), or null. */
  code: string | null;
  /** The errno number (positive, as Python's `e.errno`), or null. */
  errno: number | null;
  /** The system call that failed (`'read'`, `'connect'`, ...), or null. */
  syscall: string | null;
  /** The path involved, Python's `filename`, or null. */
  path: string | null;

  /**
   * An error with a message and, when it stands for Node's error, that error's details.
   * @param message what happened.
   * @param details `code`, `errno`, `syscall`, `path`, `cause`.
   */
  constructor(message = '', details: OSErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code ?? null;
    this.errno = details.errno ?? null;
    this.syscall = details.syscall ?? null;
    this.path = details.path ?? null;
  }

  /** `e instanceof OSError` holds for the core's TimeoutError too, as Python's TimeoutError is an OSError. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === OSError && value instanceof TimeoutError;
  }
}

/**
 * A connection failed: the base of the four below.
 * @asyncio ConnectionError (the builtin)
 */
export class ConnectionError extends OSError {
  override name = 'ConnectionError';
}

/**
 * Writing to a pipe or socket whose other end is closed (EPIPE).
 * @asyncio BrokenPipeError (the builtin)
 */
export class BrokenPipeError extends ConnectionError {
  override name = 'BrokenPipeError';
}

/**
 * The connection was aborted on this side (ECONNABORTED).
 * @asyncio ConnectionAbortedError (the builtin)
 */
export class ConnectionAbortedError extends ConnectionError {
  override name = 'ConnectionAbortedError';
}

/**
 * Nobody listens at the address (ECONNREFUSED).
 * @asyncio ConnectionRefusedError (the builtin)
 */
export class ConnectionRefusedError extends ConnectionError {
  override name = 'ConnectionRefusedError';
}

/**
 * The peer reset the connection (ECONNRESET), or it was lost while `drain()` waited or was
 * called ('Connection lost', asyncio's words).
 * @asyncio ConnectionResetError (the builtin)
 * @example
 * try { yield* writer.drain(); } catch (e) { if (e instanceof ConnectionResetError) return; throw e; }
 */
export class ConnectionResetError extends ConnectionError {
  override name = 'ConnectionResetError';
}

/**
 * A file or program does not exist (ENOENT): a missing program to spawn, a missing Unix socket.
 * @asyncio FileNotFoundError (the builtin)
 */
export class FileNotFoundError extends OSError {
  override name = 'FileNotFoundError';
}

/**
 * Not allowed (EACCES, EPERM): a program that is not executable, a privileged port.
 * @asyncio PermissionError (the builtin)
 */
export class PermissionError extends OSError {
  override name = 'PermissionError';
}

/**
 * The child's pid has no running process any more: `sendSignal`, `terminate` or `kill` after it exited (ESRCH).
 * @asyncio ProcessLookupError (the builtin)
 */
export class ProcessLookupError extends OSError {
  override name = 'ProcessLookupError';
}

/**
 * A TLS failure: a handshake that failed, a protocol error (`reason` names it, as OpenSSL does).
 * @asyncio ssl.SSLError
 */
export class SSLError extends OSError {
  override name = 'SSLError';
  /** OpenSSL's reason, e.g. `'CERTIFICATE_VERIFY_FAILED'`, `'WRONG_VERSION_NUMBER'`, or null. */
  reason: string | null = null;
  /** OpenSSL's library, e.g. `'SSL'`, or null. */
  library: string | null = null;
}

/**
 * The peer's certificate was not accepted: not trusted, expired, or not valid for the host name.
 * @asyncio ssl.SSLCertVerificationError
 * @example
 * try { yield* openConnection({ host, port: 443, ssl: true }); } catch (e) { if (e instanceof SSLCertVerificationError) log(e.verifyMessage); else throw e; }
 */
export class SSLCertVerificationError extends SSLError {
  override name = 'SSLCertVerificationError';
  /** OpenSSL's X509 verification code (18: self-signed, 62: host name mismatch), or null. */
  verifyCode: number | null = null;
  /** What was wrong with the certificate, as OpenSSL (and Python) say it. */
  verifyMessage: string | null = null;
}

type OSErrorClass = new (message?: string, details?: OSErrorDetails) => OSError;

/** Node's certificate error codes and OpenSSL's X509_V_ERR numbers (Python's verify_code). */
const VERIFY_CODES: ReadonlyMap<string, number> = new Map([
  ['CERT_NOT_YET_VALID', 9],
  ['CERT_HAS_EXPIRED', 10],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 18],
  ['SELF_SIGNED_CERT_IN_CHAIN', 19],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 20],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 21],
  ['CERT_REVOKED', 23],
  ['CERT_UNTRUSTED', 27],
  ['CERT_REJECTED', 28],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 62],
]);

/** Python's words: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate". */
function sslError(error: NodeSystemError & { reason?: unknown; library?: unknown; host?: unknown; cert?: unknown }, code: string): SSLError | null {
  const verifyCode = VERIFY_CODES.get(code);
  if (verifyCode !== undefined) {
    let verifyMessage = error.message;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const host = typeof error.host === 'string' ? error.host : '';
      verifyMessage = /^[\d.]+$|:/.test(host)
        ? `IP address mismatch, certificate is not valid for '${host}'.`
        : `Hostname mismatch, certificate is not valid for '${host}'.`;
    }
    const e = new SSLCertVerificationError(`[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${verifyMessage} (${code})`, { code, errno: 1, cause: error });
    e.reason = 'CERTIFICATE_VERIFY_FAILED';
    e.library = 'SSL';
    e.verifyCode = code === 'ERR_TLS_CERT_ALTNAME_INVALID' && verifyMessage.startsWith('IP') ? 64 : verifyCode;
    e.verifyMessage = verifyMessage;
    return e;
  }
  if (code.startsWith('ERR_SSL_')) {
    const reason = typeof error.reason === 'string' ? error.reason.toUpperCase().replace(/ /g, '_') : code.slice('ERR_SSL_'.length);
    const e = new SSLError(`[SSL: ${reason}] ${typeof error.reason === 'string' ? error.reason : error.message} (${code})`, { code, errno: 1, cause: error });
    e.reason = reason;
    e.library = typeof error.library === 'string' ? (error.library === 'SSL routines' ? 'SSL' : error.library) : null;
    return e;
  }
  return null;
}

/** Python's PEP 3151 table, by Node's code (only the codes Python names). */
const CLASSES: ReadonlyMap<string, OSErrorClass> = new Map<string, OSErrorClass>([
  ['EPIPE', BrokenPipeError],
  ['ESHUTDOWN', BrokenPipeError],
  ['ECONNABORTED', ConnectionAbortedError],
  ['ECONNREFUSED', ConnectionRefusedError],
  ['ECONNRESET', ConnectionResetError],
  ['ENOENT', FileNotFoundError],
  ['EACCES', PermissionError],
  ['EPERM', PermissionError],
  ['ESRCH', ProcessLookupError],
]);

let systemErrors: Map<number, [string, string]> | null = null;

/** The C library's description of an errno ('Connection reset by peer'), from libuv's table. */
function strerror(code: string, nodeErrno: number | null): string {
  systemErrors ??= getSystemErrorMap();
  const entry = nodeErrno === null ? undefined : systemErrors.get(nodeErrno);
  const text = entry?.[1];
  return text === undefined ? code : text.charAt(0).toUpperCase() + text.slice(1);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * @internal The error a user sees for Node's `error`: its Python-named class when Node's has a
 * system error `code`, keeping Node's as `cause`; any other error (ours, a user's) unchanged.
 */
export function fromNodeError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof OSError) return error;
  const nodeError = error as NodeSystemError;
  const code = nodeError.code;
  if (typeof code !== 'string') return error;
  const ssl = sslError(nodeError, code);
  if (ssl !== null) return ssl;
  const known = (osConstants.errno as Record<string, number | undefined>)[code];
  // A code that is no errno (Node's own ERR_SOCKET_CLOSED, ERR_STREAM_...) is not an OSError.
  if (known === undefined) return error;
  const nodeErrno = typeof nodeError.errno === 'number' ? nodeError.errno : -known;
  const errno = Math.abs(nodeErrno);
  const path = stringOrNull(nodeError.path);
  // Python's str(): "[Errno 2] No such file or directory: '/bin/nope'", then Node's own words.
  const message = `[Errno ${errno}] ${strerror(code, nodeErrno)}${path === null ? '' : `: '${path}'`} (${error.message})`;
  const details: OSErrorDetails = {
    code,
    errno,
    syscall: stringOrNull(nodeError.syscall),
    path,
    cause: error,
  };
  if (code === 'ETIMEDOUT') {
    // Python's TimeoutError is the builtin asyncio raises too: use the core's class.
    const timeout = new TimeoutError(message, { cause: error }) as TimeoutError & OSErrorDetails;
    timeout.code = code;
    timeout.errno = errno;
    timeout.syscall = details.syscall ?? null;
    timeout.path = details.path ?? null;
    return timeout;
  }
  const Class = CLASSES.get(code) ?? OSError;
  return new Class(message, details);
}

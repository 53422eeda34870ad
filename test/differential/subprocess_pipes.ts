// Twin of subprocess_pipes.py: PIPE is a real pipe (a FIFO), so a child may reopen
// /dev/stdout and /dev/stderr; stderr: STDOUT is one pipe (passed as fd 1 and 2).
import { run } from '../../src/index.ts';
import { PIPE, STDOUT, createSubprocessShell } from '../../src/node/index.ts';

type Log = (line: string) => void;
const py = (v: unknown): string => (v === null ? 'None' : String(v));
/** Python's repr of bytes, for the printable ASCII these children write. */
const bytes = (b: Uint8Array | null): string => (b === null ? 'None' : `b'${Buffer.from(b).toString('latin1').replace(/\n/g, '\\n')}'`);

export default async function main(log: Log): Promise<void> {
  await run(function* () {
    for (const cmd of ['echo hi > /dev/stdout', 'echo err > /dev/stderr', 'echo tee | tee /dev/stderr']) {
      const proc = yield* createSubprocessShell(cmd, { stdout: PIPE, stderr: PIPE });
      const [out, err] = yield* proc.communicate();
      log(`'${cmd}' ${bytes(out)} ${bytes(err)} ${py(proc.returncode)}`);
    }
    let proc = yield* createSubprocessShell('echo a; echo b > /dev/stderr; echo c >&2; echo d', { stdout: PIPE, stderr: STDOUT });
    let [out, err] = yield* proc.communicate();
    log(`merged ${bytes(out)} ${bytes(err)} ${py(proc.returncode)}`);
    proc = yield* createSubprocessShell('head -c 3000000 /dev/zero | tee /dev/stderr', { stdout: PIPE, stderr: PIPE });
    [out, err] = yield* proc.communicate();
    log(`large ${out!.length} ${err!.length} ${py(Buffer.from(out!).equals(Buffer.from(err!)) ? 'True' : 'False')} ${py(proc.returncode)}`);
  });
}

# Twin of subprocess_pipes.ts: PIPE is a real pipe (os.pipe()), so a child may reopen
# /dev/stdout and /dev/stderr; stderr=STDOUT is one pipe (a dup2).
# clock: real
# (real children: the virtual clock would jump past their I/O)
import asyncio
from asyncio.subprocess import PIPE, STDOUT


async def main():
    for cmd in ['echo hi > /dev/stdout', 'echo err > /dev/stderr', 'echo tee | tee /dev/stderr']:
        proc = await asyncio.create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)
        out, err = await proc.communicate()
        print(repr(cmd), out, err, proc.returncode)
    proc = await asyncio.create_subprocess_shell('echo a; echo b > /dev/stderr; echo c >&2; echo d', stdout=PIPE, stderr=STDOUT)
    out, err = await proc.communicate()
    print('merged', out, err, proc.returncode)
    proc = await asyncio.create_subprocess_shell('head -c 3000000 /dev/zero | tee /dev/stderr', stdout=PIPE, stderr=PIPE)
    out, err = await proc.communicate()
    print('large', len(out), len(err), out == err, proc.returncode)


asyncio.run(main())

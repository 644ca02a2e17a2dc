"""Runs a command on a new pseudo-terminal and answers its unseal-key prompts with the keys on this script's stdin
(one per line; an empty answer ends), each typed only once the terminal's echo is off; stops typing when the command
ends. Prints everything the terminal showed, then exits with the command's exit code. Usage: type-unseal-keys.py COMMAND [ARG...]"""
import os
import pty
import select
import sys
import termios
import time

TIMEOUT = 60


def main():
    keys = [line.strip() for line in sys.stdin if line.strip()]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    shown = bytearray()

    def fail(why):
        sys.stdout.buffer.write(bytes(shown))
        sys.stdout.write("\n@@pty-driver: " + why + "\n")
        sys.exit(99)

    def read_some(deadline):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not ready:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            return None
        shown.extend(chunk)
        return True

    closed = False
    for number, key in enumerate(keys + [""], start=1):
        prompt = b"Unseal key %d " % number
        deadline = time.time() + TIMEOUT
        while prompt not in shown and not closed:
            got = read_some(deadline)
            closed = got is None
            if got is False:
                fail("no prompt %r within %d s" % (prompt, TIMEOUT))
        if closed:
            break
        while termios.tcgetattr(fd)[3] & termios.ECHO:
            if time.time() > deadline:
                fail("the terminal's echo is still on at prompt %d" % number)
            time.sleep(0.01)
        os.write(fd, key.encode() + b"\r")
    deadline = time.time() + TIMEOUT
    while not closed:
        got = read_some(deadline)
        if got is None:
            break
        if got is False:
            fail("the command did not end within %d s" % TIMEOUT)
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(bytes(shown))
    sys.exit(os.waitstatus_to_exitcode(status))


main()

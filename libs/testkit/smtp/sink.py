#!/usr/bin/env python3
"""A real SMTP server for the tests: accepts mail on 127.0.0.1:<port> and writes each message,
as received, to <dir>/<uuid>.eml (written whole, then renamed). Recipients whose local part
starts with "reject" are refused for good (550), those starting with "tempfail" for now (451),
so tests can see both kinds of failure. Prints "ready" once it listens; stops on SIGTERM.

    PYTHONPATH=target/tools/python python3 libs/testkit/smtp/sink.py --port 2525 --dir /tmp/mail

Needs aiosmtpd (scripts/test-services.sh installs it into target/tools/python).
"""

import argparse
import os
import signal
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("tempfail"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        partial = os.path.join(self.directory, f".{name}.partial")
        with open(partial, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(self.directory, f"{name}.eml"))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A real SMTP server for the tests: aiosmtpd (PyPI) on 127.0.0.1:PORT that
accepts every message and stores it in DIR as NNNN.eml, with NNNN.json beside
it (envelope recipients, the decoded To and Subject headers, the text body),
written atomically so a test never reads half a file. Runs until killed.

Usage: smtp-sink.py PORT DIR
"""
import itertools
import json
import pathlib
import signal
import sys
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        start = len(list(self.folder.glob("*.eml"))) + 1
        self.numbers = itertools.count(start)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = message_from_bytes(raw, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        summary = {
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_from": envelope.mail_from,
            "to": str(msg["To"]),
            "from": str(msg["From"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "body": body.get_content() if body is not None else "",
        }
        name = f"{next(self.numbers):04d}"
        for suffix, data in ((".eml", raw), (".json", json.dumps(summary, ensure_ascii=False).encode())):
            tmp = self.folder / f"{name}{suffix}.tmp"
            tmp.write_bytes(data)
            tmp.rename(self.folder / f"{name}{suffix}")
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp-sink listening on 127.0.0.1:{port}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()

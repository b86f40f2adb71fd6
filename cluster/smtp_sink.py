"""A local SMTP sink for the cluster and fault tests: accepts every message on 127.0.0.1
and appends one JSON line per message (Message-ID, recipients, subject, plain text) to a
file, so that a test can count what was sent and read the links in it.

    smtp_sink.py PORT FILE
"""
import email
import email.policy
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "message_id": str(message.get("Message-ID", "")),
            "to": list(envelope.rcpt_tos),
            "subject": str(message.get("Subject", "")),
            "text": body.get_content() if body is not None else "",
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return "250 Message accepted for delivery"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    print(f"SMTP sink on 127.0.0.1:{port}, writing to {path}", flush=True)
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()

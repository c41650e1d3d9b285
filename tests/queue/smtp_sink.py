"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts.

It can refuse the next N messages (451, a temporary failure a sender retries), hold
each recipient or each message for a while (a slow server, a worker killed mid-send).
"""

import asyncio
import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class SinkHandler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0
        self.refused = 0
        self.rcpt_delay = 0.0
        self.data_delay = 0.0
        self.rcpt_seen = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_seen.set()
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def reset(self) -> None:
        self.messages.clear()
        self.refuse = self.refused = 0
        self.rcpt_delay = self.data_delay = 0.0
        self.rcpt_seen.clear()


class SmtpSink:
    def __init__(self, port: int) -> None:
        self.handler = SinkHandler()
        self.port = port
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

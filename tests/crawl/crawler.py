"""Sending the crawl's requests: one client per role, each request in a savepoint that is rolled back (the data
set stays as built, and a database error cannot break the requests after it), bodies read back as text."""

import copy
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.crawl.recording import Recorder
from tests.crawl.world import World
from tests.helpers import close_response

TEXT_TYPES = ("text/", "json", "xml", "javascript", "calendar", "csv", "openapi")
XLSX = "spreadsheetml"
PDFTOTEXT = shutil.which("pdftotext")


@dataclass
class Visit:
    role: str
    method: str
    url: str
    data: dict
    status: int
    error: str = ""
    shown: frozenset[str] = frozenset()  # the canaries found in the body
    unread: str = ""  # why the body was not searched for canaries

    def __str__(self) -> str:
        data = f" {shorten(repr(self.data))}" if self.data else ""
        return f"{self.role} {self.method} {shorten(self.url)}{data} → {self.status} {self.error}".rstrip()


@dataclass
class Crawler:
    world: World
    visits: list[Visit] = field(default_factory=list)
    clients: dict[str, tuple[Client, object]] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(raise_request_exception=True)
            if self.world.users[role] is not None:
                client.force_login(self.world.users[role])
            self.clients[role] = (client, copy.deepcopy(client.cookies))
        client, cookies = self.clients[role]
        client.cookies = copy.deepcopy(cookies)  # a sign-out or a language switch does not last
        return client

    def visit(self, role: str, method: str, url: str, data: dict | None = None) -> tuple[Visit, set[str]]:
        """Send one request; returns the visit and the query or form keys the view read."""
        client, data = self.client(role), data or {}
        cache.clear()  # rate limits (kept in the cache) would answer 429 before the view runs
        Recorder.keys = keys = set()
        try:
            with transaction.atomic():
                response = send(client, method, url, data)
                body, unread = read_body(response)
                transaction.set_rollback(True)
            visit = Visit(role, method, url, data, response.status_code, unread=unread)
            visit.shown = frozenset(c.text for c in self.world.canaries if c.text in body)
        except Exception as error:  # every exception a view lets through is a 500
            visit = Visit(role, method, url, data, 500, f"{type(error).__name__}: {str(error)[:160]}")
        finally:
            Recorder.keys = None
        self.visits.append(visit)
        return visit, keys


def send(client: Client, method: str, url: str, data: dict):
    if method == "GET":
        return client.get(url, data)
    # A plain form body: the form keys a view reads are then recorded (tests/crawl/recording.py).
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def shorten(text: str) -> str:
    """A message quotes the very long hostile value by its length."""
    return re.sub(r"(.)\1{40,}", lambda m: f"{m[1]}…({len(m[0])}×)", text)


def read_body(response) -> tuple[str, str]:
    """The body as text for the canary search, or "" and why it could not be read."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    close_response(response)
    kind = response.get("Content-Type", "")
    if XLSX in kind:  # before the text types: its name has "xml" in it
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml")), ""
    if any(part in kind for part in TEXT_TYPES):
        text = content.decode(response.charset or "utf-8", errors="replace")
        return (text.replace("\r\n ", "").replace("\n ", "") if "calendar" in kind else text), ""  # unfold ICS
    if "pdf" in kind and PDFTOTEXT:
        result = subprocess.run([PDFTOTEXT, "-q", "-", "-"], input=content, capture_output=True, check=False)
        text = re.sub(r"\s+", "", result.stdout.decode(errors="replace"))  # a table cell wraps a canary's text
        return text, "" if result.returncode == 0 else "not a readable PDF"
    return "", f"binary body ({kind or 'no type'})" if content else ""

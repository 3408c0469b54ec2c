"""What the check said of a query text: computed in a query worker, kept in a bounded cache.

Parsing a query with rdflib's parser (pyparsing) costs tens of milliseconds of CPU, far more
than the HTTP work around it. Done in the server's one HTTP process, it ran on the event loop:
every request waited for every other's parse, on one core. So the check runs in a query
worker (tasks ``vet`` and ``vet_update``: in parallel, under the time limit and scheduling of
the queries themselves), and a query's verdict — the vetted query, or the message refusing
it — is kept, keyed by the exact text as received and the base IRI, the only inputs of
:func:`~cakg.server.protocol.vet_query`. The same text always gives the same parse, so a
kept verdict is the one the check would give again, and the text that runs is still the text
vetted. Nothing is normalised before the key is taken: two texts that differ only in a
``\\u`` escape are two entries, each vetted on its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cakg.errors import InputError
from cakg.server.protocol import VettedQuery

__all__ = ["Refused", "Verdicts", "verdict"]

T = TypeVar("T")


@dataclass(frozen=True)
class Refused:
    """The check refused a text (a syntax error, SERVICE, LOAD…): the one line to answer."""

    message: str


def verdict(check: Callable[..., T], *args: object) -> T | Refused:
    """What ``check`` says of its arguments: its answer, or the refusal it raised.

    >>> from cakg.server.protocol import vet_query
    >>> verdict(vet_query, "SELECT * {}", None).form
    'SELECT'
    >>> verdict(vet_query, "SELECT * { SERVICE <http://x/> {} }", None).message[:24]
    'SERVICE is not allowed: '
    """
    try:
        return check(*args)
    except InputError as exc:  # ForbiddenQuery and QuerySyntaxError among them
        return Refused(exc.one_line())


Key = tuple[str, str]  # the query text exactly as received, the base IRI


class Verdicts:
    """The verdicts of the latest query texts, least recently used out first: at most
    ``entries`` of them, and at most ``chars`` characters of text in their keys (a vetted
    query holds its text twice more, as written and as run: about 3 × ``chars`` in all).

    >>> v = Verdicts(entries=2)
    >>> for text in ("a", "b", "c"):
    ...     v.put((text, ""), Refused(text))
    >>> v.get(("a", "")), v.get(("c", ""))
    (None, Refused(message='c'))
    """

    def __init__(self, entries: int = 512, chars: int = 4_000_000) -> None:
        self.entries = entries
        self.chars = chars
        self._kept: OrderedDict[Key, VettedQuery | Refused] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def _weight(key: Key) -> int:
        return len(key[0]) + len(key[1])

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def get(self, key: Key) -> VettedQuery | Refused | None:
        """The verdict kept for a text, if any (it becomes the most recently used)."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Key, found: VettedQuery | Refused) -> None:
        """Keep a verdict; a text longer than the whole bound is not kept."""
        weight = self._weight(key)
        if weight > self.chars:
            return
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return
            self._kept[key] = found
            self._size += weight
            while len(self._kept) > self.entries or self._size > self.chars:
                oldest, _ = self._kept.popitem(last=False)
                self._size -= self._weight(oldest)

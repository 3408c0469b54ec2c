"""`cakg serve`: a SPARQL 1.1 Protocol endpoint, linked-data pages and browser pages.

The web application loads on first use of :func:`create_app` or :func:`serve`, so that
commands which only read the options (``cakg --help``) do not import it.

>>> from cakg.server import ServerConfig
>>> ServerConfig(data=("out/kg.trig",)).host
'127.0.0.1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cakg.server.config import ServerConfig

if TYPE_CHECKING:
    from cakg.server.app import create_app, serve

__all__ = ["ServerConfig", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "serve"):
        from cakg.server import app

        return getattr(app, name)
    raise AttributeError(f"module 'cakg.server' has no attribute {name!r}")

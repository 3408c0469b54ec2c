"""`cakg serve`: a SPARQL 1.1 Protocol endpoint, linked-data pages and browser pages.

>>> from cakg.server import ServerConfig
>>> ServerConfig(data=("out/kg.trig",)).host
'127.0.0.1'
"""

from __future__ import annotations

from cakg.server.app import ServerConfig, create_app, serve

__all__ = ["ServerConfig", "create_app", "serve"]

"""The address a view names, whoever asks: the public address the launcher is given
(``--public_url``), never a client's ``Host`` unless it is allowed (``--allowed_hosts``), and
forwarded headers only from ``--trusted_proxies`` (docs/deploy.md, "Hosting")."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from tornado.httputil import HTTPServerRequest

#: The application setting that holds the launcher's ``Hosting``.
HOSTING = "explorer_hosting"


def _names(text: str) -> list[str]:
    """The entries of a list given as one string (commas or spaces between them)."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def _first(value: str) -> str:
    """The first entry of a forwarded header (the one the outermost proxy added)."""
    return value.split(",")[0].strip()


def public_origin(url: str) -> str:
    """A public address as an origin (``https://host[:port]``); a ValueError names the option."""
    parts = urlsplit(url.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            "--public_url (EXPLORER_PUBLIC_URL) must be a scheme and a host, such as "
            "https://explorer.example.org or http://127.0.0.1:8866, without a path (the path "
            f"prefix is --base_url); got {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def listen_origin(ip: str, port: int) -> str:
    """The address the launcher listens on, as an origin (``localhost`` for every interface)."""
    host = "localhost" if ip in ("", "0.0.0.0", "::") else ip
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class Hosting:
    """The address a read view's links (Share, embed, lever, downloads) and a live page's
    downloads name for a request: the public address, or the host the request came by if it is
    on the allow-list. ``X-Forwarded-Host`` and ``X-Forwarded-Proto`` count only from a trusted
    proxy, so no client can put an address of its own into an answer that caches keep."""

    def __init__(self, public: str | Callable[[], str], allowed: str = "", proxies: str = ""):
        self._public = public
        self.allowed = {host.lower() for host in _names(allowed)}
        try:
            self.proxies = [ipaddress.ip_network(p, strict=False) for p in _names(proxies)]
        except ValueError as error:
            raise ValueError(
                f"--trusted_proxies (EXPLORER_TRUSTED_PROXIES): {error}; give addresses or "
                "networks such as 127.0.0.1 or 10.0.0.0/8"
            ) from None

    @property
    def public(self) -> str:
        return self._public() if callable(self._public) else self._public

    def trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self.proxies)

    def origin(self, request: HTTPServerRequest) -> str:
        scheme, host = request.protocol, request.headers.get("Host", "")
        if self.trusted(request.remote_ip):
            forwarded = _first(request.headers.get("X-Forwarded-Proto", ""))
            scheme = forwarded if forwarded in ("http", "https") else scheme
            host = _first(request.headers.get("X-Forwarded-Host", "")) or host
        public = self.public
        host = host.lower()
        if host in self.allowed and host != urlsplit(public).netloc:
            return f"{scheme}://{host}"
        return public

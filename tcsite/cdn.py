"""What the CDN (the Cloudflare Worker's static assets) reads from the built site: ``_headers``.

``_redirects`` is ``tcsite.redirects``'s, checked like content before the build writes anything.

The Content-Security-Policy allows no inline script but Material's own, by SHA-256 hash: the
hashes the build's last line of defence (``tcsite.html_rules.PageGuard``) found on the pages it
let through, where any other inline script refuses the build.
"""

from __future__ import annotations

import re
from pathlib import Path


FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
REVALIDATE = "public, max-age=0, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"


def content_security_policy(inline_hashes: list[str], script_integrities: list[str]) -> str:
    """Scripts by hash only: the theme's inline ones by content, the site's files by their
    ``integrity`` (tcsite.script_integrity); what those load themselves ('strict-dynamic')."""
    integrities = [f"'{digest}'" for digest in sorted(set(script_integrities))]
    sources = ["'strict-dynamic'", *sorted(set(inline_hashes)), *integrities]
    directives = {
        "default-src": "'self'",
        # Pagefind's search runs WebAssembly, which needs exactly 'wasm-unsafe-eval'.
        "script-src": " ".join([*sources, "'wasm-unsafe-eval'"]),
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def headers_file(csp: str, fingerprinted: list[str], extra_rules: dict[str, dict[str, str]] | None = None) -> str:
    """Cloudflare ``_headers``: every response hardened; fingerprinted assets cached."""
    rules: dict[str, dict[str, str]] = {
        "/*": {"Content-Security-Policy": csp, **SECURITY_HEADERS, "Cache-Control": REVALIDATE},
    }
    for path in fingerprinted:
        rules[path] = {"! Cache-Control": "", "Cache-Control": IMMUTABLE}
    rules.update(extra_rules or {})
    lines = []
    for pattern, headers in rules.items():
        lines.append(pattern)
        for name, value in headers.items():
            lines.append(f"  {name}" if name.startswith("!") else f"  {name}: {value}")
    return "\n".join(lines) + "\n"


def fingerprinted_assets(site_dir: Path) -> list[str]:
    return sorted(
        "/" + path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*")
        if path.is_file() and FINGERPRINTED.search(path.name)
    )

"""The one rule for the names of content files in several languages.

``about.md`` is the default language's version of a text, ``about.es.md`` its Spanish one (the
language code before the extension, as mkdocs-static-i18n's ``suffix`` layout reads it). The
default language's file may also carry its own code (``about.en.md``, as the CMS writes it), but
not both files at once. Every language version shares the *base name* (``about.md``), which is
how twins find each other; ``check``, ``status``, the loaders, the CMS configuration and the build
all ask this module, never their own pattern.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

# What a language code looks like in a file name: "es", "fr", "ast", "pt-BR", "zh_Hant".
LANGUAGE_CODE = r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?"
# A Markdown name whose last suffix looks like a language, whether the site has it or not.
_SUFFIXED_MARKDOWN = re.compile(rf"^(?P<stem>.+)\.(?P<code>{LANGUAGE_CODE})\.md$")


def split_language_suffix(name: str, codes) -> tuple[str, str | None]:
    """``"about.es.md"`` -> ``("about.md", "es")``; ``"about.md"`` -> ``("about.md", None)``.

    Only the site's own ``codes`` count as a suffix: ``report.v2.md`` is the base name itself.
    """
    stem, _, ext = name.rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in codes:
        return f"{base}.{ext}", suffix
    return name, None


def language_like_suffix(name: str) -> tuple[str, str] | None:
    """``("report", "fr")`` for ``report.fr.md``: a suffix shaped like a language code, which
    ``check`` reports when the site has no such language. None for other names."""
    match = _SUFFIXED_MARKDOWN.match(name)
    return (match["stem"], match["code"]) if match else None


def suffixed(name: str, code: str) -> str:
    """``("about.md", "es")`` -> ``"about.es.md"`` (a base name given with or without folders)."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{code}.{ext}" if dot else f"{name}.{code}"


def version_name(base: str, code: str, default: str) -> str:
    """The file name of language ``code``'s version of ``base``: the base itself for the default."""
    return base if code == default else suffixed(base, code)


def version_path(base: Path, code: str, default: str) -> Path:
    return base.with_name(version_name(base.name, code, default))


def base_path(path: Path, codes) -> Path:
    """``docs/about.es.md`` -> ``docs/about.md``: the name every version shares."""
    return path.with_name(split_language_suffix(path.name, codes)[0])


def twin_path(path: Path, code: str, codes, default: str) -> Path:
    """Where the ``code`` version of a content file lives (``x.md`` <-> ``x.es.md``).

    The default language's file is ``x.md``, or ``x.en.md`` when only that one exists.
    """
    base = base_path(path, codes)
    if code != default:
        return version_path(base, code, default)
    own = base.with_name(suffixed(base.name, code))
    return own if own.exists() and not base.exists() else base


def localized_src_uri(src_uri: str, code: str, default: str) -> str:
    """A generated page's source name in language ``code`` (``news/2019/x.es.md``), as
    static-i18n names the files of that language."""
    return str(PurePosixPath(src_uri).with_name(version_name(PurePosixPath(src_uri).name, code, default)))

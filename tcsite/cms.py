"""The editors' CMS at ``/admin/``: Decap CMS, vendored into the build, configured from the schema.

Editors who avoid git write posts, courses and pages in a browser; Decap CMS commits the same
Markdown files the command line writes (``news/<year>/<slug>.md`` and ``<slug>.es.md``…) to a
branch and opens a pull request, where ``python -m tcsite check`` and the build run as for any
change (README "Editors").

After the last language pass the build writes ``site/admin/`` (``write_admin``, called from the
plugin's ``_finish_site``):

- ``index.html``: ``noindex``, no inline script: it loads ``tcsite-cms.js`` then ``decap-cms.js``;
- ``config.yml``: generated here from ``tcsite.schema`` (``cms_config``), so the CMS offers
  exactly the fields, vocabularies, required flags and help texts that ``check`` enforces;
- Decap's bundle, copied from ``node_modules/decap-cms/dist`` as ``npm ci`` installed it from the
  committed ``package-lock.json`` (never from a CDN); the build fails, saying to run ``npm ci``,
  when it is missing or is not the locked version (``extra.cms.enabled: false`` builds without
  ``/admin/``);
- ``tcsite-cms.js`` (``tcsite/tcsite-cms.js``): adapts Decap to our file layout. Decap's
  ``multiple_files`` i18n names every language version ``x.<locale>.md``, while our English text
  is ``x.md``: the script maps ``x.en.md`` (what Decap asks for) to ``x.md`` (what is in the
  repository) in every call Decap makes to its backend, so the CMS reads and writes the files
  the rest of the project uses. It also keeps the course catalogue out of the course list, and
  stores a course's ``cost`` as a number unless it is ``free``.

Its options are set in ``mkdocs.yml`` under ``extra.cms`` (``OPTIONS`` lists them). ``/admin/``
is left out of the sitemap (written from rendered pages only) and of the search index
(``tcsite.search.EXCLUDED_FOLDERS``), and gets its own Content-Security-Policy in ``_headers``
(``headers_rules``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from tcsite.project import Project, config_root
from tcsite.schema import COURSE_FIELDS, LAYOUT_FIELDS, PAGE_FIELDS, POST_FIELDS, TRANSLATION_OF, Field, vocabulary
from tcsite.naming import split_language_suffix

log = get_plugin_logger(__name__)

ADMIN_DIR = "admin"
PACKAGE = "decap-cms"
BUNDLE = "decap-cms.js"
BRIDGE = "tcsite-cms.js"
BRIDGE_SOURCE = Path(__file__).with_name(BRIDGE)
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the checkout holding this package

# extra.cms in mkdocs.yml, with their defaults.
OPTIONS = {
    "enabled": True,  # false: build without /admin/ (logged)
    "repo": None,  # the GitHub repository, "owner/name" (required)
    "branch": "main",
    "base_url": None,  # the OAuth proxy's origin (default: the site's, from site_url)
    "auth_endpoint": "api/auth",  # path of the OAuth proxy below base_url (worker/cms-login.js)
    "auth_scope": "repo",  # what the GitHub token may do: repo, or public_repo for a public repository
    "publish_mode": "editorial_workflow",  # every change goes through a pull request
    "local_backend": True,  # `make cms`: decap-server on http://localhost:8081 (true) or {url: …}
}

# The admin's Content-Security-Policy, what Decap CMS 3.16 needs in Chromium and no more (tested:
# tests/test_cms.py, under this policy). Beyond the site's own policy: 'unsafe-eval', because Decap
# validates its configuration with AJV, which compiles schemas with new Function (without it:
# "Error loading the CMS configuration"); 'unsafe-inline' styles (emotion, CSS-in-JS); data: and
# blob: pictures and blob: fetches (previews of uploads); GitHub's API, status page and avatars.
# The OAuth proxy is a window Decap opens, which no directive governs. Turning on Decap's
# media_processing (WebP in WebAssembly) would also need 'wasm-unsafe-eval'.
ADMIN_CSP = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob: https://avatars.githubusercontent.com",
    "connect-src": "'self' blob: https://api.github.com https://www.githubstatus.com",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Text fields edited in a multi-line box rather than a one-line one.
LONG_TEXT = frozenset({"summary", "audience"})
COST_PATTERN = [r"^(free|[0-9]+(\.[0-9]+)?)$", "Write free, or the fee in US dollars as a number, e.g. 450"]
URL_PATTERN = [r"^https?://\S+$", "Write the full address, starting with https://"]
DATE_FORMAT = "YYYY-MM-DD"  # Moment.js tokens: the YAML dates (2018-05-18) the schema expects


class CmsError(PluginError):
    """The CMS cannot be built; the message says why and what to do."""


# --- options --------------------------------------------------------------------------


def options_from(extra: dict | None, site_url: str | None) -> dict:
    """``extra.cms`` from mkdocs.yml, completed with the defaults."""
    given = dict((extra or {}).get("cms") or {})
    unknown = sorted(set(given) - set(OPTIONS))
    if unknown:
        raise CmsError(f"mkdocs.yml: unknown option(s) under extra.cms: {', '.join(unknown)} "
                       f"(known: {', '.join(OPTIONS)})")
    options = {**OPTIONS, **given}
    if not options["base_url"] and site_url:
        parts = urlsplit(site_url)
        options["base_url"] = f"{parts.scheme}://{parts.netloc}"
    return options


# --- fields ---------------------------------------------------------------------------


def label_of(name: str) -> str:
    return name.replace("_", " ").capitalize().replace(" url", " address")


def options_of(vocabulary_name: str, lang: str) -> list[dict[str, str]]:
    """A vocabulary as select options: the label in the CMS's language, the slug as value."""
    return [
        {"label": labels.get(lang) or slug, "value": str(slug)}
        for slug, labels in vocabulary(vocabulary_name).items()
    ]


def widget_of(f: Field, lang: str) -> dict:
    """Decap widget settings for a schema field, from its kind and vocabulary."""
    if f.vocabulary:
        return {"widget": "select", "multiple": f.kind == "list", "options": options_of(f.vocabulary, lang)}
    if f.kind == "text":
        return {"widget": "text" if f.name in LONG_TEXT else "string"}
    if f.kind == "date":
        return {"widget": "datetime", "date_format": DATE_FORMAT, "time_format": False,
                "format": DATE_FORMAT, "picker_utc": True}
    if f.kind == "bool":
        return {"widget": "boolean"}
    if f.kind == "number":
        return {"widget": "number", "value_type": "float", "min": 0}
    if f.kind == "url":
        return {"widget": "string", "pattern": URL_PATTERN}
    if f.kind == "image":
        return {"widget": "image", "choose_url": False}
    if f.kind == "cost":
        # A string widget whose value is saved as a number unless it is "free" (tcsite-cms.js).
        return {"widget": "tcsite-cost", "pattern": COST_PATTERN}
    raise ValueError(f"no CMS widget for the {f.kind!r} field {f.name!r}")


def editable(fields: tuple[Field, ...]) -> list[Field]:
    """The fields editors fill in: not the layout's, not the translation tracking code."""
    return [f for f in fields if f.name not in LAYOUT_FIELDS and f.name != TRANSLATION_OF.name]


def field_config(f: Field, lang: str) -> dict:
    config = {"name": f.name, "label": label_of(f.name), **widget_of(f, lang), "required": f.required,
              "hint": f.help, "i18n": "duplicate" if f.shared else True}
    return config


BODY = {"name": "body", "label": "Text", "widget": "markdown", "i18n": True, "required": True,
        "modes": ["raw", "rich_text"], "sanitize_preview": True,
        "hint": "The text, in Markdown."}


def fields_config(fields: tuple[Field, ...], lang: str, body_hint: str) -> list[dict]:
    return [*(field_config(f, lang) for f in editable(fields)), {**BODY, "hint": body_hint}]


# --- collections ----------------------------------------------------------------------


def page_files(project: Project) -> list[Path]:
    """Every page of docs/ in the default language, except courses (their own collection)."""
    courses = {p.resolve() for p in project.course_files}
    found = []
    for path in project.docs_dir.rglob("*.md"):
        _, lang = split_language_suffix(path.name, project.codes)
        if (lang or project.default) == project.default and path.resolve() not in courses:
            found.append(path)
    return sorted(found, key=lambda p: project.docs_path(p))


def cms_config(project: Project, options: dict, site_url: str | None = None) -> dict:
    """The Decap CMS configuration (``admin/config.yml``), generated from ``tcsite.schema``."""
    lang = project.default
    docs = project.rel(project.docs_dir)
    news = project.rel(project.news_dir)
    pages = page_files(project)
    depth = max((len(Path(project.docs_path(p)).parts) for p in pages), default=1)
    catalogue = [f"{docs}/courses/index.md"]
    backend = {
        "name": "github",
        "repo": options["repo"],
        "branch": options["branch"],
        "base_url": options["base_url"],
        "auth_endpoint": options["auth_endpoint"],
        "auth_scope": options["auth_scope"],
        "squash_merges": True,
        "commit_messages": {
            "create": "Create {{collection}} “{{slug}}” (CMS)",
            "update": "Update {{collection}} “{{slug}}” (CMS)",
            "delete": "Delete {{collection}} “{{slug}}” (CMS)",
            "uploadMedia": "Upload “{{path}}” (CMS)",
            "deleteMedia": "Delete “{{path}}” (CMS)",
        },
    }
    config = {
        "backend": backend,
        "publish_mode": options["publish_mode"],
        "local_backend": options["local_backend"],
        "locale": lang,
        "i18n": {"structure": "multiple_files", "locales": project.codes, "default_locale": lang},
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "media_folder": f"{docs}/assets/images",
        "public_folder": "/assets/images",
        "collections": [
            {
                "name": "news",
                "label": "News posts",
                "label_singular": "News post",
                "description": "One file per post and language: news/<year>/<slug>.md and <slug>.es.md.",
                "folder": news,
                "path": "{{year}}/{{slug}}",
                "slug": "{{slug}}",
                "create": True,
                "extension": "md",
                "format": "frontmatter",
                "i18n": True,
                "media_folder": f"/{news}/images",
                "public_folder": "../images",
                "sortable_fields": ["date", "title"],
                "summary": "{{title}} ({{date}})",
                "fields": fields_config(
                    POST_FIELDS, lang,
                    "The text, in Markdown. Put `<!-- more -->` after the paragraph shown on news cards. "
                    "Link to pages as if the post were in docs/news/<year>/, e.g. `[CEDAW](../../instruments/cedaw.md)`."),
            },
            {
                "name": "courses",
                "label": "Courses",
                "label_singular": "Course",
                "description": "One file per course and language: docs/courses/<slug>.md and <slug>.es.md. "
                               "Leave out what you do not know; never guess a course fact.",
                "folder": f"{docs}/courses",
                "slug": "{{slug}}",
                "create": True,
                "extension": "md",
                "format": "frontmatter",
                "i18n": True,
                "media_folder": f"/{docs}/assets/images/courses",
                "public_folder": "../assets/images/courses",
                "sortable_fields": ["title"],
                "fields": [
                    {**f, "media_folder": f"/{docs}/assets/images/courses", "public_folder": "assets/images/courses"}
                    if f["name"] == "image" else f
                    for f in fields_config(
                        COURSE_FIELDS, lang,
                        "What learners will learn, the modules, who the course is for. "
                        "Links to pages name their Markdown file, e.g. `[CEDAW](../instruments/cedaw.md)`.")
                ],
            },
            {
                "name": "pages",
                "label": "Pages",
                "label_singular": "Page",
                "description": "The pages of the site. New pages are added by the web team "
                               "(python -m tcsite new page), with their place in the menu.",
                "folder": docs,
                # Only sets how deep Decap looks for pages; no page is created here.
                "path": "/".join(["{{dirname}}"] * (depth - 1) + ["{{slug}}"]),
                "create": False,
                "delete": False,
                "extension": "md",
                "format": "frontmatter",
                "i18n": True,
                # Pictures beside the page, linked by their name: the link works at every depth.
                "media_folder": "",
                "public_folder": "",
                "sortable_fields": ["title"],
                "fields": fields_config(
                    PAGE_FIELDS, lang,
                    "The page, in Markdown, starting with its title as '# …'. Links to other pages "
                    "name their Markdown file, relative to this page, e.g. `[CEDAW](instruments/cedaw.md)`."),
            },
        ],
        # Read by tcsite-cms.js (Decap ignores it): which files each folder collection lists.
        "tcsite": {
            "default_locale": lang,
            "locales": project.codes,
            "folders": {
                docs: {"only": [project.rel(p) for p in pages]},
                f"{docs}/courses": {"except": catalogue},
            },
        },
    }
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    return config


# --- the bundle -----------------------------------------------------------------------


def package_dir(root: Path) -> Path | None:
    """``node_modules/decap-cms`` of the project, else of the checkout holding tcsite."""
    for base in dict.fromkeys((root.resolve(), PACKAGE_ROOT)):
        folder = base / "node_modules" / PACKAGE
        if (folder / "dist" / BUNDLE).is_file():
            return folder
    return None


def locked_version(lock_file: Path) -> str | None:
    if not lock_file.is_file():
        return None
    packages = json.loads(lock_file.read_text(encoding="utf-8")).get("packages", {})
    return (packages.get(f"node_modules/{PACKAGE}") or {}).get("version")


def bundle_files(root: Path) -> list[Path]:
    """Decap's runtime files (the bundle, its lazily loaded chunks, WebAssembly, licence)."""
    folder = package_dir(root)
    if folder is None:
        raise CmsError(
            f"The CMS at /admin/ needs Decap CMS from node_modules/{PACKAGE}, which is missing. "
            f"Run `npm ci` in {root} (it installs the versions pinned in package-lock.json), "
            "or set `extra: cms: enabled: false` in mkdocs.yml to build the site without /admin/."
        )
    installed = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    locked = locked_version(folder.parent.parent / "package-lock.json")
    if locked and installed != locked:
        raise CmsError(
            f"node_modules/{PACKAGE} is version {installed} but package-lock.json pins {locked}: "
            f"run `npm ci` in {folder.parent.parent}."
        )
    dist = folder / "dist"
    return sorted(
        path for path in dist.iterdir()
        if path.is_file() and not path.name.endswith(".map")
        and (path.name.startswith(BUNDLE) or path.name.endswith(f".{BUNDLE}") or path.suffix == ".wasm")
    )


# --- the admin folder -----------------------------------------------------------------


INDEX_HTML = """<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Content manager · {site_name}</title>
  <link rel="icon" href="../assets/images/favicon.svg" type="image/svg+xml">
</head>
<body>
  <script src="{bridge}"></script>
  <script src="{bundle}"></script>
</body>
</html>
"""


def copy_if_changed(source: Path, target: Path) -> None:
    """Decap's bundle is megabytes: `make serve` copies it again only when it changed."""
    try:
        copied, original = target.stat(), source.stat()
        if (copied.st_size, copied.st_mtime_ns) == (original.st_size, original.st_mtime_ns):
            return
    except OSError:
        pass  # not copied yet
    shutil.copy2(source, target)


def write_admin(site_dir: Path, config, site_name: str) -> Path | None:
    """Write ``site/admin/`` for the built site (MkDocs ``config``); None when turned off.

    ``site_name`` is the default language's: the page is in that language, and ``config`` is the
    last language pass's by now."""
    options = options_from(config.extra, config.site_url)
    if not options["enabled"]:
        log.info("The CMS is turned off (extra.cms.enabled: false in mkdocs.yml): no /admin/.")
        return None
    if not options["repo"] or "/" not in str(options["repo"]):
        raise CmsError("mkdocs.yml: set extra.cms.repo to the GitHub repository the CMS commits to "
                       "(owner/name), or extra.cms.enabled: false to build without /admin/.")
    project = Project.load(config_root(config))
    files = bundle_files(project.root)
    admin = Path(site_dir) / ADMIN_DIR
    admin.mkdir(parents=True, exist_ok=True)
    for path in files:
        copy_if_changed(path, admin / path.name)
    copy_if_changed(BRIDGE_SOURCE, admin / BRIDGE)
    settings = cms_config(project, options, config.site_url)
    (admin / "config.yml").write_text(
        "# Generated by the build from tcsite/schema.py (tcsite/cms.py): do not edit.\n"
        + yaml.dump(settings, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    (admin / "index.html").write_text(
        INDEX_HTML.format(lang=escape(project.default), site_name=escape(site_name), bridge=BRIDGE, bundle=BUNDLE),
        encoding="utf-8",
    )
    return admin


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # no &id001 anchors: every value written out
        return True


def headers_rules(site_dir: Path) -> dict[str, dict[str, str]]:
    """``_headers`` rules for ``/admin/*`` (none when the admin was not built).

    Cloudflare applies every matching rule and joins repeated headers with commas, so the
    site-wide policy and opener policy of ``/*`` are detached (``! Name``) before the admin's own
    are set. The opener policy lets the GitHub login window report back to the CMS.
    """
    if not (Path(site_dir) / ADMIN_DIR / "index.html").is_file():
        return {}
    return {
        f"/{ADMIN_DIR}/*": {
            "! Content-Security-Policy": "",
            "! Cross-Origin-Opener-Policy": "",
            "Content-Security-Policy": admin_csp(),
            "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
            "X-Robots-Tag": "noindex",
        }
    }


def admin_csp() -> str:
    return "; ".join(f"{name} {value}" for name, value in ADMIN_CSP.items())

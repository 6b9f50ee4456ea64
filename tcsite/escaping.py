"""Content reaches readers as text: every template of the site escapes what it prints.

MkDocs' Jinja environment has no autoescape, and Material's templates print page titles, the
site name and navigation labels as they are, so a ``<`` in a title became markup. Here escaping
is switched on for every template of the theme, Material's and ours, so that no template has to
remember ``| e``. What is HTML on purpose is marked as such once, where it is made:

- the body of a page, from the site's own Markdown pipeline (judged by ``check`` and by the
  build's last scan of every page);
- the table of contents and the title MkDocs takes from a page's first heading, which Markdown
  has already escaped;
- JSON-LD, escaped for a ``<script>`` element by ``tcsite.seo.json_ld_script``.

Material's translation tables stay unescaped: their strings are trusted and flow into JSON (the
``__config`` block) as well as into HTML, printed as they are (Jinja counts a macro's output as
safe where autoescaping is on). Labels of ours that take the place of Material's strings are
escaped before they enter the table (``tcsite.theme.material_words``).
"""

from __future__ import annotations

from markupsafe import Markup

# Material's translation tables (partials/language.html and partials/languages/<code>.html).
TRUSTED_TEMPLATE_PREFIXES = ("partials/language.html", "partials/languages/")


def autoescape(template_name: str | None) -> bool:
    return not (template_name or "").startswith(TRUSTED_TEMPLATE_PREFIXES)


def escaping(env):
    """The theme's Jinja environment with escaping on by default."""
    env.autoescape = autoescape
    return env


def theme_environment(config):
    """A new Jinja environment of the theme, escaping by default (outside MkDocs' own render)."""
    return escaping(config.theme.get_env())


def trusted_html(html: str | None) -> Markup:
    """HTML the site made itself (Markdown output, JSON-LD): printed as it is."""
    return Markup(html or "")


def mark_headings_html(page) -> None:
    """Once MkDocs has rendered a page, before any template runs (the navigation of every page
    prints the titles of all the others): its table of contents and heading title are HTML."""
    for link in _anchor_links(page.toc):
        link.title = trusted_html(link.title)
    from_heading = getattr(page, "_title_from_render", None)
    if from_heading and "title" not in vars(page) and "title" not in page.meta:
        page.title = trusted_html(from_heading)


def mark_body_html(page) -> None:
    """Just before the page's template runs (plugins may still edit the body as text before)."""
    page.content = trusted_html(page.content)


def _anchor_links(links):
    for link in links:
        yield link
        yield from _anchor_links(link.children)


def plain_text(value) -> str:
    """A title as text, whether MkDocs holds it as text or as escaped HTML."""
    if isinstance(value, Markup):
        return value.unescape()
    return "" if value is None else str(value)

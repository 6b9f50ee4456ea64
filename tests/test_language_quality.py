"""Each language reads as itself: every built page in every language, as a reader meets it.

One build of the site (its real content, plus a post whose excerpt holds a link and a picture)
is walked page by page: no interface string of another language in any text or attribute a
person meets, no tú in Spanish, no repeated <title>; the 404 pages' switchers, the home page's
share title, the mission worded once per language, the site's policies in every footer, and the
excerpt's link and picture working wherever a card shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import material
import yaml
from babel import Locale
from bs4 import BeautifulSoup, Comment, Doctype
from PIL import Image

from tcsite import cards
from tcsite.locales import direction, plural_texts
from tests.conftest import ROOT, build_site, copy_project

# Interface strings of each language that must not appear on another language's pages: Material
# for MkDocs' own labels (its partials/languages/<code>.html, including those we word
# differently) and the few the site's configuration gives. Our own labels (data/labels.yml) are
# added below. A string shared by two languages is never "foreign".
INTERFACE = {
    "en": [
        "Skip to content", "Switch to dark mode", "Switch to light mode", "Permanent link",
        "Back to top", "Table of contents", "Select language", "Type to start searching",
        "Initializing search", "No matching documents", "matching documents", "Clear",
        "Header", "Navigation", "Footer", "Tabs", "Previous", "Next", "Search", "Search results",
        "Copy to clipboard", "logo", "Home", "Read this post in", "Other language",
        "English", "Spanish",
    ],
    "es": [
        "Saltar a contenido", "Ir al contenido", "Cambiar al modo oscuro", "Cambiar al modo claro",
        "Enlace permanente", "Volver al principio", "Tabla de contenidos", "Seleccionar idioma",
        "Teclee para comenzar búsqueda", "Escriba para empezar a buscar", "Inicializando búsqueda",
        "No se encontraron documentos", "documentos encontrados", "Limpiar", "Cabecera", "Navegación",
        "Pie de página", "Pestañas", "Anterior", "Siguiente", "Buscar", "Búsqueda",
        "Resultados de búsqueda", "Copiar al portapapeles", "Inicio", "Lea esta noticia",
        "Lee esta noticia", "Otro idioma", "inglés", "español",
    ],
}

# Spanish in the familiar register (tú), never used on the site (usted). Only forms that cannot
# be read otherwise: "Sigue las recomendaciones" is a third person, "Sigue la conversación" an
# imperative, so imperatives are listed as the phrases they appeared in.
TU_FORMS = re.compile(
    r"\b(?:tú|tu|tus|te|ti|contigo|puedes|tienes|quieres|deseas|sabes|necesitas|buscas|encuentras|"
    r"suscríbete|únete|inscríbete|regístrate|apúntate|infórmate|entérate|fórmate|"
    r"Sigue la conversación|Lee esta noticia|Vuelve a intentarlo|Descubre|Explora|Teclea)\b"
)

# Attributes whose text a person meets (read aloud, shown as a tooltip or as text by a script).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "placeholder")
READ_ATTRIBUTE_PREFIXES = ("data-text-", "data-count-")
READ_META = ("description", "og:title", "og:description", "og:image:alt", "og:site_name",
             "twitter:title", "twitter:description", "twitter:image:alt")
NOT_READ = ("script", "style", "template", "code", "pre")

# The mission: how it starts in each language (the rest must be worded the same everywhere).
MISSION_START = {"en": "the UN and other stakeholders", "es": "a las Naciones Unidas y a otras partes interesadas"}

EXCERPT_POST = """---
title: {title}
date: 2021-03-08
summary: {summary}
categories: [cedaw]
---

{first} [{link}](../../instruments/cedaw.md) ![{alt}](excerpt-figure.png)

<!-- more -->

## {heading}

{rest}
"""


def mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # MkDocs' !ENV and friends
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def site_languages() -> list[dict]:
    """The languages of mkdocs.yml (static-i18n), each with its URL prefix and site name."""
    config = mkdocs_config()
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    return [
        {"code": lang["locale"], "prefix": "" if lang.get("default") else lang["locale"] + "/",
         "site_name": lang.get("site_name", config["site_name"]),
         "description": " ".join(lang.get("site_description", config["site_description"]).split())}
        for lang in i18n["languages"] if lang.get("build", True)
    ]


LANGUAGES = site_languages()
CODES = [lang["code"] for lang in LANGUAGES]
# The post of the excerpt tests, in the languages it is written in here (any other language of
# the site shows its "only available in" notice instead).
EXCERPT_TEXTS = {
    "en": dict(title="Excerpt with a link", summary="A post whose excerpt links to the CEDAW page.",
               first="Its excerpt links to", link="the CEDAW page", alt="A blue rectangle",
               heading="After the excerpt", rest="The rest of the post."),
    "es": dict(title="Extracto con un enlace", summary="Una noticia cuyo extracto enlaza con la página de la CEDAW.",
               first="Su extracto enlaza con", link="la página de la CEDAW", alt="Un rectángulo azul",
               heading="Después del extracto", rest="El resto de la noticia."),
}
EXCERPT_LANGUAGES = [lang for lang in LANGUAGES if lang["code"] in EXCERPT_TEXTS]
LABELS = yaml.safe_load((ROOT / "data" / "labels.yml").read_text(encoding="utf-8"))


def material_strings(code: str) -> set[str]:
    """Material's own strings in a language (its partials/languages/<code>.html), for a language
    the list above does not give."""
    table = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{code}.html"
    if not table.is_file():
        return set()
    return {value for key, value in re.findall(r'"([^"]+)": "([^"]*)"', table.read_text(encoding="utf-8"))
            if key not in ("language", "direction") and len(value) > 3}


def interface_strings(code: str) -> set[str]:
    """A language's interface strings: the list above (or Material's own) and our labels (the
    literal parts of those with a {placeholder}, every plural form of those that have several)."""
    found = set(INTERFACE[code]) if code in INTERFACE else material_strings(code)
    for texts in LABELS.values():
        for part in (p for text in plural_texts(texts[code]).values() for p in re.split(r"\{[^}]*\}", text)):
            part = part.strip(" :·")
            if len(part) > 3:
                found.add(part)
    return found


def foreign_strings(code: str) -> list[str]:
    own = interface_strings(code)
    return sorted({s for other in CODES if other != code for s in interface_strings(other)} - own)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The site, plus one post (in every language) whose excerpt links to a page and shows a
    picture kept beside the post."""
    project = copy_project(tmp_path_factory.mktemp("language-project"))
    folder = project / "news" / "2021"
    folder.mkdir()
    Image.new("RGB", (1000, 500), (0, 90, 140)).save(folder / "excerpt-figure.png")
    for lang in EXCERPT_LANGUAGES:
        name = "excerpt-links.md" if not lang["prefix"] else f"excerpt-links.{lang['code']}.md"
        (folder / name).write_text(EXCERPT_POST.format(**EXCERPT_TEXTS[lang["code"]]), encoding="utf-8")
    site_dir = tmp_path_factory.mktemp("language-site")
    result = build_site(project, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def html_pages(site: Path) -> list[Path]:
    """Every page a reader can reach (not the editors' CMS, not Pagefind's files)."""
    return [p for p in sorted(site.rglob("*.html"))
            if p.relative_to(site).parts[0] not in ("admin", "pagefind")]


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@dataclass
class Text:
    lang: str
    where: str
    text: str


def language_of(element, default: str) -> str:
    for node in [element, *element.parents]:
        if getattr(node, "attrs", None) and node.get("lang"):
            return node["lang"]
    return default


def read_texts(soup: BeautifulSoup, page_lang: str):
    """Every text a person meets on a page, with the language it is marked as. A page shown in
    another language's text (a language in progress) has its title in that language: the
    <title> and the share tags, which cannot be marked, count as written in it."""
    stand_in = soup.select_one(".tc-untranslated-text[lang]")
    title_lang = stand_in["lang"] if stand_in else page_lang
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or not node.strip():
            continue
        if any(parent.name in NOT_READ for parent in node.parents):
            continue
        lang = title_lang if node.parent.name == "title" else language_of(node.parent, page_lang)
        yield Text(lang, f"<{node.parent.name}>", " ".join(node.split()))
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            if name in READ_ATTRIBUTES or name.startswith(READ_ATTRIBUTE_PREFIXES):
                yield Text(language_of(element, page_lang), f"<{element.name} {name}>", " ".join(str(value).split()))
        if element.name == "meta" and (element.get("name") or element.get("property")) in READ_META:
            yield Text(title_lang, f"<meta {element.get('name') or element.get('property')}>",
                       " ".join(element.get("content", "").split()))


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def feed_texts(feed: Path):
    """The texts of a feed (RSS or Atom), and of the HTML of its entries, in its language."""
    root = ET.parse(feed).getroot()
    language = next((e.text for e in root.iter() if e.tag == "language"), None) or root.get(XML_LANG, "")
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name not in ("title", "description", "summary", "content", "encoded", "subtitle") or not element.text:
            continue
        if "<" in element.text:
            yield from read_texts(BeautifulSoup(element.text, "html.parser"), language)
        else:
            yield Text(language, f"<{name}>", " ".join(element.text.split()))


def phrase(text: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


FOREIGN = {code: [(s, phrase(s)) for s in foreign_strings(code)] for code in CODES}


def language_problems(texts, file: str) -> list[str]:
    problems = []
    for text in texts:
        code = text.lang.split("-")[0]
        for string, pattern in FOREIGN.get(code, []):
            if pattern.search(text.text):
                problems.append(f"{file}: {text.where} in {code} says {string!r}: {text.text[:100]!r}")
        if code == "es":
            for match in TU_FORMS.finditer(text.text):
                problems.append(f"{file}: {text.where} uses tú ({match.group(0)!r}): {text.text[:100]!r}")
    return problems


def test_every_page_speaks_one_language_in_every_text_and_attribute(built):
    pages = html_pages(built)
    assert {soup_of(p).html["lang"] for p in pages} == set(CODES)
    problems = []
    for page in pages:
        soup = soup_of(page)
        problems += language_problems(read_texts(soup, soup.html["lang"]), page.relative_to(built).as_posix())
    for feed in sorted(built.rglob("*.xml")):
        if feed.name in ("rss.xml", "atom.xml"):
            problems += language_problems(feed_texts(feed), feed.relative_to(built).as_posix())
    assert not problems, f"{len(problems)} text(s) in the wrong language or register:\n" + "\n".join(problems)


def test_the_walk_sees_a_string_of_the_other_language():
    """The check above is seen to fail: Material's own English and a tú form."""
    page = BeautifulSoup('<html lang="es"><body><a title="Permanent link">¶</a><p>Sigue la conversación.</p>'
                         '<p lang="en">Skip to content</p><input placeholder="Switch to dark mode"></body></html>',
                         "html.parser")
    problems = language_problems(read_texts(page, "es"), "x.html")
    assert len(problems) == 3, problems
    assert any("'Permanent link'" in p for p in problems) and any("tú" in p for p in problems)


def test_no_title_repeats_itself_and_every_title_ends_with_the_site_name(built):
    problems = []
    for page in html_pages(built):
        soup = soup_of(page)
        title = soup.title.get_text(strip=True)
        site_name = next(lang["site_name"] for lang in LANGUAGES if lang["code"] == soup.html["lang"])
        parts = [part.strip() for part in title.split(" · ")]
        # A post may be about the Centre ("… for the UN Women Training Centre"); its name as a
        # part of the title comes once, last.
        if parts[-1] != site_name or site_name in parts[:-1] or len(parts) != len(set(parts)):
            problems.append(f"{page.relative_to(built)}: <title>{title}</title>")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES, ids=CODES)
def test_the_home_page_is_shared_under_the_site_name(built, lang):
    home = soup_of(built / lang["prefix"] / "index.html")
    assert home.title.get_text(strip=True) == lang["site_name"]
    for prop in ("og:title", "og:image:alt", "twitter:title"):
        meta = home.select_one(f'meta[property="{prop}"], meta[name="{prop}"]')
        assert meta["content"] == lang["site_name"], prop


@pytest.mark.parametrize("lang", LANGUAGES, ids=CODES)
def test_a_404_page_is_titled_not_found_and_its_switcher_leads_to_each_home(built, lang):
    page = soup_of(built / lang["prefix"] / "404.html")
    assert page.title.get_text(strip=True) == f"{LABELS['page_not_found'][lang['code']]} · {lang['site_name']}"
    switcher = {a["hreflang"]: urlsplit(a["href"]).path for a in page.select("a.md-select__link")}
    # Served at any address: site-rooted links, to the home page of each language.
    assert switcher == {other["code"]: "/" + other["prefix"] for other in LANGUAGES}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang["code"] in MISSION_START],
                         ids=lambda lang: lang["code"])
def test_the_mission_is_worded_once_on_home_about_and_in_the_site_description(built, lang):
    start = MISSION_START[lang["code"]]

    def mission(path: str) -> str:
        heading = soup_of(built / lang["prefix"] / path / "index.html").select_one("article h2")
        text = " ".join(heading.find_next("p").get_text().split())
        return text[text.index(start):]

    assert mission("") == mission("about") == lang["description"][lang["description"].index(start):]


def test_every_footer_links_to_the_policies_in_the_page_language(built):
    problems = []
    for page in html_pages(built):
        soup = soup_of(page)
        prefix = next(lang["prefix"] for lang in LANGUAGES if lang["code"] == soup.html["lang"])
        here = "/" + page.relative_to(built).as_posix()
        links = {urljoin(here, a["href"]) for a in soup.select(".md-copyright a")}
        for policy in ("accessibility/", "privacy/"):
            target = "/" + prefix + policy
            if target not in links or not (built / target.lstrip("/") / "index.html").is_file():
                problems.append(f"{here}: no working link to {target}")
    assert not problems, "\n".join(problems)


POST_VERSIONS = [lang for lang in LANGUAGES if (ROOT / "news" / "2019" / (
    "cedaw-40th-anniversary.md" if not lang["prefix"] else f"cedaw-40th-anniversary.{lang['code']}.md")).is_file()]


@pytest.mark.parametrize("lang", POST_VERSIONS, ids=lambda lang: lang["code"])
def test_a_post_names_its_other_languages_in_the_readers_language(built, lang):
    post = soup_of(built / lang["prefix"] / "news/2019/cedaw-40th-anniversary/index.html")
    links = post.select(".tc-other-language a")
    assert [link["hreflang"] for link in links] == [other["code"] for other in POST_VERSIONS if other is not lang]
    for link in links:
        # "Read this post in Spanish", "Lea esta noticia en inglés": the language named by CLDR.
        name = Locale.parse(lang["code"]).languages[link["hreflang"]]
        assert link.get_text(strip=True) == LABELS["other_language_version"][lang["code"]].format(language=name)
        assert link.get("lang", lang["code"]) == lang["code"]
    if lang["code"] == "es":
        assert links[0].get_text(strip=True) == "Lea esta noticia en inglés"


def test_no_photo_credit_without_a_photo(built):
    for lang in [l for l in LANGUAGES if (ROOT / "news" / "2018" / ("annual-report-2017-growth.md" if not l["prefix"]
                                          else f"annual-report-2017-growth.{l['code']}.md")).is_file()]:
        post = soup_of(built / lang["prefix"] / "news/2018/annual-report-2017-growth/index.html")
        assert not post.select(".tc-post img, figcaption")
        credit = LABELS["photo_credit"][lang["code"]].split("{")[0].strip()
        assert credit not in post.select_one(".tc-post").get_text(" ")


def test_spanish_pages_link_to_the_spanish_version_of_un_pages_and_mark_english_ones(built):
    english_only = ("https://www.un.org/womenwatch/", "https://www.w3.org/TR/", "https://github.com/",
                    "https://validator.github.io/")
    has_spanish = ("https://sdgs.un.org/", "https://www.unwomen.org/en")
    problems = []
    for page in html_pages(built):
        soup = soup_of(page)
        if soup.html["lang"] != "es":
            continue
        for link in soup.select("a[href^='http']"):
            href = link["href"]
            if href.startswith(has_spanish) or href.rstrip("/") == "https://www.unwomen.org":
                problems.append(f"{page.relative_to(built)}: {href} has a Spanish version")
            if href.startswith(english_only) and link.get("hreflang") != "en":
                problems.append(f"{page.relative_to(built)}: {href} (in English) lacks hreflang=\"en\"")
    assert not problems, "\n".join(problems)


EXCERPT_PAGES = ("news/", "news/archive/2021/", "news/category/cedaw/", "")


@pytest.mark.parametrize("lang", EXCERPT_LANGUAGES, ids=lambda lang: lang["code"])
@pytest.mark.parametrize("listing", EXCERPT_PAGES, ids=["index", "archive", "category", "home"])
def test_an_excerpts_link_and_picture_work_wherever_its_card_is_shown(built, lang, listing):
    here = "/" + lang["prefix"] + listing
    page = soup_of(built / here.lstrip("/") / "index.html")
    card = next(c for c in page.select(".tc-card") if c.select_one(".tc-card__excerpt a[href*='cedaw']"))
    excerpt = card.select_one(".tc-card__excerpt")
    link = urljoin(here, excerpt.select_one("a")["href"])
    assert link == "/" + lang["prefix"] + "instruments/cedaw/"
    assert (built / link.lstrip("/") / "index.html").is_file()
    picture = urljoin(here, excerpt.select_one("img")["src"])
    assert "/assets/pictures/excerpt-figure-" in picture and (built / picture.lstrip("/")).is_file(), picture
    # Cards carry the feeds' plain <img>; any srcset must resolve from the listing page too.
    for candidate in [c.split()[0] for tag in excerpt.select("[srcset]") for c in tag["srcset"].split(",")]:
        assert (built / urljoin(here, candidate).lstrip("/")).is_file(), candidate
    # Only the excerpt: nothing after <!-- more -->, no anchors of the post's own page.
    assert not excerpt.select("h2, [id], a.headerlink")


@pytest.mark.parametrize("lang", LANGUAGES, ids=CODES)
def test_the_home_pages_share_card_names_the_site_once(built, lang):
    home = soup_of(built / lang["prefix"] / "index.html")
    image = urlsplit(home.select_one('meta[property="og:image"]')["content"]).path.lstrip("/")
    caption = LABELS["part_of_un_women"][lang["code"]]
    written = dict(lang=lang["code"], direction=direction(lang["code"]))
    expected = cards.draw(cards.Card(title=lang["site_name"], section=caption, site_name=lang["site_name"], **written))
    name_once = cards.draw(cards.Card(title=lang["site_name"], section=caption, site_name="", **written))
    with Image.open(built / image) as card:
        assert card.convert("RGB").tobytes() == expected.tobytes() == name_once.tobytes()

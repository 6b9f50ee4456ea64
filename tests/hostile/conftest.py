"""A copy of the site in which every field an editor controls is hostile, built once per session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tests.conftest import ROOT, build_site, copy_project

# Each payload tries to leave its context: close an attribute or an element, add a script, an
# event handler, a redirect, a made-up element; "&amp;" must read back as written, never decoded.
MARKUP = ('"><script src="/news/2021/a.js"></script><tc-injected></tc-injected>'
          '<img src=x onerror=alert(1)><meta http-equiv="refresh" content="0;url=https://evil.example/">')
TITLE = "Women & girls: 'quotes' \"double\" &amp; " + MARKUP
SUMMARY = "Summary \" onmouseover=\"alert(1)\" <b>bold</b> & co"
AUTHOR = "Author </p><script>alert(1)</script>"
IMAGE_ALT = 'Alt text" onerror="alert(1)'
IMAGE_CREDIT = "UN Women/<i>Photographer</i> & co"
PAGE_TITLE = "About <script>alert(1)</script> & us"
PAGE_SUMMARY = 'About "us"><meta http-equiv="refresh" content="0">'
COURSE_TITLE = "Course <tc-injected>x</tc-injected> & more"
CATEGORY_LABEL = "CEDAW </a><script>alert(1)</script>"
LABEL = "All news <tc-injected></tc-injected> &"
# Labels the theme prints through Material's translation table and mkdocs.yml's single strings.
THEME_LABEL = 'Skip "to" <tc-injected></tc-injected> & content'
THEME_LABELS = ("material.action.skip", "palette_switch_to_slate", "permalink_title")
HASHTAG = 'Tag"><script>alert(1)</script>'
SITE_NAME = "Women & Girls <Training> Centre"

POST_URL = "news/2021/hostile-post/"


def write_front_matter(path: Path, meta: dict, body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


def replace_front_matter(path: Path, **fields) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = {**yaml.safe_load(front), **fields}
    write_front_matter(path, meta, body.strip())


def set_in_yaml(path: Path, update) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    update(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # Decap CMS, for /admin/
    shutil.copy2(ROOT / "package-lock.json", project / "package-lock.json")
    post = project / "news" / "2021" / "hostile-post.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 800), "#0a5e8c").save(post.with_name("hostile.png"))
    meta = {"title": TITLE, "date": "2021-03-08", "summary": SUMMARY, "categories": ["cedaw"],
            "author": AUTHOR, "image": "hostile.png", "image_alt": IMAGE_ALT, "image_credit": IMAGE_CREDIT}
    write_front_matter(post, meta, "The text of the post.\n\n<!-- more -->\n\nMore text.")
    post.write_text(post.read_text(encoding="utf-8").replace("date: '2021-03-08'", "date: 2021-03-08"),
                     encoding="utf-8")
    for name in ("about.md", "about.es.md"):
        replace_front_matter(project / "docs" / name, title=PAGE_TITLE, summary=PAGE_SUMMARY)
    replace_front_matter(project / "docs" / "courses" / "i-know-gender.md", title=COURSE_TITLE,
                         summary=SUMMARY, audience=AUTHOR)
    set_in_yaml(project / "data" / "categories.yml", lambda d: d["cedaw"].update(en=CATEGORY_LABEL))
    set_in_yaml(project / "data" / "labels.yml", lambda d: d["all_news"].update(en=LABEL))
    set_in_yaml(project / "data" / "labels.yml", lambda d: [d[key].update(en=THEME_LABEL) for key in THEME_LABELS])

    mkdocs_yml = project / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    text = text.replace("site_name: UN Women Training Centre", f"site_name: {json.dumps(SITE_NAME)}")
    text = text.replace("hashtag: UNWomenTC", f"hashtag: {json.dumps(HASHTAG)}")
    mkdocs_yml.write_text(text, encoding="utf-8")
    site = tmp_path_factory.mktemp("hostile-site")
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    return site



"""The editors' CMS at /admin/ (tcsite/cms.py, tcsite/tcsite-cms.js): Decap CMS vendored into the
build, configured from the schema, writing the same files and passing the same checks.

- the configuration the build writes says, field by field, what tcsite/schema.py says;
- the admin page: noindex, no inline script, the bundle from node_modules as locked, kept out of
  the sitemap and the search index, its own Content-Security-Policy on the CDN;
- tcsite-cms.js maps Decap's x.en.md to our x.md, in every backend call (run with Node);
- end to end in Chromium, against decap-server (the local backend) on loopback: an editor writes
  a post in English and Spanish, saves, and the files pass `check` and build in both languages;
  a post without a required field is refused (the GitHub login: tests/test_cms_login.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from PIL import Image
from playwright.sync_api import expect

from tcsite import cms, search
from tcsite.html_rules import inline_script_hashes
from tcsite.content import read_document
from tcsite.project import Project
from tcsite.schema import COURSE_FIELDS, LAYOUT_FIELDS, PAGE_FIELDS, POST_FIELDS, TRANSLATION_OF, vocabulary
from tests.conftest import ROOT, build_site, copy_project, free_port

DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
SCHEMAS_BY_COLLECTION = {"news": POST_FIELDS, "courses": COURSE_FIELDS, "pages": PAGE_FIELDS}
KIND_WIDGETS = {"date": "datetime", "bool": "boolean", "number": "number", "url": "string",
                "image": "image", "cost": "tcsite-cost"}


def admin_config(site: Path) -> dict:
    return yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))


# --- the configuration, from the schema -------------------------------------------------------


@pytest.mark.parametrize("collection", SCHEMAS_BY_COLLECTION)
def test_every_schema_field_is_in_the_cms_as_the_schema_defines_it(site, collection):
    config = next(c for c in admin_config(site)["collections"] if c["name"] == collection)
    fields = {f["name"]: f for f in config["fields"]}
    schema = SCHEMAS_BY_COLLECTION[collection]
    editable = [f for f in schema if f.name not in LAYOUT_FIELDS and f is not TRANSLATION_OF]
    assert list(fields) == [f.name for f in editable] + ["body"]
    for f in editable:
        field = fields[f.name]
        assert field["required"] is f.required, f.name
        assert field["hint"] == f.help, f.name
        assert field["i18n"] == ("duplicate" if f.shared else True), f.name
        if f.vocabulary:
            labels = vocabulary(f.vocabulary)
            assert field["widget"] == "select" and field["multiple"] is (f.kind == "list"), f.name
            assert field["options"] == [{"label": labels[slug]["en"], "value": slug} for slug in labels], f.name
        elif f.kind == "text":
            assert field["widget"] in ("string", "text"), f.name
        else:
            assert field["widget"] == KIND_WIDGETS[f.kind], f.name
        if f.kind == "date":
            assert (field["format"], field["date_format"], field["time_format"]) == ("YYYY-MM-DD", "YYYY-MM-DD", False)
        if f.kind == "url":
            assert re.match(field["pattern"][0], "https://trainingcentre.unwomen.org/")
            assert not re.match(field["pattern"][0], "trainingcentre.unwomen.org")
    assert fields["body"]["widget"] == "markdown" and fields["body"]["i18n"] is True
    # The layout's fields and the translation code are never editable in the CMS.
    assert not {"template", "hide", "search", "translation_of"} & set(fields)
    assert config["i18n"] is True and config["extension"] == "md" and config["format"] == "frontmatter"


def test_the_cms_configuration_describes_the_site(site):
    config = admin_config(site)
    project = Project.load(ROOT)
    assert config == cms.cms_config(project, cms.options_from(project.config.get("extra"), project.config["site_url"]),
                                    project.config["site_url"])
    assert config["i18n"] == {"structure": "multiple_files", "locales": project.codes, "default_locale": project.default}
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["repo"] == project.config["extra"]["cms"]["repo"]
    assert config["backend"]["base_url"] == "https://trainingcentre.example.org"
    assert config["backend"]["auth_endpoint"] == "api/auth"
    assert config["local_backend"] is True
    collections = {c["name"]: c for c in config["collections"]}
    news, courses, pages = collections["news"], collections["courses"], collections["pages"]
    assert (news["folder"], news["path"], news["create"]) == ("news", "{{year}}/{{slug}}", True)
    assert courses["folder"] == "docs/courses" and courses["create"] is True
    assert pages["folder"] == "docs" and pages["create"] is False and pages["delete"] is False
    # Pictures go where check and the build look for them.
    assert (news["media_folder"], news["public_folder"]) == ("/news/images", "../images")
    image = next(f for f in courses["fields"] if f["name"] == "image")
    assert image["public_folder"] == "assets/images/courses"
    # What tcsite-cms.js lists: pages (not courses), courses (not the catalogue).
    folders = config["tcsite"]["folders"]
    assert "docs/about.md" in folders["docs"]["only"] and "docs/instruments/cedaw.md" in folders["docs"]["only"]
    assert not [p for p in folders["docs"]["only"] if p.startswith("docs/courses/") and p != "docs/courses/index.md"]
    assert folders["docs/courses"] == {"except": ["docs/courses/index.md"]}


# --- the admin page in the built site ---------------------------------------------------------


def test_the_admin_page_is_built_from_the_locked_bundle(site):
    admin = site / "admin"
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert re.findall(r'<script src="([^"]+)"></script>', html) == ["tcsite-cms.js", "decap-cms.js"]
    assert inline_script_hashes(html) == [] and "<script>" not in html
    dist = ROOT / "node_modules" / "decap-cms" / "dist"
    assert (admin / "decap-cms.js").read_bytes() == (dist / "decap-cms.js").read_bytes()
    chunks = {p.name for p in dist.glob("*.decap-cms.js")}
    assert chunks and chunks <= {p.name for p in admin.iterdir()}, "Decap loads these chunks lazily"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/decap-cms"]["version"] == "3.16.3"
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["decap-cms"] == "3.16.3"
    assert not list(admin.glob("*.map"))


def test_the_admin_is_neither_in_the_sitemap_nor_in_the_search_index(site):
    assert "/admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")  # written from rendered pages
    assert cms.ADMIN_DIR in search.EXCLUDED_FOLDERS  # tests/test_search.py checks what Pagefind skips
    assert not (site / "es" / "admin").exists()


def test_the_admin_gets_its_own_headers_rule(site):
    headers = (site / "_headers").read_text(encoding="utf-8")
    rule = headers.split("/admin/*\n", 1)[1]
    lines = [line.strip() for line in rule.splitlines() if line.startswith("  ")]
    assert lines[:2] == ["! Content-Security-Policy", "! Cross-Origin-Opener-Policy"]
    assert f"Content-Security-Policy: {cms.admin_csp()}" in lines
    assert "Cross-Origin-Opener-Policy: same-origin-allow-popups" in lines
    assert "X-Robots-Tag: noindex" in lines


def test_a_missing_bundle_stops_the_build_saying_to_run_npm_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(cms, "PACKAGE_ROOT", tmp_path / "elsewhere")
    with pytest.raises(cms.CmsError, match=r"Run `npm ci` in .*package-lock.json.*enabled: false"):
        cms.bundle_files(tmp_path)


def test_a_bundle_other_than_the_locked_one_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(cms, "PACKAGE_ROOT", tmp_path / "elsewhere")
    package = tmp_path / "node_modules" / "decap-cms"
    (package / "dist").mkdir(parents=True)
    (package / "dist" / "decap-cms.js").write_text("", encoding="utf-8")
    (package / "package.json").write_text('{"version": "3.0.0"}', encoding="utf-8")
    (tmp_path / "package-lock.json").write_text(
        json.dumps({"packages": {"node_modules/decap-cms": {"version": "3.16.3"}}}), encoding="utf-8")
    with pytest.raises(cms.CmsError, match=r"3\.0\.0 but package-lock.json pins 3\.16\.3: run `npm ci`"):
        cms.bundle_files(tmp_path)


def test_the_site_builds_without_the_admin_when_mkdocs_yml_says_so(project_copy, tmp_path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  cms:\n", "  cms:\n    enabled: false\n", 1),
                      encoding="utf-8")
    result = build_site(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "The CMS is turned off" in result.stderr
    assert not (tmp_path / "site" / "admin").exists()
    assert "/admin/*" not in (tmp_path / "site" / "_headers").read_text(encoding="utf-8")


# --- x.md and x.en.md -------------------------------------------------------------------------


def test_english_files_may_be_named_x_en_md_but_not_both_ways(project_copy, tmp_path):
    renamed = ["news/2020/beijing-25.md", "docs/about.md", "docs/courses/i-know-gender.md", "docs/instruments/cedaw.md"]
    for rel in renamed:
        path = project_copy / rel
        path.rename(path.with_name(path.name.replace(".md", ".en.md")))
    check = [sys.executable, "-m", "tcsite", "check", "--root", str(project_copy)]
    result = subprocess.run(check, capture_output=True, text=True, cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    status = subprocess.run([sys.executable, "-m", "tcsite", "status", "--json", "--root", str(project_copy)],
                            capture_output=True, text=True, cwd=project_copy)
    assert status.returncode == 0, status.stderr
    complete = Project.load(project_copy).complete_codes  # a language in progress has missing translations
    items = [item for item in json.loads(status.stdout)["items"] if item["language"] in complete]
    assert items and all(item["state"] == "up to date" for item in items), status.stdout
    assert {"source": "docs/about.en.md", "file": "docs/about.es.md"}.items() <= next(
        i for i in items if i["file"] == "docs/about.es.md").items()
    built = build_site(project_copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    for page in ("about/", "es/about/", "news/2020/beijing-25/", "es/news/2020/beijing-25/",
                 "courses/i-know-gender/", "instruments/cedaw/"):
        assert (tmp_path / "site" / page / "index.html").is_file(), page
    # x.md beside x.en.md: two English versions of one text.
    shutil.copy(project_copy / "docs" / "about.en.md", project_copy / "docs" / "about.md")
    shutil.copy(project_copy / "news" / "2020" / "beijing-25.en.md", project_copy / "news" / "2020" / "beijing-25.md")
    result = subprocess.run(check, capture_output=True, text=True, cwd=project_copy)
    assert result.returncode == 1
    for rel, other in (("docs/about.md", "docs/about.en.md"), ("news/2020/beijing-25.md", "news/2020/beijing-25.en.md")):
        assert (f"{rel}:1:1: this file and {other} are both the 'en' version of the same text "
                f"(keep only {Path(rel).name}") in result.stdout
    assert "same address" not in result.stdout, "one problem, said once"
    built = build_site(project_copy, tmp_path / "site2")
    assert built.returncode != 0 and "are both the 'en' version" in built.stderr


# --- tcsite-cms.js, run with Node -------------------------------------------------------------

BRIDGE_SCENARIOS = r"""
const { wrap } = require(process.argv[1]);
const config = {
  tcsite: { default_locale: "en", locales: ["en", "es"],
            folders: { "docs/courses": { except: ["docs/courses/index.md"] } } },
  collections: [{ name: "news", fields: [
    { name: "title", i18n: "translate" }, { name: "date", i18n: "duplicate" },
    { name: "summary", label: "Summary", i18n: "translate" },
    { name: "author", i18n: "translate", required: false }, { name: "body", label: "Text", i18n: "translate" } ] }],
};
const calls = [];
const repo = { "news/2026/a.md": "EN", "news/2026/a.es.md": "ES" };
const listing = Object.assign(
  [{ file: { path: "docs/courses/x.md" } }, { file: { path: "docs/courses/x.es.md" } },
   { file: { path: "docs/courses/index.md" } }, { file: { path: "docs/courses/index.es.md" } }],
  { [Symbol.for("cursor")]: "kept" });
const fake = {
  name: "fake",
  entriesByFolder: async (folder) => listing,
  getEntry: async (path) => { calls.push(["getEntry", path]);
    if (!(path in repo)) throw new Error("not found"); return { file: { path }, data: repo[path] }; },
  persistEntry: async (entry, options) => { calls.push(["persistEntry", entry.dataFiles]); },
  deleteFiles: async (paths) => { calls.push(["deleteFiles", paths]); },
  unpublishedEntry: async () => ({ diffs: [{ path: "news/2026/a.md", id: "1" }, { path: "news/2026/a.es.md", id: "2" },
                                          { path: "news/images/p.jpg", id: "3" }] }),
  unpublishedEntryDataFile: async (collection, slug, path) => { calls.push(["dataFile", path]); return ""; },
  status() { return this.name; },
};
const wrapped = wrap(fake, config);
const file = (front, body) => `---\n${front}\n---\n${body}`;
(async () => {
  const out = {};
  const listed = await wrapped.entriesByFolder("docs/courses", "md", 1);
  out.listed = listed.map((e) => e.file.path);
  out.cursor = listed[Symbol.for("cursor")];
  out.entry = (await wrapped.getEntry("news/2026/a.en.md"));
  out.fallback = (await wrapped.getEntry("news/2026/b.en.md").catch((e) => e.message));
  out.unpublished = (await wrapped.unpublishedEntry({})).diffs.map((d) => d.path);
  await wrapped.unpublishedEntryDataFile("news", "2026/a", "news/2026/a.en.md", "1");
  await wrapped.deleteFiles(["news/2026/a.en.md", "news/2026/a.es.md"]);
  const en = { path: "news/2026/a.en.md", slug: "2026/a", raw: file("title: A\ndate: 2026-03-08\ncode: null\ncategories:\n  - cedaw", "Text.\n") };
  await wrapped.persistEntry({ dataFiles: [en, { path: "news/2026/a.es.md", slug: "2026/a",
    raw: file("date: 2026-03-08\ncategories:\n  - cedaw", "") }], assets: [] }, { collectionName: "news" });
  await wrapped.persistEntry({ dataFiles: [en, { path: "news/2026/a.es.md", slug: "2026/a",
    raw: file("title: B\nsummary: >-\n  Resumen\ndate: 2026-03-08", "Texto.\n") }], assets: [] }, { collectionName: "news" });
  out.refused = await wrapped.persistEntry({ dataFiles: [en, { path: "news/2026/a.es.md", slug: "2026/a",
    raw: file("title: B\nsummary: null", "") }], assets: [] }, { collectionName: "news" }).then(() => null, (e) => e.message);
  out.status = wrapped.status();
  out.calls = calls;
  console.log(JSON.stringify(out));
})();
"""


def test_the_bridge_maps_decaps_file_names_to_ours():
    result = subprocess.run(["node", "-e", BRIDGE_SCENARIOS, str(cms.BRIDGE_SOURCE)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # Listings: x.md is shown to Decap as x.en.md; the catalogue is not a course; the cursor stays.
    assert out["listed"] == ["docs/courses/x.en.md", "docs/courses/x.es.md"]
    assert out["cursor"] == "kept"
    # Reading: Decap asks for x.en.md, the repository has x.md.
    assert out["entry"] == {"file": {"path": "news/2026/a.en.md"}, "data": "EN"}
    assert out["fallback"] == "not found"
    calls = out["calls"]
    assert ["getEntry", "news/2026/a.md"] in calls
    assert ["getEntry", "news/2026/b.md"] in calls and ["getEntry", "news/2026/b.en.md"] in calls
    # The editorial workflow (GitHub): the diffs of a pull request, and their files.
    assert out["unpublished"] == ["news/2026/a.en.md", "news/2026/a.es.md", "news/images/p.jpg"]
    assert ["dataFile", "news/2026/a.md"] in calls
    assert ["deleteFiles", ["news/2026/a.md", "news/2026/a.es.md"]] in calls
    persisted = [c[1] for c in calls if c[0] == "persistEntry"]
    # Written as x.md, without the empty fields; a translation with no title is not written at all.
    assert [f["path"] for f in persisted[0]] == ["news/2026/a.md"]
    assert persisted[0][0]["raw"] == "---\ntitle: A\ndate: 2026-03-08\ncategories:\n  - cedaw\n---\nText.\n"
    assert [f["path"] for f in persisted[1]] == ["news/2026/a.md", "news/2026/a.es.md"]
    # A translation with a title but without its other required texts is refused, naming them.
    assert len(persisted) == 2
    assert out["refused"] == ("The ES version is incomplete: fill in Summary, Text, or empty its title "
                              "to publish without this translation.")
    assert out["status"] == "fake", "other methods reach the backend, bound to it"


# --- end to end in Chromium -------------------------------------------------------------------


def headers_rule(site: Path, pattern: str) -> dict[str, str]:
    """The headers one rule of site/_headers sets (detached ones left out)."""
    found, current = {}, None
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            current = line.strip()
        elif current == pattern and ":" in line and not line.strip().startswith("!"):
            name, value = line.strip().split(":", 1)
            found[name] = value.strip()
    return found


class AdminHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site; /admin/ with the CSP of _headers (plus the local proxy's origin)."""

    admin_csp = ""

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.path.startswith("/admin/") and self.admin_csp:
            self.send_header("Content-Security-Policy", self.admin_csp)
        super().end_headers()


def serve(directory: Path, admin_csp: str = ""):
    handler = type("Handler", (AdminHandler,), {"admin_csp": admin_csp})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def wait_for(predicate, timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def set_cms_option(project: Path, lines: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  cms:\n" in text
    config.write_text(text.replace("  cms:\n", "  cms:\n" + lines, 1), encoding="utf-8")


@pytest.fixture
def local_cms(tmp_path):
    """A project copy, its site built with the local backend, decap-server writing into the copy."""
    assert DECAP_SERVER.exists(), "decap-server is missing: run `npm ci`"
    project = copy_project(tmp_path / "project")
    port = free_port()
    set_cms_option(project, f"    local_backend:\n      url: http://127.0.0.1:{port}/api/v1\n")
    built = build_site(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    log = (tmp_path / "decap-server.log").open("w")
    proxy = subprocess.Popen(
        [str(DECAP_SERVER)], cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PORT": str(port), "MODE": "fs", "BIND_HOST": "127.0.0.1"},
    )
    wait_for(lambda: "listening" in (tmp_path / "decap-server.log").read_text(), what="decap-server")
    csp = headers_rule(tmp_path / "site", "/admin/*")["Content-Security-Policy"]
    csp = csp.replace("connect-src ", f"connect-src http://127.0.0.1:{port} ")
    server, base = serve(tmp_path / "site", csp)
    yield {"project": project, "base": base, "tmp": tmp_path}
    server.shutdown()
    os.killpg(proxy.pid, 15)
    proxy.wait(timeout=10)


CSP_LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def field(page, name: str, pane: int):
    """A field of the editor: pane 0 is English, pane 1 Spanish (side by side)."""
    return page.locator(f'[id^="{name}-field-"]').nth(pane)


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


@pytest.mark.browser
def test_an_editor_writes_a_post_in_both_languages_in_the_cms(local_cms, browser):
    project, base = local_cms["project"], local_cms["base"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "admin/")
    page.get_by_role("button", name="Login").click()

    # The generated configuration loads: every collection, no error.
    for name in ("News posts", "Courses", "Pages"):
        page.get_by_role("link", name=name).wait_for()
    assert page.locator(".Toastify__toast--error").count() == 0
    assert "Error loading the CMS configuration" not in page.content()
    page.get_by_text("CEDAW at 40, an international bill of rights for women").wait_for()  # news/2019/…md

    # A new post, in English with its Spanish translation, side by side.
    page.goto(base + "admin/#/collections/news/new")
    field(page, "title", 0).fill("Training Centre opens a new campus")
    field(page, "date", 0).fill("2026-03-08")
    field(page, "summary", 0).fill("The Training Centre opens a campus in Santo Domingo.")
    field(page, "categories", 0).click()
    page.keyboard.type("CEDAW")
    page.keyboard.press("Enter")
    bodies = page.locator('[contenteditable="true"]')
    bodies.nth(0).click()
    page.keyboard.type("The Centre opens a new campus in Santo Domingo.")
    picture = local_cms["tmp"] / "campus.jpg"
    Image.new("RGB", (1600, 1067), (0, 114, 188)).save(picture)  # a lead picture: 1200 px wide or more
    page.get_by_role("button", name="Choose an image").first.click()
    page.locator("input[type=file]").first.set_input_files(picture)
    page.get_by_role("button", name="Choose selected").click()
    field(page, "image_alt", 0).fill("The new campus in Santo Domingo")
    field(page, "title", 1).fill("El Centro de Capacitación abre un nuevo campus")
    field(page, "summary", 1).fill("El Centro de Capacitación abre un campus en Santo Domingo.")
    bodies.nth(1).click()
    page.keyboard.type("El Centro abre un nuevo campus en Santo Domingo.")
    # decap-server (MODE=fs) supports only the simple publish mode: Decap switches to it, and
    # "Publish now" writes the files (on GitHub, the same entry opens a pull request instead).
    publish(page)
    english = project / "news" / "2026" / "training-centre-opens-a-new-campus.md"
    spanish = english.with_name("training-centre-opens-a-new-campus.es.md")
    wait_for(lambda: english.exists() and spanish.exists(), what="the two files")
    # The files are written before Decap has finished saving: it then reloads the new entry and
    # opens it at its own address. Leaving earlier lets those late steps land in the next editor.
    page.wait_for_url(re.compile(r"#/collections/news/entries/2026/training-centre-opens-a-new-campus$"))
    page.get_by_text("Changes saved").wait_for()
    assert not english.with_name("training-centre-opens-a-new-campus.en.md").exists()

    codes = ["en", "es"]
    en = read_document(english, project, codes, "en")
    es = read_document(spanish, project, codes, "en")
    assert en.meta == {"title": "Training Centre opens a new campus", "date": dt.date(2026, 3, 8),
                       "summary": "The Training Centre opens a campus in Santo Domingo.", "categories": ["cedaw"],
                       "image": "../images/campus.jpg", "image_alt": "The new campus in Santo Domingo"}
    assert (project / "news" / "images" / "campus.jpg").read_bytes() == picture.read_bytes()
    assert en.body.strip() == "The Centre opens a new campus in Santo Domingo."
    assert es.meta == {"title": "El Centro de Capacitación abre un nuevo campus", "date": dt.date(2026, 3, 8),
                       "summary": "El Centro de Capacitación abre un campus en Santo Domingo.",
                       "categories": ["cedaw"]}
    assert es.body.strip() == "El Centro abre un nuevo campus en Santo Domingo."
    check = [sys.executable, "-m", "tcsite", "check", "--root", str(project)]
    result = subprocess.run(check, capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr

    # An existing page, edited: the CMS writes docs/about.md (not about.en.md), keeps the rest.
    page.goto(base + "admin/#/collections/pages")
    page.get_by_text("About the Centre").click()
    assert field(page, "title", 1).input_value() == "Quiénes somos"
    field(page, "summary", 0).fill("The mission, solutions and partnerships of the Centre, edited in the CMS.")
    publish(page)
    about = project / "docs" / "about.md"
    wait_for(lambda: "edited in the CMS" in about.read_text(encoding="utf-8"), what="docs/about.md")
    # Saved as far as Decap knows too: its late "saved" step would otherwise land in the next draft.
    page.get_by_text("Changes saved").wait_for()
    assert not (project / "docs" / "about.en.md").exists()
    about_es = read_document(project / "docs" / "about.es.md", project, codes, "en")
    assert about_es.meta["translation_of"] == "fcf9be87e39e" and about_es.meta["title"] == "Quiénes somos"

    assert not errors, errors

    # Without a required field, the CMS refuses to save (Decap's refusals also end in uncaught
    # promise rejections, so page errors are not counted from here).
    before = sorted(p.name for p in (project / "news").rglob("*.md"))
    page.goto(base + "admin/#/collections/news/new")
    # Decap reuses the About page's editor and shows its draft until the new entry's empty draft
    # replaces it (after an await): anything typed before then is wiped. Type into the new draft.
    expect(field(page, "title", 0)).to_have_value("", timeout=30_000)
    field(page, "title", 0).fill("A post without a summary")
    field(page, "date", 0).fill("2026-04-01")
    publish(page)
    page.locator(".Toastify__toast--error").filter(has_text="missed a required field").wait_for()
    assert page.get_by_text(re.compile("Summary is required", re.I)).first.is_visible()
    # A translation begun but not finished is refused too, saying what it lacks.
    field(page, "summary", 0).fill("A summary.")
    field(page, "categories", 0).click()
    page.keyboard.type("Courses")
    page.keyboard.press("Enter")
    page.locator('[contenteditable="true"]').nth(0).click()
    page.keyboard.type("Some text.")
    field(page, "title", 1).fill("Una noticia sin resumen")
    publish(page)
    page.locator(".Toastify__toast--error").filter(has_text="The ES version is incomplete: fill in Summary, Text").wait_for()
    assert sorted(p.name for p in (project / "news").rglob("*.md")) == before

    assert page.evaluate("window.__violations") == [], "the admin's Content-Security-Policy blocked something"
    context.close()

    # The site rebuilt on the post's date lists the post in both languages, with its picture's
    # variants (never the upload itself).
    site = local_cms["tmp"] / "rebuilt"
    built = build_site(project, site, env={"SOURCE_DATE_EPOCH": "1772928000"})  # 2026-03-08
    assert built.returncode == 0, built.stderr
    post = (site / "news/2026/training-centre-opens-a-new-campus/index.html").read_text(encoding="utf-8")
    assert "Training Centre opens a new campus" in post
    assert re.search(r'<img src="\.\./\.\./\.\./assets/pictures/campus-[0-9a-f]{10}-960\.jpg"', post)
    assert not (site / "news/images/campus.jpg").exists()
    post_es = (site / "es/news/2026/training-centre-opens-a-new-campus/index.html").read_text(encoding="utf-8")
    assert "El Centro de Capacitación abre un nuevo campus" in post_es
    assert "Training Centre opens a new campus" in (site / "news/index.html").read_text(encoding="utf-8")
    assert "El Centro de Capacitación abre un nuevo campus" in (site / "es/news/index.html").read_text(encoding="utf-8")


# The GitHub login through the OAuth proxy (the site's Worker): tests/test_cms_login.py.

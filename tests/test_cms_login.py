"""The CMS's GitHub login (worker/cms-login.js), run by the site's Worker in `wrangler dev` on
loopback (``serve_with_cdn``), with GitHub faked on loopback (``GITHUB_URL``).

- the round trip: /api/auth sends the editor to GitHub, the callback checks the state and hands
  the token to the CMS window, in HTTP and end to end in Chromium;
- the token goes to CMS_ORIGIN only, whatever origin the request came to; without CMS_ORIGIN (or
  with something that is not an origin) the login answers an error and hands over nothing.
"""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import threading
import urllib.parse

import pytest

from tcsite.html_rules import inline_script_hashes
from tests.conftest import build_site, copy_project, fetch, free_port, serve_with_cdn
from tests.test_cms import CSP_LISTENER, set_cms_option

CLIENT = {"GITHUB_CLIENT_ID": "test-client", "GITHUB_CLIENT_SECRET": "test-secret"}
STATE_COOKIE = "tcsite_cms_oauth_state"


class FakeGitHub(http.server.BaseHTTPRequestHandler):
    """GitHub's two OAuth endpoints, on loopback."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # the authorization page: the editor approves at once
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        assert url.path == "/login/oauth/authorize" and query["client_id"] == "test-client"
        assert query["scope"] == "repo"
        target = f"{query['redirect_uri']}?code=the-code&state={query['state']}"
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ok = body["code"] == "the-code" and body["client_secret"] == "test-secret"
        answer = json.dumps({"access_token": "gho_test_token"} if ok else {"error": "bad_verification_code"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture(scope="module")
def github():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def cdn_with_login(tmp_path_factory, github):
    """The site, its CMS pointed at this server, served by the Worker with CMS_ORIGIN set to it."""
    tmp_path = tmp_path_factory.mktemp("login")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    project = copy_project(tmp_path / "project")
    set_cms_option(project, f"    base_url: {origin}\n")
    built = build_site(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    variables = {"CMS_ORIGIN": origin, "GITHUB_URL": github, **CLIENT}
    with serve_with_cdn(tmp_path / "site", tmp_path / "worker", variables, port=port) as base:
        yield base


def start_login(base: str, host: str | None = None) -> tuple[str, dict]:
    """GET /api/auth as the CMS window does: (state, query of the redirect to GitHub)."""
    status, headers, _ = fetch(base + "api/auth?provider=github&scope=repo", headers={"Host": host} if host else None)
    assert status == 302, status
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["location"]).query))
    return query["state"], query


def callback(base: str, state: str, host: str | None = None, cookie: bool = True):
    headers = {"Cookie": f"{STATE_COOKIE}={state}"} if cookie else {}
    if host:
        headers["Host"] = host
    return fetch(base + f"api/auth/callback?code=the-code&state={state}", headers=headers)


def test_the_oauth_proxy_sends_editors_to_github_and_checks_the_state(cdn_with_login, github):
    status, headers, _ = fetch(cdn_with_login + "api/auth?provider=github&scope=repo")
    assert status == 302
    location = urllib.parse.urlsplit(headers["location"])
    query = dict(urllib.parse.parse_qsl(location.query))
    assert f"{location.scheme}://{location.netloc}" == github
    assert location.path == "/login/oauth/authorize" and query["client_id"] == "test-client"
    assert query["redirect_uri"] == cdn_with_login + "api/auth/callback" and re.fullmatch(r"[0-9a-f]{32}", query["state"])
    assert f"{STATE_COOKIE}={query['state']}; Path=/api/auth; HttpOnly; Secure; SameSite=Lax" in headers["set-cookie"]
    assert fetch(cdn_with_login + "api/auth?provider=gitlab")[0] == 400
    # A callback that does not carry the state of a login this browser started hands over no token.
    status, headers, body = callback(cdn_with_login, query["state"], cookie=False)
    assert status == 200 and b"authorization:github:error:" in body and b"gho_" not in body
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'sha256-")
    assert "cross-origin-opener-policy" not in headers


# The login window's page, run in Node with a fake window: which messages it posts, to which
# origin, when its opener answers the handshake from each origin in turn.
HANDOVER = r"""
const [script, origins] = [process.argv[1], JSON.parse(process.argv[2])];
const posted = [];
let listener = null;
const window = {
  opener: { postMessage: (data, targetOrigin) => posted.push([data, targetOrigin]) },
  addEventListener: (type, f) => { listener = f; },
  removeEventListener: () => { listener = null; },
};
const document = { getElementById: () => ({}) };
new Function("window", "document", script)(window, document);
for (const origin of origins) if (listener) listener({ origin, data: "authorizing:github" });
console.log(JSON.stringify(posted));
"""


def handover(headers, page: bytes, answering_origins: list[str]) -> list[list[str]]:
    """The messages the login window posts, as [data, target origin], its opener answering the
    handshake from each of ``answering_origins`` in turn."""
    scripts = re.findall(r"<script>(.*?)</script>", page.decode("utf-8"), re.S)
    assert len(scripts) == 1
    # The script run here is the one the page's policy lets a browser run.
    assert inline_script_hashes(f"<script>{scripts[0]}</script>")[0] in headers["content-security-policy"]
    result = subprocess.run(["node", "-e", HANDOVER, scripts[0], json.dumps(answering_origins)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_token_goes_to_cms_origin_only_whatever_host_the_request_names(cdn_with_login):
    cms_origin = cdn_with_login.rstrip("/")
    # The Worker answers any host name routed to it (a preview, workers.dev): the login started
    # and finished on another host still hands the token to CMS_ORIGIN alone.
    state, query = start_login(cdn_with_login, host="pr-7-site.example.workers.dev")
    assert query["redirect_uri"] == "http://pr-7-site.example.workers.dev/api/auth/callback"
    status, headers, page = callback(cdn_with_login, state, host="pr-7-site.example.workers.dev")
    assert status == 200 and b"gho_test_token" in page
    assert b"pr-7-site" not in page
    posted = handover(headers, page, ["http://pr-7-site.example.workers.dev", "https://evil.example", cms_origin])
    assert posted[0] == ["authorizing:github", cms_origin]
    token_messages = [p for p in posted if "gho_test_token" in p[0]]
    assert token_messages == [[
        'authorization:github:success:{"token":"gho_test_token","provider":"github"}', cms_origin]]
    assert {target for _, target in posted} == {cms_origin}


def test_no_opener_answering_from_another_origin_gets_the_token(cdn_with_login):
    state, _ = start_login(cdn_with_login)
    _, headers, page = callback(cdn_with_login, state)
    posted = handover(headers, page, ["https://evil.example", "null", "http://127.0.0.1"])
    assert posted == [["authorizing:github", cdn_with_login.rstrip("/")]]


@pytest.mark.parametrize("variables", [
    pytest.param({}, id="without-CMS_ORIGIN"),
    pytest.param({"CMS_ORIGIN": "*"}, id="CMS_ORIGIN-a-wildcard"),
    pytest.param({"CMS_ORIGIN": "https://trainingcentre.example.org/admin/"}, id="CMS_ORIGIN-with-a-path"),
])
def test_without_a_cms_origin_the_login_hands_over_nothing(site, tmp_path, github, variables):
    with serve_with_cdn(site, tmp_path / "worker", {**variables, "GITHUB_URL": github, **CLIENT}) as base:
        status, headers, body = fetch(base + "api/auth?provider=github&scope=repo")
        assert status == 500 and "location" not in headers and b"CMS_ORIGIN" in body
        assert headers["content-type"].startswith("text/plain")
        state = "0123456789abcdef0123456789abcdef"
        status, _, body = callback(base, state)
        assert status == 500 and b"CMS_ORIGIN" in body and b"gho_" not in body


@pytest.mark.browser
def test_an_editor_logs_in_with_github_through_the_oauth_proxy(cdn_with_login, browser):
    base = cdn_with_login
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(CSP_LISTENER)
    api_calls = []

    def github_api(route):
        url = urllib.parse.urlsplit(route.request.url)
        api_calls.append((url.path, route.request.headers.get("authorization")))
        if url.path == "/user":
            body = {"login": "editor", "name": "An Editor", "avatar_url": ""}
        elif url.path == "/repos/unwomen-tc/website":
            body = {"full_name": "unwomen-tc/website", "owner": {"login": "unwomen-tc"}, "permissions": {"push": True}}
        else:
            return route.fulfill(status=404, json={"message": "Not Found"})
        route.fulfill(status=200, json=body)

    context.route("https://api.github.com/**", github_api)
    context.route("https://www.githubstatus.com/**", lambda route: route.fulfill(status=200, json={"components": []}))
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(base + "admin/")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Login with GitHub").click()
    popup.value.wait_for_event("close", timeout=20000)
    try:
        page.get_by_role("link", name="News posts").wait_for(timeout=20000)
    except Exception:
        pytest.fail(f"no collections after the login: {api_calls}\n" + "\n".join(console))
    assert ("/user", "token gho_test_token") in api_calls
    violations = [v for v in page.evaluate("window.__violations") if "localhost:8081" not in v]
    assert violations == [], "the admin's Content-Security-Policy blocked something"
    context.close()

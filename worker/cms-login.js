/* The CMS's GitHub login: a small OAuth proxy, run by the site's Worker (worker/index.js) for
   /api/auth and /api/auth/callback; README "Editors" sets it up.

   Decap CMS (/admin/, backend `github`, `base_url` = this site, `auth_endpoint: api/auth`)
   opens a window on
     GET /api/auth?provider=github&scope=repo   -> redirect to GitHub's authorization page
   GitHub sends the editor back to
     GET /api/auth/callback?code=…&state=…      -> exchange the code for a token and hand it to
                                                  the window that opened this one, with
                                                  Decap's "authorization:github:…" messages

   The Worker's variables (wrangler.toml [vars]; secrets with `wrangler secret put`):
     CMS_ORIGIN             required: the origin whose /admin/ may receive the token
                            (the origin of site_url in mkdocs.yml). Never taken from the request:
                            any host that reaches this Worker (a preview, workers.dev) would
                            otherwise hand tokens to pages served from it.
     GITHUB_CLIENT_ID       the GitHub OAuth App's client ID
     GITHUB_CLIENT_SECRET   its client secret (a secret)
     GITHUB_URL             optional: GitHub Enterprise Server's address (default https://github.com)

   Without any of the three required settings the login answers an error and hands out nothing.
   The token is only ever posted to CMS_ORIGIN, and only after the opener there has answered the
   handshake; a random `state`, kept in a short-lived HttpOnly cookie, ties the callback to the
   login it started. The site's _headers do not apply to the Worker: each response sets its own.
*/

export const LOGIN = "/api/auth";
const CALLBACK = `${LOGIN}/callback`;
const SCOPES = new Set(["repo", "public_repo"]);
const STATE_COOKIE = "tcsite_cms_oauth_state";

/** The answer to a request under LOGIN. */
export async function login(request, env) {
  const url = new URL(request.url);
  if (request.method !== "GET" && request.method !== "HEAD") return plain(405, "Method not allowed.");
  if (url.pathname !== LOGIN && url.pathname !== CALLBACK) return plain(404, "Not found.");
  const missing = ["CMS_ORIGIN", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"].filter((name) => !env[name]);
  if (missing.length) return plain(500, `The CMS login is not set up: ${missing.join(", ")} missing.`);
  const origin = cmsOrigin(env.CMS_ORIGIN);
  if (!origin) return plain(500, "The CMS login is not set up: CMS_ORIGIN must be an origin such as https://example.org.");
  if (url.pathname === LOGIN) return authorize(url, env);
  return callback(request, url, env, origin);
}

// "https://example.org" (a trailing slash is forgiven); null for anything that is not an origin.
function cmsOrigin(value) {
  try {
    const url = new URL(value);
    const bare = String(value).replace(/\/$/, "");
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === bare ? url.origin : null;
  } catch {
    return null;
  }
}

function github(env) {
  return (env.GITHUB_URL || "https://github.com").replace(/\/+$/, "");
}

function authorize(url, env) {
  if (url.searchParams.get("provider") !== "github") return plain(400, "Unknown provider.");
  const scope = SCOPES.has(url.searchParams.get("scope")) ? url.searchParams.get("scope") : "repo";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const state = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const target = new URL(`${github(env)}/login/oauth/authorize`);
  target.searchParams.set("client_id", env.GITHUB_CLIENT_ID);
  target.searchParams.set("redirect_uri", url.origin + CALLBACK);
  target.searchParams.set("scope", scope);
  target.searchParams.set("state", state);
  return new Response(null, {
    status: 302,
    headers: {
      Location: target.toString(),
      "Set-Cookie": `${STATE_COOKIE}=${state}; Path=/api/auth; HttpOnly; Secure; SameSite=Lax; Max-Age=600`,
      "Cache-Control": "no-store",
    },
  });
}

async function callback(request, url, env, origin) {
  const code = url.searchParams.get("code");
  const state = url.searchParams.get("state");
  const cookie = new RegExp(`(?:^|;\\s*)${STATE_COOKIE}=([0-9a-f]+)`).exec(request.headers.get("Cookie") || "");
  if (url.searchParams.get("error")) {
    return handOver("error", { message: url.searchParams.get("error_description") || "GitHub refused the login." }, origin);
  }
  if (!code || !state || !cookie || cookie[1] !== state) {
    return handOver("error", { message: "This login link has expired: close this window and log in again." }, origin);
  }
  let result;
  try {
    const response = await fetch(`${github(env)}/login/oauth/access_token`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json", "User-Agent": "tcsite-cms-oauth" },
      body: JSON.stringify({
        client_id: env.GITHUB_CLIENT_ID,
        client_secret: env.GITHUB_CLIENT_SECRET,
        code,
        redirect_uri: url.origin + CALLBACK,
      }),
    });
    result = await response.json();
  } catch (error) {
    return handOver("error", { message: "GitHub could not be reached: try again in a moment." }, origin);
  }
  if (!result || !result.access_token) {
    return handOver("error", { message: (result && result.error_description) || "GitHub gave no token." }, origin);
  }
  return handOver("success", { token: result.access_token, provider: "github" }, origin);
}

// A page that passes Decap's message to the window that opened it, then closes (Decap closes it).
async function handOver(status, content, origin) {
  const message = `authorization:github:${status}:${JSON.stringify(content)}`;
  const script = `(function () {
  var origin = ${literal(origin)}, message = ${literal(message)};
  if (!window.opener) { document.getElementById("status").textContent = "Open the CMS again and log in from there."; return; }
  window.addEventListener("message", function reply(event) {
    if (event.origin !== origin || event.data !== "authorizing:github") return;
    window.removeEventListener("message", reply);
    window.opener.postMessage(message, origin);
  });
  window.opener.postMessage("authorizing:github", origin);
})();`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  const note = status === "success" ? "Logged in. This window closes by itself." : content.message;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
    `<title>Content manager login</title></head><body><p id="status">${escapeHtml(note)}</p>` +
    `<script>${script}</script></body></html>`;
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Set-Cookie": `${STATE_COOKIE}=; Path=/api/auth; HttpOnly; Secure; SameSite=Lax; Max-Age=0`,
    },
  });
}

function literal(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function plain(status, text) {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

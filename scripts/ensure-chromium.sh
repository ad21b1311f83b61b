#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests, or say loudly why they will be skipped.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  if (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; }); then
    exit 0
  fi
fi
cat >&2 <<'MSG'
************************************************************************
*  /usr/bin/chromium is missing and could not be installed.            *
*  The browser tests (pytest -m browser) WILL BE SKIPPED.              *
*  Install it with:  sudo apt-get install -y chromium                  *
************************************************************************
MSG
exit 0

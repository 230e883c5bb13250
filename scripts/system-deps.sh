#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing.
#   run:  gettext (compiling translations)
#   test: also chromium (browser tests), a Japanese font (PDF agendas) and poppler-utils (reading PDFs back)
set -euo pipefail
purpose=${1:-run}

need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "Missing Debian packages: ${need[*]}. Install them as root: apt-get install ${need[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

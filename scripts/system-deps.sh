#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing.
#   run:  gettext (compiling translations), fonts-ipaexfont (the TrueType Japanese font PDF agendas embed)
#   test: also chromium (browser tests), Noto CJK (Japanese in the browser), npm (axe-core for the accessibility
#         tests), poppler-utils (reading PDFs back),
#         docker-compose (validates docker-compose.yml; no daemon needed) and postgresql-client (the backup test)
#   bench: wrk (benchmarks/load.py)
set -euo pipefail
purpose=${1:-run}

# Asking dpkg is exact (a font may be installed before fontconfig has listed it).
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'install ok installed' >/dev/null; }

need=()
for package in gettext fonts-ipaexfont; do installed "$package" || need+=("$package"); done
if [ "$purpose" = test ]; then
  for package in chromium fonts-noto-cjk poppler-utils docker-compose postgresql-client; do installed "$package" || need+=("$package"); done
  # Any npm will do (Node's own packages ship one): asked of the shell, not of dpkg.
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi
if [ "$purpose" = bench ]; then
  installed wrk || need+=(wrk)
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

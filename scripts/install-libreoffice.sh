#!/usr/bin/env bash
# Installs Debian's LibreOffice (Calc and Writer, without a display) for the tests that open the
# written workbooks and documents in it, when `soffice` is not there yet.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null
soffice --version

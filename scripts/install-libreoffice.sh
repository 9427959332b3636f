#!/usr/bin/env bash
# Installs Debian's LibreOffice (Calc and Writer, no GUI) for the tests that recalculate the
# written workbooks and read documents back with an engine we did not write, when it is not there yet.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null
soffice --version

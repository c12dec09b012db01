#!/usr/bin/env bash
# System packages on Debian (run as root, or with sudo):
#   tests:       Chromium (end-to-end tests), the sqlite3 shell, build tools (native training kernels; OpenBLAS
#                is optional: without it the addon uses its own SGEMM, see docs/training-engine.md)
#   --bench:     also PyTorch, the yardstick that bench/train-speed.ts compares the training engine against
#                (for measuring only: the app never uses Python)
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
packages=(chromium sqlite3 build-essential python3 pkg-config libopenblas-dev ca-certificates)
[ "${1:-}" = "--bench" ] && packages+=(python3-torch libopenblas0-pthread)
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "setup-debian: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), sqlite3 $(sqlite3 --version | awk '{print $1}')"

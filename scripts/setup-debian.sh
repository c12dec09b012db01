#!/usr/bin/env bash
# System packages the tests and benchmarks need on Debian (run as root, or with sudo):
# Chromium for the end-to-end tests, the sqlite3 shell for the import benchmark, build tools and OpenBLAS
# for the native training kernels. The app itself needs none of them except a C++ toolchain for native
# modules where no prebuilt binary exists.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  chromium sqlite3 build-essential python3 pkg-config libopenblas-dev ca-certificates >/dev/null
echo "setup-debian: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), sqlite3 $(sqlite3 --version | awk '{print $1}')"

#!/usr/bin/env bash
# Installs everything AlphaLoom needs and builds it. Idempotent: each step checks a stamp or
# what is already installed and is skipped when nothing changed, so a second run takes seconds.
#   scripts/setup.sh            Debian packages, .venv, native deps, build (the reference venvs
#                               .venv-qlib, -ref, -bt, -mlflow install in parallel with the build)
#   scripts/setup.sh --no-build everything but the build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=1
[ "${1:-}" = "--no-build" ] && build=0

say() { printf '[setup] %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------------------------
debs=(build-essential cmake ninja-build pkg-config python3-venv curl ca-certificates
  libxgboost-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libeigen3-dev libpqxx-dev postgresql libsqlite3-dev sqlite3 libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev clang libclang-rt-14-dev valgrind)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python environments (pinned) --------------------------------------------------------------
# .venv comes first (the build links the Arrow and LightGBM libraries of its wheels); the four
# reference environments are only needed by the tests and benchmarks, so when any of them is
# missing they are created in parallel while the C++ build runs.
venv_stale() {  # venv_stale DIR REQUIREMENTS: true when DIR is missing or older than REQUIREMENTS
  [ ! -f "$1/.alphaloom-stamp" ] || [ "$(cat "$1/.alphaloom-stamp")" != "$(sha256sum "$2" | cut -d' ' -f1)" ]
}
make_venv() {  # make_venv DIR REQUIREMENTS
  local dir=$1 req=$2
  venv_stale "$dir" "$req" || return 0
  say "creating $dir from $req"
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --upgrade pip >/dev/null
  "$dir/bin/pip" install -q -r "$req"
  sha256sum "$req" | cut -d' ' -f1 > "$dir/.alphaloom-stamp"
  say "$dir ready ($SECONDS s since setup started)"
}
make_venv .venv requirements.txt
reference_venvs=(.venv-qlib:requirements-qlib.txt .venv-ref:requirements-ref.txt
  .venv-bt:requirements-backtest.txt .venv-mlflow:requirements-mlflow.txt)

# --- Native dependencies under .deps -----------------------------------------------------------
deps=$root/.deps
mkdir -p "$deps"
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

# Arrow C++: headers and libraries of the pinned pyarrow wheel, with unversioned symlinks.
.venv/bin/python -c 'import pyarrow; pyarrow.create_library_symlinks()'
mkdir -p "$deps/arrow"
ln -sfn "$(.venv/bin/python -c 'import pyarrow; print(pyarrow.get_include())')" "$deps/arrow/include"
ln -sfn "$(.venv/bin/python -c 'import pyarrow; print(pyarrow.get_library_dirs()[0])')" "$deps/arrow/lib"

# LightGBM C API: lib_lightgbm.so from the pinned wheel in .venv, headers from the same
# version's source distribution on PyPI (checked against its published sha256).
lgb_version=4.6.0
lgb_sha=cb1c59720eb569389c0ba74d14f52351b573af489f230032a1c9f314f8bab7fe
lgb_url=https://files.pythonhosted.org/packages/68/0b/a2e9f5c5da7ef047cc60cef37f86185088845e8433e54d2e7ed439cce8a3/lightgbm-$lgb_version.tar.gz
if [ ! -f "$deps/lightgbm/include/LightGBM/c_api.h" ] || [ "$(cat "$deps/lightgbm/version" 2>/dev/null)" != "$lgb_version" ]; then
  say "fetching LightGBM $lgb_version headers"
  tmp=$(mktemp -d)
  curl -sSfL -o "$tmp/lgb.tar.gz" "$lgb_url"
  echo "$lgb_sha  $tmp/lgb.tar.gz" | sha256sum -c --quiet
  tar -xzf "$tmp/lgb.tar.gz" -C "$tmp" "lightgbm-$lgb_version/include/LightGBM"
  rm -rf "$deps/lightgbm"
  mkdir -p "$deps/lightgbm"
  mv "$tmp/lightgbm-$lgb_version/include" "$deps/lightgbm/include"
  echo "$lgb_version" > "$deps/lightgbm/version"
  rm -rf "$tmp"
fi
ln -sfn "$site/lightgbm/lib" "$deps/lightgbm/lib"

# --- Build, and the reference environments beside it ------------------------------------------
build_project() {
  if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build build -j "$(nproc)"
}
stale=()
for entry in "${reference_venvs[@]}"; do
  venv_stale "${entry%%:*}" "${entry#*:}" && stale+=("$entry")
done
if [ ${#stale[@]} -eq 0 ]; then
  [ "$build" = 1 ] && build_project
else
  pids=()
  for entry in "${stale[@]}"; do
    make_venv "${entry%%:*}" "${entry#*:}" &
    pids+=($!)
  done
  build_status=0
  if [ "$build" = 1 ]; then
    say "building (log: build/setup-build.log) while the reference environments install"
    mkdir -p build
    build_project > build/setup-build.log 2>&1 || build_status=$?
    tail -n 1 build/setup-build.log
  fi
  venv_status=0
  for pid in "${pids[@]}"; do wait "$pid" || venv_status=1; done
  if [ "$build_status" != 0 ]; then
    tail -n 60 build/setup-build.log
    say "build failed (full log: build/setup-build.log)"
    exit 1
  fi
  [ "$venv_status" = 0 ] || { say "a Python environment failed to install (see above)"; exit 1; }
fi
say "ready ($SECONDS s)"

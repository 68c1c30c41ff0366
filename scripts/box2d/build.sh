#!/usr/bin/env bash
# Builds src/envs/box2d/engine/box2d_wasm.ts: Box2D 2.3.0 compiled to WebAssembly with
# emscripten, with native/box2d/palestra_box2d.cpp (the C interface the environments call)
# and native/box2d/glibc_sincosf.c (glibc's sinf/cosf).
#
#   apt-get install emscripten                      # Debian 12: emscripten 3.1.6
#   BOX2D_SRC=<dir holding Box2D/Box2D.h> scripts/box2d/build.sh
#
# BOX2D_SRC is a Box2D 2.3.0 source tree: the one pybox2d 2.3.10 vendors (the root of a
# pybox2d checkout, commit 09643321fd363f0850087d1bde8af3f4afd82163, whose
# Box2D/Common/b2Settings.cpp says b2_version = {2, 3, 0}) is the one Gymnasium's
# recordings ran on. The sources are compiled, not kept in this repository.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
src="${BOX2D_SRC:?set BOX2D_SRC to the folder that holds Box2D/Box2D.h}"
grep -q 'b2_version = {2, 3, 0}' "$src/Box2D/Common/b2Settings.cpp" || { echo "not Box2D 2.3.0: $src" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# No contraction into fused multiply-adds (wasm has none anyway), as gcc -O2 on x86-64
# without -march builds pybox2d; exceptions are not compiled in (a b2Assert that throws
# aborts), no filesystem. native/box2d/shim stands in for the Python.h pybox2d includes.
flags=(-O2 -ffp-contract=off -DNDEBUG -I"$here/native/box2d/shim" -I"$src")
objs=()
for f in $(cd "$src" && find Box2D -name '*.cpp' | sort); do
  o="$out/$(echo "$f" | tr / _).o"
  em++ "${flags[@]}" -c "$src/$f" -o "$o"
  objs+=("$o")
done
em++ "${flags[@]}" -c "$here/native/box2d/palestra_box2d.cpp" -o "$out/palestra_box2d.o"
emcc -O2 -ffp-contract=off -c "$here/native/box2d/glibc_sincosf.c" -o "$out/glibc_sincosf.o"

exports=$(grep -o 'pb_[a-z_]*(' "$here/native/box2d/palestra_box2d.cpp" | tr -d '(' | sort -u | sed 's/^/_/' | paste -sd, -)
em++ -O2 "$out/glibc_sincosf.o" "$out/palestra_box2d.o" "${objs[@]}" -o "$out/box2d.wasm" \
  --no-entry -s STANDALONE_WASM=1 -s FILESYSTEM=0 -s ALLOW_MEMORY_GROWTH=1 \
  -s INITIAL_MEMORY=4194304 -s TOTAL_STACK=262144 -s "EXPORTED_FUNCTIONS=[$exports,_malloc,_free]"

node "$here/scripts/box2d/embed.cjs" "$out/box2d.wasm" "$here/src/envs/box2d/engine/box2d_wasm.ts" "$(emcc --version | head -1)"

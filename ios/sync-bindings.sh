#!/usr/bin/env bash
# Generates the UniFFI Swift bindings from the host build of zhuanshu-ffi (library mode) and copies them
# where the package expects them: the .swift files into Sources/ZhuanshuKit/Generated, the C headers and
# one module map for both FFI modules into build/include (packed into the XCFramework).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
cargo xtask bindings
gen="$root/target/bindings/swift"
mkdir -p "$here/Sources/ZhuanshuKit/Generated" "$here/build/include"
rm -f "$here/Sources/ZhuanshuKit/Generated/"*.swift "$here/build/include/"*
cp "$gen"/*.swift "$here/Sources/ZhuanshuKit/Generated/"
cp "$gen"/*.h "$here/build/include/"
for map in "$gen"/*.modulemap; do cat "$map"; echo; done > "$here/build/include/module.modulemap"
echo "bindings copied: $(ls "$here/Sources/ZhuanshuKit/Generated" | tr '\n' ' ')"

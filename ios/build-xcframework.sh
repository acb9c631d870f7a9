#!/usr/bin/env bash
# Builds the Rust core as a static library for iOS devices (aarch64-apple-ios) and the simulator
# (aarch64-apple-ios-sim + x86_64-apple-ios, joined with lipo) and assembles
# ios/build/ZhuanshuFFI.xcframework with the bindings' headers. Runs on a Mac with Xcode and rustup.
#
#   ios/build-xcframework.sh            # release
#   PROFILE=dev ios/build-xcframework.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
profile="${PROFILE:-release}"
dir="$profile"; [ "$profile" = dev ] && dir=debug
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)

command -v xcodebuild >/dev/null || { echo "xcodebuild not found: this script needs macOS with Xcode" >&2; exit 1; }
cd "$root"
rustup target add "${targets[@]}"
export IPHONEOS_DEPLOYMENT_TARGET=16.0
for t in "${targets[@]}"; do
    cargo build -p zhuanshu-ffi --lib --profile "$profile" --target "$t"
done

"$here/sync-bindings.sh"

out="$here/build"
lib=libzhuanshu_ffi.a
mkdir -p "$out/sim"
lipo -create \
    "target/aarch64-apple-ios-sim/$dir/$lib" \
    "target/x86_64-apple-ios/$dir/$lib" \
    -output "$out/sim/$lib"
rm -rf "$out/ZhuanshuFFI.xcframework"
xcodebuild -create-xcframework \
    -library "target/aarch64-apple-ios/$dir/$lib" -headers "$out/include" \
    -library "$out/sim/$lib" -headers "$out/include" \
    -output "$out/ZhuanshuFFI.xcframework"
echo "built $out/ZhuanshuFFI.xcframework"

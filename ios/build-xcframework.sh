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
# A release pins the publisher's feed root (ZHUANSHU_FEED_ROOT=/path/to/root.json) with the core's
# `distribution` feature, which refuses the public demo key; ZHUANSHU_DEMO_ROOT=1 builds a demo release.
features=()
if [ -n "${ZHUANSHU_FEED_ROOT:-}" ]; then
    features=(--features distribution)
elif [ "$profile" = release ] && [ "${ZHUANSHU_DEMO_ROOT:-}" != 1 ]; then
    echo "a release needs the publisher's feed root: set ZHUANSHU_FEED_ROOT (or ZHUANSHU_DEMO_ROOT=1 for a demo)" >&2
    exit 1
fi
for t in "${targets[@]}"; do
    cargo build -p zhuanshu-ffi --lib --profile "$profile" --target "$t" ${features[@]+"${features[@]}"}
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

// swift-tools-version:5.9
// ZhuanshuKit: the Rust core (as an XCFramework), its UniFFI Swift bindings and the view models the
// SwiftUI app draws. Build the XCFramework and copy the bindings first: `ios/build-xcframework.sh`.
import PackageDescription

let package = Package(
    name: "ZhuanshuKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "ZhuanshuKit", targets: ["ZhuanshuKit"]),
    ],
    targets: [
        // libzhuanshu_ffi.a for iOS devices and the simulator, with the C headers and module map of the
        // generated bindings (modules `zhuanshuFFI` and `zhuanshu_ffiFFI`).
        .binaryTarget(name: "ZhuanshuFFI", path: "build/ZhuanshuFFI.xcframework"),
        .target(
            name: "ZhuanshuKit",
            dependencies: ["ZhuanshuFFI"],
            path: "Sources/ZhuanshuKit",
            // rustls-native-certs reads the system roots through Security.framework.
            linkerSettings: [.linkedFramework("Security")]
        ),
    ]
)

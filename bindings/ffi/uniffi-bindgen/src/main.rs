//! `uniffi-bindgen`, pinned to the workspace's UniFFI version so generated code matches the scaffolding.
fn main() {
    uniffi::uniffi_bindgen_main()
}

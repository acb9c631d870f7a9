//! Any bytes, as a seal package: the strict layout reader and the whole verification must answer (a
//! layout, a report or an error) and never panic; a layout accepted accounts for every byte it covers.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use zhuanshu::vault::seal::{self, TrustedSeal, zip_layout};

fuzz_target!(|data: &[u8]| {
    if let Ok(Ok(layout)) = zip_layout::read(&mut Cursor::new(data)) {
        assert_eq!(layout.len, data.len() as u64);
        assert!(layout.entries.len() <= zip_layout::MAX_ENTRIES);
        let mut end = 0;
        for e in &layout.entries {
            assert_eq!(e.header_offset, end, "entries are contiguous from offset 0");
            assert!(e.data_offset > e.header_offset);
            end = e.data_offset + e.size;
        }
        assert!(end <= layout.len, "the bytes hashed are at most the package's size");
    }
    let trusted = [TrustedSeal { uscc: "91310000MA1FL1AB2C".into(), fingerprint: "00".repeat(32) }];
    let _ = seal::verify_package_from(Cursor::new(data), &trusted);
});

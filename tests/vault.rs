//! The vault (证照夹) across the store and the file system: round trips at every chunk boundary, every
//! kind of tampering, wrong PINs and their stored delay, no plaintext on disk, backup and restore on
//! another "phone", the enterprise seal, and a crash harness that SIGKILLs a writer 1,000 writes long.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDateTime};
use zhuanshu::vault::seal::TrustedSeal;
use zhuanshu::vault::{KeyProvider, MemoryKeyProvider, ProblemKind, document};
use zhuanshu::{Clock, Config, Error, Zhuanshu};
use zhuanshu_scenarios::{all_files, contains};

const PIN: &str = "246810";
const CHUNK: usize = document::CHUNK_SIZE as usize;
const SEALED_CHUNK: usize = CHUNK + document::TAG_LEN;

fn t0() -> NaiveDateTime {
    "2026-11-21T09:00:00".parse().unwrap()
}

fn open_at(dir: Option<&Path>, now: NaiveDateTime) -> Zhuanshu {
    Zhuanshu::open(Config {
        data_dir: dir.map(Into::into),
        clock: Clock::Fixed(now),
        security_clock: Clock::Fixed(now),
        ..Default::default()
    })
    .unwrap()
}

fn open(dir: Option<&Path>) -> Zhuanshu {
    open_at(dir, t0())
}

/// The same platform key every time, as a phone's key store would give.
fn provider() -> MemoryKeyProvider {
    MemoryKeyProvider::new(&[7; 32]).unwrap()
}

/// A vault set up with the test provider (fast: no PBKDF2), unlocked.
fn fresh(dir: Option<&Path>) -> (Zhuanshu, String) {
    let app = open(dir);
    let recovery = app.vault().init(None, Some(&provider())).unwrap();
    (app, recovery)
}

fn content(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn sealed_file(dir: &Path, id: &str) -> PathBuf {
    dir.join("vault").join(format!("{id}.zsv"))
}

fn corrupt_detail(result: Result<Vec<u8>, Error>) -> String {
    match result {
        Err(Error::Corrupt(detail)) => detail,
        other => panic!("expected a corrupt error, got {other:?}"),
    }
}

#[test]
fn documents_round_trip_at_every_chunk_boundary_in_files_and_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    for place in [Some(dir.path()), None] {
        let (app, _) = fresh(place);
        let v = app.vault();
        for (i, len) in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 777].into_iter().enumerate() {
            let bytes = content(len, i as u32);
            let doc = v.add(&format!("扫描件{i}.pdf"), "application/pdf", &bytes).unwrap();
            assert_eq!(doc.size, len as u64);
            assert_eq!(v.read(&doc.id).unwrap(), bytes, "{len} bytes in {place:?}");
            if let Some(d) = place {
                let on_disk = fs::metadata(sealed_file(d, &doc.id)).unwrap().len();
                assert_eq!(on_disk, document::sealed_len(len as u64, document::CHUNK_SIZE), "{len}");
            }
        }
        // Streaming from a file, and exporting back to one.
        let src = tempfile::NamedTempFile::new().unwrap();
        let big = content(5 * CHUNK + 3, 99);
        fs::write(src.path(), &big).unwrap();
        let doc = v.add_file(src.path(), Some("营业执照正本.jpg"), None).unwrap();
        assert_eq!((doc.name.as_str(), doc.media_type.as_str()), ("营业执照正本.jpg", "image/jpeg"));
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("back.jpg");
        assert_eq!(v.export(&doc.id, &target).unwrap(), big.len() as u64);
        assert_eq!(fs::read(&target).unwrap(), big);
        let names: Vec<String> = v.documents().unwrap().into_iter().map(|d| d.name).collect();
        assert_eq!(names.len(), 8);
        assert_eq!(names[0], "扫描件0.pdf");
        // Delete: the file and its key go.
        v.remove(&doc.id).unwrap();
        assert_eq!(v.read(&doc.id).unwrap_err().code(), "not_found");
        if let Some(d) = place {
            assert!(!sealed_file(d, &doc.id).exists());
        }
        assert_eq!(v.status().unwrap().documents, 7);
    }
}

#[test]
fn changed_cut_reordered_swapped_and_extended_files_are_all_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = fresh(Some(dir.path()));
    let v = app.vault();
    let a = v.add("a.bin", "application/octet-stream", &content(3 * CHUNK, 1)).unwrap();
    let b = v.add("b.bin", "application/octet-stream", &content(3 * CHUNK, 2)).unwrap();
    let path_a = sealed_file(dir.path(), &a.id);
    let path_b = sealed_file(dir.path(), &b.id);
    let original = fs::read(&path_a).unwrap();
    let header = document::HEADER_LEN;
    let restore = || fs::write(&path_a, &original).unwrap();

    // One changed bit anywhere: header, first chunk, a tag, the last byte.
    for at in [0, 5, 12, header + 10, header + SEALED_CHUNK - 1, original.len() - 1] {
        let mut bad = original.clone();
        bad[at] ^= 0x01;
        fs::write(&path_a, &bad).unwrap();
        let err = v.read(&a.id).unwrap_err();
        assert_eq!(err.code(), "corrupt", "byte {at}: {err}");
        assert_eq!(err.user_message(), "文件已损坏或被篡改，无法打开");
    }
    restore();
    assert!(v.read(&a.id).is_ok());

    // Cut at a chunk boundary, inside a chunk, and right after the header.
    for len in [header + 2 * SEALED_CHUNK, header + SEALED_CHUNK + 100, header] {
        fs::write(&path_a, &original[..len]).unwrap();
        let detail = corrupt_detail(v.read(&a.id));
        assert!(detail.contains("truncated") || detail.contains("does not authenticate"), "{len}: {detail}");
    }
    fs::write(&path_a, &original[..header + 2 * SEALED_CHUNK]).unwrap();
    assert!(corrupt_detail(v.read(&a.id)).contains("cut after chunk 1"));

    // Chunks 0 and 1 swapped.
    let mut reordered = original[..header].to_vec();
    reordered.extend_from_slice(&original[header + SEALED_CHUNK..header + 2 * SEALED_CHUNK]);
    reordered.extend_from_slice(&original[header..header + SEALED_CHUNK]);
    reordered.extend_from_slice(&original[header + 2 * SEALED_CHUNK..]);
    fs::write(&path_a, &reordered).unwrap();
    assert!(corrupt_detail(v.read(&a.id)).contains("chunk 0"));

    // Bytes appended after the last chunk.
    let mut longer = original.clone();
    longer.extend_from_slice(&[0; 40]);
    fs::write(&path_a, &longer).unwrap();
    corrupt_detail(v.read(&a.id));

    // B's file under A's name; and B's chunks under A's header.
    fs::copy(&path_b, &path_a).unwrap();
    assert!(corrupt_detail(v.read(&a.id)).contains("swapped"));
    let mut spliced = original[..header].to_vec();
    spliced.extend_from_slice(&fs::read(&path_b).unwrap()[header..]);
    fs::write(&path_a, &spliced).unwrap();
    corrupt_detail(v.read(&a.id));

    // A missing file is reported, and export leaves nothing behind on failure.
    fs::remove_file(&path_a).unwrap();
    assert!(corrupt_detail(v.read(&a.id)).contains("missing"));
    fs::write(&path_a, &original[..header + 2 * SEALED_CHUNK]).unwrap();
    let out = tempfile::tempdir().unwrap();
    assert_eq!(v.export(&a.id, &out.path().join("a.bin")).unwrap_err().code(), "corrupt");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "no partial export");
    restore();
    assert_eq!(v.read(&a.id).unwrap(), content(3 * CHUNK, 1));
    assert_eq!(v.read(&b.id).unwrap(), content(3 * CHUNK, 2));
}

#[test]
fn wrong_pins_are_delayed_and_the_delay_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let d = Some(dir.path());
    let recovery = open(d).vault().init(Some(PIN), None).unwrap();
    let app = open(d);
    assert_eq!(app.vault().documents().unwrap_err().code(), "vault_locked");
    for n in 1..=3u32 {
        match app.vault().unlock_with_pin("135790") {
            Err(Error::WrongPin { failures, retry_after }) => {
                assert_eq!(failures, n);
                assert_eq!(retry_after.is_some(), n == 3, "the third wrong PIN starts the delay");
            }
            other => panic!("{other:?}"),
        }
    }
    let err = app.vault().unlock_with_pin(PIN).unwrap_err();
    assert_eq!(err.code(), "too_many_attempts", "even the right PIN waits");
    assert_eq!(err.user_message(), "PIN 码错误次数过多，请在 30 秒后（09:00:30）再试");
    drop(app);

    // A restart does not reset the count.
    let app = open_at(d, t0() + Duration::seconds(20));
    assert_eq!(app.vault().unlock_with_pin(PIN).unwrap_err().code(), "too_many_attempts");
    let status = app.vault().status().unwrap();
    assert_eq!((status.failed_attempts, status.retry_after), (3, Some(t0() + Duration::seconds(30))));
    drop(app);

    // After the wait, one more wrong PIN doubles it; then the right one unlocks and forgives.
    let later = t0() + Duration::seconds(31);
    let app = open_at(d, later);
    match app.vault().unlock_with_pin("000000") {
        Err(Error::WrongPin { failures: 4, retry_after: Some(at) }) => assert_eq!(at, later + Duration::seconds(60)),
        other => panic!("{other:?}"),
    }
    let app = open_at(d, later + Duration::seconds(61));
    app.vault().unlock_with_pin("２４６８１０").unwrap(); // full-width digits are the same PIN
    assert_eq!(app.vault().status().unwrap().failed_attempts, 0);

    // A typo in the recovery key is not an attempt; a wrong (well-formed) key is.
    let mut wrong = zhuanshu::vault::RecoveryKey::generate().unwrap().display();
    assert_eq!(app.vault().recover(&wrong, "112233").unwrap_err().code(), "wrong_recovery_key");
    wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
    assert_eq!(app.vault().recover(&wrong, "112233").unwrap_err().code(), "invalid_input");
    assert_eq!(app.vault().status().unwrap().failed_attempts, 1);
    // The recovery key sets a new PIN.
    app.vault().lock();
    app.vault().recover(&recovery, "112233").unwrap();
    assert!(app.vault().is_unlocked());
    app.vault().lock();
    assert_eq!(app.vault().unlock_with_pin(PIN).unwrap_err().code(), "wrong_pin");
    app.vault().unlock_with_pin("112233").unwrap();
}

#[test]
fn changing_the_pin_rewraps_one_key_and_touches_no_document() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(Some(dir.path()));
    app.vault().init(Some(PIN), Some(&provider())).unwrap();
    let doc = app.vault().add("租赁合同.pdf", "application/pdf", &content(CHUNK + 5, 3)).unwrap();
    let before = fs::read(sealed_file(dir.path(), &doc.id)).unwrap();
    assert_eq!(app.vault().change_pin("999999", "13572468").unwrap_err().code(), "wrong_pin");
    assert_eq!(app.vault().change_pin(PIN, "123").unwrap_err().code(), "invalid_input");
    app.vault().change_pin(PIN, "13572468").unwrap();
    assert_eq!(fs::read(sealed_file(dir.path(), &doc.id)).unwrap(), before, "the document file is untouched");
    app.vault().lock();
    assert_eq!(app.vault().unlock_with_pin(PIN).unwrap_err().code(), "wrong_pin");
    app.vault().unlock_with_pin("13572468").unwrap();
    assert_eq!(app.vault().read(&doc.id).unwrap(), content(CHUNK + 5, 3));
    // The platform key still opens it too.
    app.vault().lock();
    app.vault().unlock_with_provider(&provider()).unwrap();
    assert_eq!(app.vault().read(&doc.id).unwrap().len(), CHUNK + 5);
}

#[test]
fn the_key_provider_unlocks_and_a_foreign_one_does_not() {
    struct Broken;
    impl KeyProvider for Broken {
        fn wrap_key(&self, key: Vec<u8>) -> Result<Vec<u8>, zhuanshu::vault::KeyProviderError> {
            Ok(key)
        }
        fn unwrap_key(&self, _: Vec<u8>) -> Result<Vec<u8>, zhuanshu::vault::KeyProviderError> {
            Ok(vec![0; 32])
        }
    }
    let (app, _) = fresh(None);
    app.vault().lock();
    let stranger = MemoryKeyProvider::new(&[8; 32]).unwrap();
    let err = app.vault().unlock_with_provider(&stranger).unwrap_err();
    assert_eq!(err.code(), "key_provider");
    assert_eq!(err.user_message(), "系统密钥暂时不可用，请改用 PIN 码解锁");
    assert_eq!(app.vault().unlock_with_provider(&Broken).unwrap_err().code(), "key_provider");
    assert_eq!(app.vault().unlock_with_pin(PIN).unwrap_err().code(), "invalid_input", "no PIN was set");
    assert_eq!(app.vault().status().unwrap().failed_attempts, 0, "provider failures are not PIN attempts");
    app.vault().unlock_with_provider(&provider()).unwrap();
    app.vault().remove_key_provider().unwrap_err();
    app.vault().set_pin(PIN).unwrap();
    app.vault().remove_key_provider().unwrap();
    let status = app.vault().status().unwrap();
    assert!(status.has_pin && !status.has_key_provider && status.has_recovery_key);
}

#[test]
fn a_locked_or_idle_vault_shows_nothing() {
    let app = open(None);
    assert_eq!(app.vault().documents().unwrap_err().code(), "vault_not_set_up");
    assert!(!app.vault().status().unwrap().set_up);
    assert_eq!(app.vault().init(None, None).unwrap_err().code(), "invalid_input");
    app.vault().init(None, Some(&provider())).unwrap();
    assert_eq!(app.vault().init(None, Some(&provider())).unwrap_err().code(), "invalid_input");
    let doc = app.vault().add("x.txt", "text/plain", b"x").unwrap();
    app.vault().lock();
    for err in [
        app.vault().documents().unwrap_err(),
        app.vault().read(&doc.id).unwrap_err(),
        app.vault().add("y.txt", "text/plain", b"y").unwrap_err(),
        app.vault().remove(&doc.id).unwrap_err(),
        app.vault().seal_field("records", "lookup_secret", 1, b"x").unwrap_err(),
    ] {
        assert_eq!(err.code(), "vault_locked");
        assert_eq!(err.user_message(), "证照夹已锁定，请先输入 PIN 码解锁");
    }

    // Auto-lock, checked against the app's clock on each call: the real clock here.
    let app = Zhuanshu::open(Config { data_dir: None, clock: Clock::System, ..Default::default() }).unwrap();
    app.vault().init(None, Some(&provider())).unwrap();
    app.vault().set_auto_lock(1).unwrap();
    assert!(app.vault().documents().is_ok());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(app.vault().documents().unwrap_err().code(), "vault_locked");
    assert!(!app.vault().is_unlocked());
    app.vault().unlock_with_provider(&provider()).unwrap();
    assert_eq!(app.vault().status().unwrap().auto_lock_seconds, 1);
    app.vault().set_auto_lock(0).unwrap();
    assert_eq!(app.vault().set_auto_lock(90_000).unwrap_err().code(), "invalid_input");
}

#[test]
fn documents_link_to_licences_and_materials() {
    let (app, _) = fresh(None);
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let licence = app.dossier().licences(&uscc).unwrap()[0].id;
    let material = app.dossier().materials(&uscc).unwrap()[0].id;
    let v = app.vault();
    let doc = v.add("营业执照.jpg", "image/jpeg", b"jpeg").unwrap();
    v.link_licence(&doc.id, licence).unwrap();
    let linked = v.link_material(&doc.id, material).unwrap();
    assert_eq!((linked.licence_ids, linked.material_ids), (vec![licence], vec![material]));
    assert_eq!(app.dossier().material(material).unwrap().data.vault_document.as_deref(), Some(doc.id.as_str()));
    assert_eq!(v.licence_documents(licence).unwrap()[0].id, doc.id);
    assert_eq!(v.link_licence(&doc.id, 999_999).unwrap_err().code(), "not_found");
    assert_eq!(v.link_material(&doc.id, 999_999).unwrap_err().code(), "not_found");
    // Removing the document clears both links; the licence and material stay.
    v.remove(&doc.id).unwrap();
    assert!(v.licence_documents(licence).unwrap().is_empty());
    assert_eq!(app.dossier().material(material).unwrap().data.vault_document, None);
    // Removing a licence removes its links.
    let doc = v.add("许可证.jpg", "image/jpeg", b"jpeg").unwrap();
    v.link_licence(&doc.id, licence).unwrap();
    app.dossier().remove_licence(licence).unwrap();
    assert!(v.document(&doc.id).unwrap().licence_ids.is_empty());
}

#[test]
fn the_lookup_password_is_sealed_needs_the_key_and_is_never_exported() {
    let (app, _) = fresh(None);
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let record = app.dossier().records(&uscc).unwrap()[0].id;
    let d = app.dossier();
    assert_eq!(d.record_lookup_password(record).unwrap(), None);
    d.set_record_lookup_password(record, Some("Cx-2026-查询𠈌".into())).unwrap();
    assert_eq!(d.record_lookup_password(record).unwrap().as_deref(), Some("Cx-2026-查询𠈌"));
    assert!(!d.export_json(&uscc).unwrap().contains("Cx-2026"));
    assert_eq!(d.set_record_lookup_password(record, Some(" ".into())).unwrap_err().code(), "invalid_input");
    assert_eq!(d.set_record_lookup_password(999_999, Some("x".into())).unwrap_err().code(), "not_found");
    app.vault().lock();
    assert_eq!(d.record_lookup_password(record).unwrap_err().code(), "vault_locked");
    assert_eq!(d.set_record_lookup_password(record, None).unwrap_err().code(), "vault_locked");
    app.vault().unlock_with_provider(&provider()).unwrap();
    // A sealed value copied to another row does not open there.
    let other = app.dossier().records(&uscc).unwrap()[1].id;
    let sealed = app.vault().seal_field("records", "lookup_secret", record, b"secret").unwrap();
    assert_eq!(app.vault().open_field("records", "lookup_secret", other, &sealed).unwrap_err().code(), "corrupt");
    d.set_record_lookup_password(record, None).unwrap();
    assert_eq!(d.record_lookup_password(record).unwrap(), None);
}

/// Every file under `dir`, recursively.

#[test]
fn no_plaintext_reaches_the_disk() {
    const MARKER: &str = "MARKER-专属-证照夹-7f3a9c";
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let app = open(Some(&data));
    app.vault().init(Some(PIN), None).unwrap();
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let record = app.dossier().records(&uscc).unwrap()[0].id;
    app.dossier().set_record_lookup_password(record, Some(format!("{MARKER}-password"))).unwrap();
    let mut doc = Vec::new();
    for i in 0..3000 {
        doc.extend_from_slice(format!("{MARKER} line {i}\n").as_bytes());
    }
    app.vault().add(&format!("{MARKER}.txt"), "text/plain", &doc).unwrap();
    app.vault().add(&format!("{MARKER}-small.txt"), "text/plain", MARKER.as_bytes()).unwrap();
    app.vault().create_seal(&uscc).unwrap();
    app.vault().backup(&data.join("backup.zsvb")).unwrap();

    let scan = |when: &str| {
        let files = all_files(&data);
        assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")) || when == "closed", "{files:?}");
        assert!(files.len() >= 4, "{files:?}");
        for file in files {
            let bytes = fs::read(&file).unwrap();
            assert!(!contains(&bytes, MARKER.as_bytes()), "{when}: plaintext in {}", file.display());
        }
    };
    scan("open");
    drop(app);
    scan("closed");
}

#[test]
fn a_backup_restores_on_another_phone_with_the_recovery_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let phone_a = dir.path().join("a");
    let phone_b = dir.path().join("b");
    let a = open(Some(&phone_a));
    let recovery = a.vault().init(Some(PIN), Some(&provider())).unwrap();
    a.dossier().load_demo().unwrap();
    let uscc = a.dossier().current().unwrap().company.uscc;
    let material = a.dossier().materials(&uscc).unwrap()[0].id;
    let seal = a.vault().create_seal(&uscc).unwrap();
    let docs: Vec<_> = (0..4)
        .map(|i| a.vault().add(&format!("文件{i}.pdf"), "application/pdf", &content(i * CHUNK + i, i as u32)).unwrap())
        .collect();
    a.vault().link_material(&docs[1].id, material).unwrap();
    let backup = dir.path().join("vault.zsvb");
    let made = a.vault().backup(&backup).unwrap();
    assert_eq!((made.documents, made.seals), (4, 1));
    assert_eq!(made.bytes, fs::metadata(&backup).unwrap().len());
    let export = a.dossier().export_json(&uscc).unwrap();

    // A tampered or cut backup does not restore, and leaves no trace.
    let bytes = fs::read(&backup).unwrap();
    let b = open(Some(&phone_b));
    b.dossier().import_json(&export).unwrap();
    for (what, broken) in [
        ("flipped", {
            let mut x = bytes.clone();
            let at = x.len() / 2;
            x[at] ^= 4;
            x
        }),
        ("cut", bytes[..bytes.len() - 20].to_vec()),
        ("extended", [bytes.as_slice(), b"x"].concat()),
    ] {
        let path = dir.path().join(format!("{what}.zsvb"));
        fs::write(&path, broken).unwrap();
        let err = b.vault().restore(&path, &recovery, "778899").unwrap_err();
        assert_eq!(err.code(), "corrupt", "{what}: {err}");
        assert!(!b.vault().status().unwrap().set_up, "{what}");
    }
    assert!(all_files(&phone_b).iter().all(|f| !f.to_string_lossy().ends_with(".zsv")), "no leftovers");
    let stranger = zhuanshu::vault::RecoveryKey::generate().unwrap().display();
    assert_eq!(b.vault().restore(&backup, &stranger, "778899").unwrap_err().code(), "wrong_recovery_key");

    // The real one.
    let restored = b.vault().restore(&backup, &recovery, "778899").unwrap();
    assert_eq!((restored.documents, restored.seals, restored.seals_skipped.len()), (4, 1, 0));
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(b.vault().read(&doc.id).unwrap(), content(i * CHUNK + i, i as u32));
        assert_eq!(b.vault().document(&doc.id).unwrap().name, format!("文件{i}.pdf"));
    }
    // The imported dossier's material link points at the restored document.
    let material_b = b.dossier().materials(&uscc).unwrap()[0].id;
    assert_eq!(b.vault().document(&docs[1].id).unwrap().material_ids, vec![material_b]);
    assert_eq!(b.vault().seal_info(&uscc).unwrap().unwrap().fingerprint, seal.fingerprint);
    b.vault().lock();
    b.vault().unlock_with_pin("778899").unwrap();
    assert!(!b.vault().status().unwrap().has_key_provider, "the old phone's key store does not travel");
    assert_eq!(b.vault().restore(&backup, &recovery, "778899").unwrap_err().code(), "invalid_input");
}

/// A package's entries, in archive order.
fn unpack(pkg: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(pkg)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn le16(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

fn put32(b: &mut [u8], at: usize, v: usize) {
    b[at..at + 4].copy_from_slice(&(v as u32).to_le_bytes());
}

/// Where the end record (the last 22 bytes) says the central directory is: (offset, size).
fn central_directory(pkg: &[u8]) -> (usize, usize) {
    let end = pkg.len() - 22;
    (le32(pkg, end + 16), le32(pkg, end + 12))
}

/// A stored local entry, header, name and bytes: what a forger slips into a package.
fn local_entry(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = b"PK\x03\x04".to_vec();
    for v in [20u16, 0x0800, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [crc32(bytes), bytes.len() as u32, bytes.len() as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(bytes);
    out
}

/// What a streaming reader (Java's ZipInputStream on Android, `unzip` from a pipe) sees: the local
/// entries from the first byte on, until something else comes.
fn streamed(pkg: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut at = 0;
    let mut entries = Vec::new();
    while pkg.len() >= at + 30 && pkg[at..at + 4] == *b"PK\x03\x04" {
        let (size, name_len, extra_len) = (le32(pkg, at + 18), le16(pkg, at + 26), le16(pkg, at + 28));
        let name = String::from_utf8_lossy(&pkg[at + 30..at + 30 + name_len]).into_owned();
        let data = at + 30 + name_len + extra_len;
        entries.push((name, pkg[data..data + size].to_vec()));
        at = data + size;
    }
    entries
}

/// An end record with no comment.
fn end_record(entries: usize, cd_size: usize, cd_offset: usize) -> Vec<u8> {
    let mut out = b"PK\x05\x06".to_vec();
    for v in [0u16, 0, entries as u16, entries as u16] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [cd_size as u32, cd_offset as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A ZIP with `entries` as given, repeated names included (the zip crate refuses to write those): each
/// entry stored, then the central directory, by hand.
fn repack_allowing_duplicates(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, bytes) in entries {
        let (offset, crc, len, n) = (out.len() as u32, crc32(bytes), bytes.len() as u32, name.len() as u16);
        out.extend_from_slice(b"PK\x03\x04");
        for v in [20u16, 0x0800, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(bytes);
        central.extend_from_slice(b"PK\x01\x02");
        for v in [20u16, 20, 0x0800, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, len, len] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [n, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, size, count) = (out.len() as u32, central.len() as u32, entries.len() as u16);
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A well-formed ZIP of `entries` (what someone who edits a package and zips it again produces).
fn repack(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn seal_packages_verify_and_every_kind_of_tampering_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = fresh(None);
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let v = app.vault();
    assert_eq!(v.seal_info(&uscc).unwrap(), None);
    let seal = v.create_seal(&uscc).unwrap();
    assert_eq!(v.create_seal(&uscc).unwrap_err().code(), "already_exists");
    let licence = v.add("营业执照.jpg", "image/jpeg", &content(CHUNK + 10, 5)).unwrap();
    let same_name = v.add("营业执照.jpg", "image/jpeg", b"second scan").unwrap();
    let contract = v.add("租赁合同.pdf", "application/pdf", b"%PDF-1.7 lease").unwrap();
    let ids = vec![licence.id.clone(), same_name.id.clone(), contract.id.clone()];
    let pkg = dir.path().join("材料.zip");
    let summary = v.sign_package(&uscc, &ids, &pkg).unwrap();
    assert_eq!(summary.signer.fingerprint, seal.fingerprint);
    assert_eq!(summary.path.as_deref(), Some(pkg.to_str().unwrap()));
    let names: Vec<&str> = summary.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["营业执照.jpg", "营业执照 (2).jpg", "租赁合同.pdf"]);
    let bytes = fs::read(&pkg).unwrap();
    assert_eq!(summary.bytes, bytes.len() as u64);
    let entries = unpack(&bytes);
    let entry_names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        entry_names,
        ["files/营业执照.jpg", "files/营业执照 (2).jpg", "files/租赁合同.pdf", "manifest.json", "signature.json"],
        "an ordinary ZIP any computer opens"
    );
    assert_eq!(entries[0].1, content(CHUNK + 10, 5));
    assert_eq!(v.sign_package(&uscc, &ids, &pkg).unwrap_err().code(), "invalid_input", "never overwrites");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");

    let report = v.verify_package(&pkg, &[]).unwrap();
    assert!(report.valid, "{:?}", report.problems);
    assert_eq!(report.verified_files.len(), 3);

    // Every entry's size and checksum are in its local header (no data descriptor, general purpose bit
    // 3): readers that stream a ZIP front to back, like Java's ZipInputStream, need them there.
    let mut at = 0;
    let mut local_headers = 0;
    while let Some(p) = bytes[at..].windows(4).position(|w| w == b"PK\x03\x04") {
        let flags = u16::from_le_bytes([bytes[at + p + 6], bytes[at + p + 7]]);
        assert_eq!(flags & 0x08, 0, "no data descriptor");
        local_headers += 1;
        at += p + 30;
    }
    assert_eq!(local_headers, 5);

    // The same package built in memory (the browser's download) verifies from memory.
    let mut streamed = std::io::Cursor::new(Vec::new());
    let summary = v.sign_package_to(&uscc, &ids[2..], &mut streamed).unwrap();
    let streamed = streamed.into_inner();
    assert_eq!((summary.path, summary.bytes), (None, streamed.len() as u64));
    assert!(v.verify_package_bytes(&streamed, &[]).unwrap().valid);

    // A stranger's app does not know the key, unless told its fingerprint (and whose it is). The message
    // shows the whole fingerprint, in groups of four, as it is read aloud.
    let stranger = open(None);
    let report = stranger.vault().verify_package(&pkg, &[]).unwrap();
    let kinds: Vec<ProblemKind> = report.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::UnknownKey]);
    let grouped = zhuanshu::vault::seal::grouped_fingerprint(&seal.fingerprint);
    assert_eq!(grouped.len(), 64 + 15);
    assert!(report.problems[0].user_message.contains(&grouped), "{}", report.problems[0].user_message);
    let spaced = TrustedSeal { uscc: uscc.to_lowercase(), fingerprint: grouped.to_uppercase() };
    assert!(stranger.vault().verify_package(&pkg, &[spaced]).unwrap().valid);

    // Tampering, each named with its file.
    let kinds_of = |bytes: &[u8]| -> Vec<(ProblemKind, Option<String>)> {
        v.verify_package_bytes(bytes, &[]).unwrap().problems.into_iter().map(|p| (p.kind, p.file)).collect()
    };
    let edited = |f: &dyn Fn(&mut Vec<(String, Vec<u8>)>)| {
        let mut e = entries.clone();
        f(&mut e);
        repack(&e)
    };

    let changed = edited(&|e| {
        e[2].1[3] ^= 1;
        e.remove(1);
        e.push(("files/extra.txt".into(), b"not sealed".to_vec()));
    });
    let report = v.verify_package_bytes(&changed, &[]).unwrap();
    assert!(!report.valid);
    assert_eq!(
        kinds_of(&changed),
        [
            (ProblemKind::FileMissing, Some("营业执照 (2).jpg".into())),
            (ProblemKind::HashMismatch, Some("租赁合同.pdf".into())),
            (ProblemKind::UnexpectedFile, Some("extra.txt".into())),
        ]
    );
    assert!(report.problems[1].user_message.contains("租赁合同.pdf"));

    // A byte changed in the file itself, the ZIP's checksum left stale: caught all the same.
    let mut flipped = bytes.clone();
    let at = flipped.windows(8).position(|w| w == b"%PDF-1.7").unwrap();
    flipped[at + 3] ^= 1;
    assert_eq!(kinds_of(&flipped), [(ProblemKind::HashMismatch, Some("租赁合同.pdf".into()))]);

    let resigned = edited(&|e| {
        let manifest = String::from_utf8(e[3].1.clone()).unwrap();
        e[3].1 = manifest.replace("租赁合同.pdf", "租赁合同2.pdf").into_bytes();
        e[2].0 = "files/租赁合同2.pdf".into();
    });
    assert_eq!(kinds_of(&resigned), [(ProblemKind::BadSignature, None)]);

    let no_sig = edited(&|e| drop(e.pop()));
    assert_eq!(kinds_of(&no_sig), [(ProblemKind::MissingSignature, None)]);

    assert_eq!(kinds_of(&repack(&[])), [(ProblemKind::MissingManifest, None)]);

    // A forged copy of a signed file placed before the genuine one under the same name: some readers show
    // the first, the signature covers the last. Refused; so are names that differ only in case.
    let mut forged = vec![("files/租赁合同.pdf".to_owned(), b"%PDF-1.7 forged".to_vec())];
    forged.extend(entries.iter().cloned());
    let forged = repack_allowing_duplicates(&forged);
    let report = v.verify_package_bytes(&forged, &[]).unwrap();
    assert!(!report.valid);
    assert!(report.problems.iter().any(|p| p.kind == ProblemKind::DuplicateEntry), "{:?}", report.problems);
    let cased = edited(&|e| e.push(("files/营业执照.JPG".into(), b"other".to_vec())));
    let kinds: Vec<ProblemKind> =
        v.verify_package_bytes(&cased, &[]).unwrap().problems.iter().map(|p| p.kind).collect();
    assert!(kinds.contains(&ProblemKind::DuplicateEntry), "{kinds:?}");
    let not_zip = v.verify_package_bytes(b"%PDF-1.7 not a package", &[]).unwrap_err();
    assert_eq!(not_zip.code(), "bad_format");
    assert_eq!(v.verify_package_bytes(&bytes[..bytes.len() / 2], &[]).unwrap_err().code(), "bad_format", "cut off");
}

#[test]
fn seal_packages_whose_zip_layout_was_forged_are_refused_whole() {
    let (app, _) = fresh(None);
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let v = app.vault();
    v.create_seal(&uscc).unwrap();
    let contract = v.add("contract.txt", "text/plain", b"rent: 1000 yuan a month").unwrap();
    let scan = v.add("scan.jpg", "image/jpeg", &content(3000, 9)).unwrap();
    let mut genuine = std::io::Cursor::new(Vec::new());
    v.sign_package_to(&uscc, &[contract.id, scan.id], &mut genuine).unwrap();
    let genuine = genuine.into_inner();
    let report = v.verify_package_bytes(&genuine, &[]).unwrap();
    assert!(report.valid, "{:?}", report.problems);
    assert_eq!(streamed(&genuine), unpack(&genuine), "both kinds of reader see the same package");

    let forgery = local_entry("files/contract.txt", b"rent: 9000 yuan a month");
    let (cd, cd_len) = central_directory(&genuine);
    assert_eq!(cd + cd_len + 22, genuine.len());

    // (a) A forged entry between the last entry and the central directory (the end record's offset moved).
    let mut inserted = genuine[..cd].to_vec();
    inserted.extend_from_slice(&forgery);
    inserted.extend_from_slice(&genuine[cd..]);
    let end = inserted.len() - 22;
    put32(&mut inserted, end + 16, cd + forgery.len());
    // (b) The same before the first entry: as is, and with every offset moved to match.
    let mut prepended = forgery.clone();
    prepended.extend_from_slice(&genuine);
    let mut shifted = prepended.clone();
    let mut record = cd + forgery.len();
    while shifted[record..record + 4] == *b"PK\x01\x02" {
        let offset = le32(&shifted, record + 42);
        put32(&mut shifted, record + 42, offset + forgery.len());
        record += 46 + le16(&shifted, record + 28) + le16(&shifted, record + 30) + le16(&shifted, record + 32);
    }
    let end = shifted.len() - 22;
    put32(&mut shifted, end + 16, cd + forgery.len());
    // (c) The genuine entry renamed in its local header only.
    let mut renamed = genuine.clone();
    let at = renamed.windows(18).position(|w| w == b"files/contract.txt").unwrap();
    renamed[at + 6..at + 14].copy_from_slice(b"contrakt");

    // The forgeries are real: a reader that goes by the central directory sees the signed files, one that
    // streams the local headers sees the forgery (Android's ZipInputStream would unpack it over the
    // genuine contract, or beside it).
    for forged in [&inserted, &shifted] {
        assert_eq!(unpack(forged), unpack(&genuine));
    }
    let forged_file = ("files/contract.txt".to_owned(), b"rent: 9000 yuan a month".to_vec());
    assert_eq!(streamed(&inserted).last(), Some(&forged_file));
    assert_eq!(streamed(&prepended).first(), Some(&forged_file));
    assert_eq!(streamed(&shifted).first(), Some(&forged_file));
    assert!(streamed(&renamed).iter().any(|(name, _)| name == "files/contrakt.txt"));

    // Overlapping entries: the central directory lists the first entry 1,000 times (the hashing would
    // read its bytes 1,000 times), and 30,000 times.
    let first = 46 + le16(&genuine, cd + 28) + le16(&genuine, cd + 30) + le16(&genuine, cd + 32);
    let repeated = |n: usize| {
        let mut out = genuine[..cd].to_vec();
        for _ in 0..n {
            out.extend_from_slice(&genuine[cd..cd + first]);
        }
        out.extend_from_slice(&end_record(n, n * first, cd));
        out
    };
    // Two entries over the same bytes: the second record points into the first entry.
    let mut overlapping = genuine.clone();
    put32(&mut overlapping, cd + first + 42, 0);
    // A comment after the end record, and bytes appended.
    let mut commented = genuine.clone();
    let n = commented.len();
    commented[n - 2] = 4;
    commented.extend_from_slice(b"note");
    let mut trailing = genuine.clone();
    trailing.extend_from_slice(&forgery);

    let cases: [(&str, &[u8]); 9] = [
        ("inserted before the central directory", &inserted),
        ("prepended", &prepended),
        ("prepended, offsets moved", &shifted),
        ("renamed in the local header", &renamed),
        ("one entry listed 1,000 times", &repeated(1000)),
        ("one entry listed 30,000 times", &repeated(30_000)),
        ("overlapping entries", &overlapping),
        ("a comment", &commented),
        ("trailing bytes", &trailing),
    ];
    for (what, bytes) in cases {
        let report = v.verify_package_bytes(bytes, &[]).unwrap();
        let kinds: Vec<ProblemKind> = report.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::ForgedLayout], "{what}");
        assert!(!report.valid && report.signer.is_none() && report.verified_files.is_empty(), "{what}");
        assert!(report.problems[0].user_message.contains("文件包结构异常"), "{what}");
    }
    assert!(v.verify_package_bytes(&genuine, &[]).unwrap().valid, "the genuine package still verifies");
}

#[test]
fn a_seal_is_trusted_for_its_own_company_only() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = fresh(Some(dir.path()));
    let companies = app.dossier().load_demo().unwrap();
    let (x, y) = (companies[0].company.uscc.clone(), companies[1].company.uscc.clone());
    let v = app.vault();
    let seal = v.create_seal(&x).unwrap();
    let doc = v.add("租赁合同.pdf", "application/pdf", b"%PDF-1.7 lease").unwrap();
    let sign = |uscc: &str| {
        let mut out = std::io::Cursor::new(Vec::new());
        v.sign_package_to(uscc, std::slice::from_ref(&doc.id), &mut out).map(|_| out.into_inner())
    };
    let pkg = sign(&x).unwrap();
    let kinds = |app: &Zhuanshu, bytes: &[u8], trusted: &[TrustedSeal]| -> Vec<ProblemKind> {
        app.vault().verify_package_bytes(bytes, trusted).unwrap().problems.iter().map(|p| p.kind).collect()
    };

    // This app trusts its own seal, for its own company, while the vault is unlocked (the stored public
    // key is checked against the sealed private key, which needs the data key).
    let own = TrustedSeal { uscc: x.clone(), fingerprint: seal.fingerprint.clone() };
    assert_eq!(v.trusted_seals(&[]).unwrap(), [own.clone()]);
    assert!(kinds(&app, &pkg, &[]).is_empty());
    v.lock();
    assert!(v.trusted_seals(&[]).unwrap().is_empty());
    assert_eq!(kinds(&app, &pkg, &[]), [ProblemKind::UnknownKey]);
    v.unlock_with_provider(&provider()).unwrap();

    // A recipient who has X's key as X's accepts X's package; one who has it as another company's does not.
    let stranger = open(None);
    assert!(kinds(&stranger, &pkg, std::slice::from_ref(&own)).is_empty());
    let as_y = TrustedSeal { uscc: y.clone(), fingerprint: seal.fingerprint.clone() };
    assert_eq!(kinds(&stranger, &pkg, &[as_y]), [ProblemKind::SignerMismatch]);

    // X's key signing as Y: its seal row moved to Y in the database. The signature is valid and the key
    // trusted, but not for Y.
    let db = rusqlite::Connection::open(dir.path().join("zhuanshu.db")).unwrap();
    db.execute("UPDATE seal_keys SET uscc = ?1 WHERE uscc = ?2", [&y, &x]).unwrap();
    let as_other = sign(&y).unwrap();
    let report = stranger.vault().verify_package_bytes(&as_other, std::slice::from_ref(&own)).unwrap();
    assert_eq!(report.signer.as_ref().map(|s| s.uscc.as_str()), Some(y.as_str()));
    let problems: Vec<ProblemKind> = report.problems.iter().map(|p| p.kind).collect();
    assert_eq!(problems, [ProblemKind::SignerMismatch]);
    let message = &report.problems[0].user_message;
    assert!(message.contains(&x) && message.contains(&y), "{message}");
    assert!(!report.valid);

    // A public key written into the database: not trusted, and not signed with.
    db.execute("UPDATE seal_keys SET public_key = ?1", [vec![7u8; 32]]).unwrap();
    assert!(v.trusted_seals(&[]).unwrap().is_empty());
    assert_eq!(sign(&y).unwrap_err().code(), "corrupt");
}

// ---- the crash harness ----

/// Documents the harness writes in all, across every killed and restarted child.
const CRASH_WRITES: usize = 1000;
const CHILD_ENV: &str = "ZHUANSHU_VAULT_CRASH_CHILD";

fn crash_content(n: usize) -> Vec<u8> {
    // Mostly small, sometimes several chunks, so kills land inside chunk writes too.
    let len = match n % 10 {
        0 => 3 * CHUNK + n,
        1..=3 => CHUNK + n % 97,
        _ => 200 + (n * 7919) % 6000,
    };
    content(len, n as u32)
}

/// The child: writes documents `crash-<n>` from where the last child stopped, deleting every tenth one
/// again, and prints a line after each action returns. It is killed at random moments.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    use std::io::Write;
    let app =
        Zhuanshu::open(Config { data_dir: Some(dir.into()), clock: Clock::System, ..Default::default() }).unwrap();
    let v = app.vault();
    if !v.status().unwrap().set_up {
        v.init(None, Some(&provider())).unwrap();
    } else {
        v.unlock_with_provider(&provider()).unwrap();
    }
    v.set_auto_lock(0).unwrap();
    let mut out = std::io::stdout().lock();
    // libtest has printed "test crash_child ... " without a line end: start a fresh line.
    writeln!(out).unwrap();
    let mut next = 0;
    for doc in v.documents().unwrap() {
        let Some(n) = doc.name.strip_prefix("crash-").and_then(|n| n.parse::<usize>().ok()) else { continue };
        next = next.max(n + 1);
        // Finish what the last child was killed in the middle of.
        if n % 10 == 9 {
            v.remove(&doc.id).unwrap();
            writeln!(out, "REMOVED {n} {}", doc.id).unwrap();
        }
    }
    writeln!(out, "READY").unwrap();
    out.flush().unwrap();
    while next < CRASH_WRITES {
        let doc = v.add(&format!("crash-{next}"), "application/octet-stream", &crash_content(next)).unwrap();
        writeln!(out, "ADDED {next} {}", doc.id).unwrap();
        out.flush().unwrap();
        if next % 10 == 9 {
            v.remove(&doc.id).unwrap();
            writeln!(out, "REMOVED {next} {}", doc.id).unwrap();
            out.flush().unwrap();
        }
        next += 1;
    }
    writeln!(out, "DONE").unwrap();
}

enum Line {
    Ready,
    Done,
    Other,
}

/// Takes note of one line of the child's report.
fn record(
    line: &str,
    added: &mut std::collections::BTreeMap<usize, String>,
    removed: &mut std::collections::BTreeSet<usize>,
) -> Line {
    let parts: Vec<&str> = line.split_whitespace().collect();
    match parts.as_slice() {
        ["READY"] => return Line::Ready,
        ["DONE"] => return Line::Done,
        ["ADDED", n, id] => {
            added.insert(n.parse().unwrap(), (*id).to_owned());
        }
        ["REMOVED", n, _] => {
            removed.insert(n.parse().unwrap());
        }
        _ => {}
    }
    Line::Other
}

#[cfg(unix)]
#[test]
fn a_writer_killed_at_random_moments_leaves_only_whole_documents() {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::sync::mpsc;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let started = std::time::Instant::now();
    // A small xorshift: random, but the same run for the same seed.
    let mut seed: u64 = std::env::var("ZHUANSHU_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_cafe);
    let mut random = move |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    let mut added: BTreeMap<usize, String> = BTreeMap::new();
    let mut removed: BTreeSet<usize> = BTreeSet::new();
    let (mut kills, mut done) = (0, false);
    // What the kills left for the next start to clean up: evidence that they landed mid-write.
    let mut temp_left = 0;
    let mut unreported: BTreeSet<String> = BTreeSet::new();
    while !done {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until it is ready to write, let it write for a random while, then SIGKILL it: with a few
        // milliseconds per write, the kill lands anywhere in a write (sealing, fsync, rename, the row).
        let mut deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            let Ok(line) = rx.recv_timeout(left) else { break };
            match record(&line, &mut added, &mut removed) {
                Line::Ready => deadline = std::time::Instant::now() + std::time::Duration::from_millis(random(40)),
                Line::Done => {
                    done = true;
                    break;
                }
                Line::Other => {}
            }
        }
        if !done {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        // Lines the child printed before it died are still facts (it prints only after an action returned).
        for line in rx.try_iter() {
            if let Line::Done = record(&line, &mut added, &mut removed) {
                done = true;
            }
        }
        reader.join().unwrap();
        if !done && let Ok(entries) = fs::read_dir(data.join("vault")) {
            let known: BTreeSet<&String> = added.values().collect();
            for name in entries.map(|e| e.unwrap().file_name().into_string().unwrap()) {
                if name.ends_with(".tmp") {
                    temp_left += 1;
                } else if let Some(id) = name.strip_suffix(".zsv")
                    && !known.contains(&id.to_owned())
                {
                    unreported.insert(id.to_owned());
                }
            }
        }
        assert!(started.elapsed().as_secs() < 300, "the harness is taking too long");
    }

    // Opening sweeps what the last kill left; then every committed document opens whole, every removed
    // one is gone, and every file belongs to a row.
    let app =
        Zhuanshu::open(Config { data_dir: Some(data.clone()), clock: Clock::System, ..Default::default() }).unwrap();
    let v = app.vault();
    v.unlock_with_provider(&provider()).unwrap();
    let docs = v.documents().unwrap();
    let mut names = BTreeSet::new();
    for doc in &docs {
        let n: usize = doc.name.strip_prefix("crash-").unwrap().parse().unwrap();
        assert!(names.insert(n), "crash-{n} twice");
        assert_eq!(v.read(&doc.id).unwrap(), crash_content(n), "crash-{n} is whole");
    }
    for (n, id) in &added {
        if removed.contains(n) {
            assert!(v.document(id).is_err(), "crash-{n} was removed");
        } else {
            assert!(names.contains(n), "crash-{n} was committed but is gone");
        }
    }
    assert_eq!(names.len(), CRASH_WRITES - CRASH_WRITES / 10, "all written, every tenth removed");
    let files: Vec<String> =
        fs::read_dir(data.join("vault")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(files.iter().all(|f| f.ends_with(".zsv")), "no temporary files: {files:?}");
    assert_eq!(files.len(), docs.len(), "one file per document, no orphans");
    println!(
        "crash harness: {CRASH_WRITES} writes, {kills} SIGKILLs ({temp_left} left a temporary file, \
         {} a file not yet reported), {} documents verified in {:.1} s",
        unreported.len(),
        docs.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(kills >= 30, "only {kills} kills: the harness did not exercise crashes");
}

#[test]
fn a_record_form_with_a_password_saves_nothing_while_the_vault_is_locked() {
    use zhuanshu::dossier::RecordForm;
    let (app, _) = fresh(None);
    app.dossier().load_demo().unwrap();
    let d = app.dossier();
    let uscc = d.current().unwrap().company.uscc;
    let before = d.records(&uscc).unwrap().len();
    let form = RecordForm {
        item_code: "310115-SCJG-0002".into(),
        item_name: "食品经营许可变更".into(),
        lookup_password: "Ab12cd".into(),
        ..d.record_form(None).unwrap()
    };
    app.vault().lock();
    assert_eq!(d.save_record(&uscc, None, &form).unwrap_err().code(), "vault_locked");
    assert_eq!(d.records(&uscc).unwrap().len(), before, "a locked vault leaves no record without its password");
    app.vault().unlock_with_provider(&provider()).unwrap();
    let saved = d.save_record(&uscc, None, &form).unwrap();
    assert_eq!(d.record_lookup_password(saved.id).unwrap().as_deref(), Some("Ab12cd"));
    // Editing with the password field empty keeps the password; the form never shows it.
    let mut edit = d.record_form(Some(saved.id)).unwrap();
    assert_eq!(edit.lookup_password, "");
    edit.item_name = "食品经营许可证变更".into();
    app.vault().lock();
    let edited = d.save_record(&uscc, Some(saved.id), &edit).unwrap();
    assert_eq!(edited.data.item_name, "食品经营许可证变更");
    app.vault().unlock_with_provider(&provider()).unwrap();
    assert_eq!(d.record_lookup_password(saved.id).unwrap().as_deref(), Some("Ab12cd"));
}

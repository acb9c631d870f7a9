//! The vault's keys against an attacker who copies the app's files or moves its clocks: a PIN that
//! needs the device it was set on, a recovery key whose rotation shuts out the old one (and scrubs its
//! wrappings), and lockouts that only the real clock moves.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use zhuanshu::vault::{Device, FileDeviceSecret, MemoryKeyProvider};
use zhuanshu::{Clock, Config, Error, Zhuanshu};
use zhuanshu_scenarios::{all_files, contains};

const PIN: &str = "246810";

fn t0() -> NaiveDateTime {
    "2026-11-21T09:00:00".parse().unwrap()
}

/// A device's key store: the CLI's key file, one per "device" under the system's temp directory.
fn device(seed: u8) -> Device {
    let dir = std::env::temp_dir().join(format!("zhuanshu-test-device-{}-{seed}", std::process::id()));
    Device::Secret(Arc::new(FileDeviceSecret::open(&dir.join("device.key")).unwrap()))
}

fn open_with(dir: &Path, device: Option<Device>, now: NaiveDateTime) -> Zhuanshu {
    Zhuanshu::open(Config {
        data_dir: Some(dir.into()),
        clock: Clock::Fixed(now),
        security_clock: Clock::Fixed(now),
        device,
    })
    .unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The wrapped bytes of one key slot, read straight from the database as an attacker would.
fn slot_bytes(dir: &Path, slot: &str) -> Vec<u8> {
    let conn = rusqlite::Connection::open(dir.join("zhuanshu.db")).unwrap();
    conn.query_row("SELECT wrapped FROM vault_key_slots WHERE slot = ?1", [slot], |r| r.get(0)).unwrap()
}

/// How the PIN wrapping is bound to the device: 0 not, 1 by a fixed value (browser), 2 at every guess.
fn binding(dir: &Path) -> u8 {
    let conn = rusqlite::Connection::open(dir.join("zhuanshu.db")).unwrap();
    conn.query_row("SELECT device_binding FROM vault_key_slots WHERE slot = 'pin'", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_copied_database_does_not_give_the_pin_away_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, copy, bare) = (dir.path().join("phone"), dir.path().join("copy"), dir.path().join("bare"));
    let app = open_with(&phone, Some(device(1)), t0());
    let recovery = app.vault().init(Some(PIN), None).unwrap();
    let doc = app.vault().add("营业执照.jpg", "image/jpeg", b"scan").unwrap();
    drop(app);
    assert_eq!(binding(&phone), 2, "every guess needs the phone");
    copy_dir(&phone, &copy);
    copy_dir(&phone, &bare);

    // On another device the right PIN is just a wrong PIN: every guess needs the phone's key store.
    let elsewhere = open_with(&copy, Some(device(2)), t0());
    assert_eq!(elsewhere.vault().unlock_with_pin(PIN).unwrap_err().code(), "wrong_pin");
    // Without any device secret nothing is tried, nothing is counted, and the message says why.
    let nowhere = open_with(&bare, None, t0());
    let err = nowhere.vault().unlock_with_pin(PIN).unwrap_err();
    assert_eq!(err.code(), "device_unavailable");
    assert!(err.user_message().contains("恢复密钥"), "{}", err.user_message());
    assert_eq!(nowhere.vault().status().unwrap().failed_attempts, 0);
    // The recovery key still opens the copy (it is the owner's way to a new phone), and sets a PIN bound
    // to this device from then on.
    nowhere.vault().recover(&recovery, "135790").unwrap();
    assert_eq!(nowhere.vault().read(&doc.id).unwrap(), b"scan");
    assert_eq!(binding(&bare), 0, "no device secret here: the new PIN is the PIN alone");

    // The phone itself is unaffected.
    let home = open_with(&phone, Some(device(1)), t0());
    home.vault().unlock_with_pin(PIN).unwrap();
    assert_eq!(home.vault().read(&doc.id).unwrap(), b"scan");
}

#[test]
fn a_pin_set_before_the_device_secret_is_bound_at_the_next_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = open_with(dir.path(), None, t0());
    app.vault().init(Some(PIN), None).unwrap();
    drop(app);
    assert_eq!(binding(dir.path()), 0);
    let app = open_with(dir.path(), Some(device(1)), t0());
    app.vault().unlock_with_pin(PIN).unwrap();
    drop(app);
    assert_eq!(binding(dir.path()), 2, "rewrapped with the device secret");
    assert_eq!(
        open_with(dir.path(), None, t0()).vault().unlock_with_pin(PIN).unwrap_err().code(),
        "device_unavailable"
    );
    assert_eq!(
        open_with(dir.path(), Some(device(3)), t0()).vault().unlock_with_pin(PIN).unwrap_err().code(),
        "wrong_pin"
    );
    open_with(dir.path(), Some(device(1)), t0()).vault().unlock_with_pin(PIN).unwrap();
}

#[test]
fn the_browser_binds_the_pin_to_a_value_its_key_store_gave_once() {
    let dir = tempfile::tempdir().unwrap();
    let value = |b: u8| Some(Device::value(vec![b; 32]).unwrap());
    let app = open_with(dir.path(), value(1), t0());
    app.vault().init(Some(PIN), None).unwrap();
    drop(app);
    assert_eq!(binding(dir.path()), 1);
    open_with(dir.path(), value(1), t0()).vault().unlock_with_pin(PIN).unwrap();
    assert_eq!(open_with(dir.path(), value(2), t0()).vault().unlock_with_pin(PIN).unwrap_err().code(), "wrong_pin");
    let none = open_with(dir.path(), None, t0()).vault().unlock_with_pin(PIN).unwrap_err();
    assert_eq!(none.code(), "device_unavailable");
}

#[test]
fn a_new_recovery_key_shuts_out_the_old_one_and_scrubs_its_wrappings() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, other) = (dir.path().join("phone"), dir.path().join("other"));
    let app = open_with(&phone, Some(device(1)), t0());
    let old_recovery = app.vault().init(Some(PIN), Some(&MemoryKeyProvider::new(&[9; 32]).unwrap())).unwrap();
    app.dossier().load_demo().unwrap();
    let uscc = app.dossier().current().unwrap().company.uscc;
    let record = app.dossier().records(&uscc).unwrap()[0].id;
    app.dossier().set_record_lookup_password(record, Some("查询密码123".into())).unwrap();
    let seal = app.vault().create_seal(&uscc).unwrap();
    let before = app.vault().add("营业执照.jpg", "image/jpeg", b"before").unwrap();
    let old_backup = dir.path().join("old.zsvb");
    app.vault().backup(&old_backup).unwrap();
    let (old_recovery_wrap, old_pin_wrap) = (slot_bytes(&phone, "recovery"), slot_bytes(&phone, "pin"));

    // The PIN is needed (a rotation remakes the PIN's wrapping), and a wrong one is an attempt.
    assert_eq!(app.vault().new_recovery_key(None, None).unwrap_err().code(), "invalid_input");
    assert_eq!(app.vault().new_recovery_key(Some("999999"), None).unwrap_err().code(), "wrong_pin");
    let new_recovery = app.vault().new_recovery_key(Some(PIN), None).unwrap();
    assert_ne!(new_recovery, old_recovery);
    let status = app.vault().status().unwrap();
    assert!(status.unlocked && status.has_pin && status.has_recovery_key);
    assert!(!status.has_key_provider, "the platform wrapping is removed unless remade with the provider");
    // Everything sealed before still opens under the new data key.
    assert_eq!(app.vault().read(&before.id).unwrap(), b"before");
    assert_eq!(app.vault().document(&before.id).unwrap().name, "营业执照.jpg");
    assert_eq!(app.dossier().record_lookup_password(record).unwrap().as_deref(), Some("查询密码123"));
    let after = app.vault().add("合同.pdf", "application/pdf", b"after").unwrap();
    let pkg = dir.path().join("pkg.zip");
    let signed = app.vault().sign_package(&uscc, &[before.id.clone(), after.id.clone()], &pkg).unwrap();
    assert_eq!(signed.signer.fingerprint, seal.fingerprint, "the seal key itself is kept, only rewrapped");
    let new_backup = dir.path().join("new.zsvb");
    app.vault().backup(&new_backup).unwrap();
    drop(app);

    // The old wrappings are gone from every file of the data directory (database and its log).
    let files = all_files(&phone);
    for (what, needle) in [("recovery", &old_recovery_wrap), ("pin", &old_pin_wrap)] {
        for file in &files {
            assert!(!contains(&fs::read(file).unwrap(), needle), "the old {what} wrapping survives in {file:?}");
        }
    }

    // The old recovery key opens neither the vault nor the new backup; the new key opens both.
    let app = open_with(&phone, Some(device(1)), t0());
    assert_eq!(app.vault().recover(&old_recovery, "112233").unwrap_err().code(), "wrong_recovery_key");
    let b = open_with(&other, Some(device(2)), t0());
    assert_eq!(b.vault().restore(&new_backup, &old_recovery, "112233").unwrap_err().code(), "wrong_recovery_key");
    b.vault().restore(&new_backup, &new_recovery, "112233").unwrap();
    assert_eq!(b.vault().read(&after.id).unwrap(), b"after");
    assert_eq!(b.vault().read(&before.id).unwrap(), b"before");
    // A backup made before the rotation is what it was: the old key opens it (the note says to destroy it).
    let c = open_with(&dir.path().join("third"), None, t0());
    c.vault().restore(&old_backup, &old_recovery, "112233").unwrap();
    assert!(c.vault().read(&after.id).is_err(), "the old backup does not hold what came later");
}

#[test]
fn a_planning_date_never_moves_the_lockout() {
    let dir = tempfile::tempdir().unwrap();
    // The planning clock is pinned far ahead (`--today 2030-01-01`, `?now=`); the security clock is real.
    let at = |planning: &str| {
        Zhuanshu::open(Config {
            data_dir: Some(dir.path().into()),
            clock: Clock::Fixed(planning.parse().unwrap()),
            ..Default::default()
        })
        .unwrap()
    };
    at("2026-11-21T09:00:00").vault().init(Some(PIN), None).unwrap();
    for (i, day) in ["2030-01-01", "2030-01-02", "2030-01-03"].into_iter().enumerate() {
        let app = at(&format!("{day}T09:00:00"));
        assert_eq!(app.vault().unlock_with_pin("000000").unwrap_err().code(), "wrong_pin", "attempt {i}");
    }
    // Ten planning days later the wait still holds, and it is measured on the real clock (30 s), not
    // from 2030.
    let app = at("2030-01-13T09:00:00");
    match app.vault().unlock_with_pin(PIN).unwrap_err() {
        Error::TooManyAttempts { wait_seconds, retry_after } => {
            assert!((1..=30).contains(&wait_seconds), "{wait_seconds}");
            assert!(retry_after < "2027-01-01T00:00:00".parse().unwrap(), "{retry_after}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_clock_set_back_does_not_reset_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    open_with(d, None, t0()).vault().init(Some(PIN), None).unwrap();
    let app = open_with(d, None, t0());
    for _ in 0..3 {
        assert_eq!(app.vault().unlock_with_pin("000000").unwrap_err().code(), "wrong_pin");
    }
    let app = open_with(d, None, t0() + Duration::seconds(31));
    assert_eq!(app.vault().unlock_with_pin("000000").unwrap_err().code(), "wrong_pin");
    drop(app);
    // Four failures: a 60 s wait. The device clock is set back a day: the wait is not over, and it is the
    // ordinary wait from the new "now", not a day and a minute.
    let back = t0() - Duration::days(1);
    match open_with(d, None, back).vault().unlock_with_pin(PIN).unwrap_err() {
        Error::TooManyAttempts { wait_seconds, .. } => assert_eq!(wait_seconds, 60),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        open_with(d, None, back + Duration::seconds(59)).vault().unlock_with_pin(PIN).unwrap_err().code(),
        "too_many_attempts"
    );
    open_with(d, None, back + Duration::seconds(60)).vault().unlock_with_pin(PIN).unwrap();
}

#[cfg(unix)]
#[test]
fn the_data_is_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let app = open_with(&data, None, t0());
    app.vault().init(None, Some(&MemoryKeyProvider::new(&[9; 32]).unwrap())).unwrap();
    app.vault().add("营业执照.jpg", "image/jpeg", b"scan").unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("vault")), 0o700);
    for file in all_files(&data) {
        assert_eq!(mode(&file), 0o600, "{file:?}");
    }
    drop(app);
    // A directory made readable by an older version (or by hand) is narrowed when the app opens it.
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(data.join("zhuanshu.db"), fs::Permissions::from_mode(0o644)).unwrap();
    drop(open_with(&data, None, t0()));
    assert_eq!((mode(&data), mode(&data.join("zhuanshu.db"))), (0o700, 0o600));
}

/// A key store that does not answer (busy, locked, reset) learns nothing about the PIN: the attempt is not
/// counted, and the owner is told why.
#[test]
fn a_device_that_does_not_answer_costs_no_attempt() {
    struct Busy;
    impl zhuanshu::vault::DeviceSecret for Busy {
        fn derive(&self, _: Vec<u8>) -> Result<Vec<u8>, zhuanshu::vault::KeyProviderError> {
            Err(zhuanshu::vault::KeyProviderError::Unavailable { reason: "the key store is busy".into() })
        }
    }
    let dir = tempfile::tempdir().unwrap();
    open_with(dir.path(), Some(device(7)), t0()).vault().init(Some(PIN), None).unwrap();
    let busy = open_with(dir.path(), Some(Device::Secret(Arc::new(Busy))), t0());
    for _ in 0..5 {
        assert_eq!(busy.vault().unlock_with_pin(PIN).unwrap_err().code(), "device_unavailable");
    }
    assert_eq!(busy.vault().status().unwrap().failed_attempts, 0);
    open_with(dir.path(), Some(device(7)), t0()).vault().unlock_with_pin(PIN).unwrap();
}

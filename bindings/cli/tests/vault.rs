//! `zhuanshu vault …` and `zhuanshu seal …` as a script uses them: real processes, secrets on standard
//! input (`--pin-stdin`), a real data directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PIN: &str = "246810";

fn zhuanshu_with(dir: &Path, args: &[&str], stdin: &str) -> Output {
    zhuanshu_in(None, dir, args, stdin)
}

/// The command run from the working directory `cwd` (for relative paths).
fn zhuanshu_in(cwd: Option<&Path>, dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhuanshu"));
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(dir)
        .args(["--today", "2026-11-21"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zhuanshu");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "stdout: {}\nstderr: {}", text(&o.stdout), text(&o.stderr));
    o
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)))
}

fn pin_line() -> String {
    format!("{PIN}\n")
}

#[test]
fn a_script_keeps_documents_in_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let work = dir.path();

    let needs_pin = zhuanshu_with(&d, &["vault", "init"], "");
    assert_eq!(needs_pin.status.code(), Some(1));
    assert!(text(&needs_pin.stderr).contains("--pin-stdin"), "{}", text(&needs_pin.stderr));

    let init = ok(zhuanshu_with(&d, &["--json", "vault", "init", "--pin-stdin"], &pin_line()));
    let recovery = json(&init)["recovery_key"].as_str().unwrap().to_owned();
    assert_eq!(recovery.len(), 39);
    let status = json(&ok(zhuanshu_with(&d, &["--json", "vault", "status"], "")));
    assert_eq!((status["set_up"].as_bool(), status["has_pin"].as_bool()), (Some(true), Some(true)));

    // add, list, cat, export, rm
    let scan = work.join("营业执照.jpg");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&scan, &bytes).unwrap();
    let added = ok(zhuanshu_with(&d, &["--json", "vault", "add", "--pin-stdin", scan.to_str().unwrap()], &pin_line()));
    let doc = json(&added);
    let id = doc["id"].as_str().unwrap().to_owned();
    assert_eq!((doc["name"].as_str(), doc["media_type"].as_str()), (Some("营业执照.jpg"), Some("image/jpeg")));
    let list = ok(zhuanshu_with(&d, &["vault", "list", "--pin-stdin"], &pin_line()));
    assert!(text(&list.stdout).contains("证照夹共 1 个文件") && text(&list.stdout).contains(&id));
    let cat = ok(zhuanshu_with(&d, &["vault", "cat", "--pin-stdin", &id], &pin_line()));
    assert_eq!(cat.stdout, bytes, "cat writes exactly the content");
    let target = work.join("out.jpg");
    ok(zhuanshu_with(&d, &["vault", "export", "--pin-stdin", &id, target.to_str().unwrap()], &pin_line()));
    assert_eq!(std::fs::read(&target).unwrap(), bytes);

    // A wrong PIN: a clear message, exit status 1.
    let wrong = zhuanshu_with(&d, &["vault", "list", "--pin-stdin"], "000000\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("PIN 码不正确（已连续错误 1 次）"), "{}", text(&wrong.stderr));

    // passwd: old, then new.
    ok(zhuanshu_with(&d, &["vault", "passwd", "--pin-stdin"], &format!("{PIN}\n13572468\n")));
    ok(zhuanshu_with(&d, &["vault", "unlock", "--pin-stdin"], "13572468\n"));
    let lock = ok(zhuanshu_with(&d, &["vault", "lock"], ""));
    assert!(text(&lock.stdout).contains("已锁定"));

    // backup, then restore on "another phone" with the recovery key and a new PIN.
    let backup = work.join("vault.zsvb");
    ok(zhuanshu_with(&d, &["vault", "backup", "--pin-stdin", backup.to_str().unwrap()], "13572468\n"));
    let other = work.join("other");
    let restored = ok(zhuanshu_with(
        &other,
        &["vault", "restore", "--pin-stdin", backup.to_str().unwrap()],
        &format!("{recovery}\n778899\n"),
    ));
    assert!(text(&restored.stdout).contains("已恢复 1 个文件"), "{}", text(&restored.stdout));
    let cat = ok(zhuanshu_with(&other, &["vault", "cat", "--pin-stdin", &id], "778899\n"));
    assert_eq!(cat.stdout, bytes);

    ok(zhuanshu_with(&d, &["vault", "rm", "--pin-stdin", &id], "13572468\n"));
    let gone = zhuanshu_with(&d, &["vault", "cat", "--pin-stdin", &id], "13572468\n");
    assert_eq!(gone.status.code(), Some(1));
    assert!(text(&gone.stderr).contains("找不到证照夹文件"), "{}", text(&gone.stderr));
}

#[test]
fn wrong_pins_make_the_next_command_wait() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(zhuanshu_with(d, &["vault", "init", "--pin-stdin"], &pin_line()));
    for _ in 0..3 {
        assert_eq!(zhuanshu_with(d, &["vault", "unlock", "--pin-stdin"], "111111\n").status.code(), Some(1));
    }
    // A new process, the right PIN: still refused until the stored wait is over.
    let waiting = zhuanshu_with(d, &["--json", "vault", "unlock", "--pin-stdin"], &pin_line());
    assert_eq!(waiting.status.code(), Some(1));
    let err = json(&waiting);
    assert_eq!(err["code"], "too_many_attempts");
    // The wait is on the real clock, not on the `--today` planning date.
    let message = err["user_message"].as_str().unwrap();
    assert!(
        message.starts_with("PIN 码错误次数过多，请在 30 秒后（")
            || message.starts_with("PIN 码错误次数过多，请在 29 秒后（"),
        "{message}"
    );
    let status = json(&ok(zhuanshu_with(d, &["--json", "vault", "status"], "")));
    assert_eq!(status["failed_attempts"], 3);
    assert_ne!(status["retry_after"], "2026-11-21T09:00:30", "measured from the --today date");
}

#[test]
fn a_signed_package_verifies_and_a_changed_one_fails_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    ok(zhuanshu_with(&d, &["demo"], ""));
    ok(zhuanshu_with(&d, &["vault", "init", "--pin-stdin"], &pin_line()));
    let file = dir.path().join("租赁合同.pdf");
    std::fs::write(&file, b"%PDF-1.7 lease contract").unwrap();
    let doc =
        json(&ok(zhuanshu_with(&d, &["--json", "vault", "add", "--pin-stdin", file.to_str().unwrap()], &pin_line())));
    let id = doc["id"].as_str().unwrap();
    let pkg = dir.path().join("材料.zip");
    let signed =
        ok(zhuanshu_with(&d, &["seal", "sign", "--pin-stdin", "--out", pkg.to_str().unwrap(), id], &pin_line()));
    assert!(text(&signed.stdout).contains("已盖章"), "{}", text(&signed.stdout));
    let shown = json(&ok(zhuanshu_with(&d, &["--json", "seal", "show"], "")));
    let fingerprint = shown["fingerprint"].as_str().unwrap().to_owned();
    let uscc = shown["uscc"].as_str().unwrap().to_owned();

    // The app's own seal is trusted once the vault is unlocked (its key is checked against the sealed one).
    let good = ok(zhuanshu_with(&d, &["seal", "verify", "--pin-stdin", pkg.to_str().unwrap()], &pin_line()));
    assert!(text(&good.stdout).contains("验证通过"), "{}", text(&good.stdout));
    let locked = zhuanshu_with(&d, &["seal", "verify", pkg.to_str().unwrap()], "");
    assert_eq!(locked.status.code(), Some(1));
    assert!(text(&locked.stdout).contains("--pin-stdin"), "{}", text(&locked.stdout));

    // A bare file name, relative to where the command runs (and a backup the same way).
    let here = Some(dir.path());
    ok(zhuanshu_in(here, &d, &["seal", "sign", "--pin-stdin", "--out", "相对.zip", id], &pin_line()));
    ok(zhuanshu_in(here, &d, &["seal", "verify", "--pin-stdin", "相对.zip"], &pin_line()));
    ok(zhuanshu_in(here, &d, &["vault", "backup", "--pin-stdin", "相对.zsvb"], &pin_line()));
    assert!(dir.path().join("相对.zsvb").is_file());

    // Another machine knows the seal by its fingerprint, bound to the company it belongs to.
    let elsewhere = dir.path().join("elsewhere");
    let unknown = zhuanshu_with(&elsewhere, &["--json", "seal", "verify", pkg.to_str().unwrap()], "");
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(json(&unknown)["problems"][0]["kind"], "unknown_key");
    let trust = format!("{uscc}:{fingerprint}");
    ok(zhuanshu_with(&elsewhere, &["seal", "verify", pkg.to_str().unwrap(), "--trust", &trust], ""));
    // The same key trusted as another company's: the package (which says it is this company's) fails.
    let other = format!("91110000MA0000000X:{fingerprint}");
    let mismatch =
        zhuanshu_with(&elsewhere, &["--json", "seal", "verify", pkg.to_str().unwrap(), "--trust", &other], "");
    assert_eq!(mismatch.status.code(), Some(1));
    assert_eq!(json(&mismatch)["problems"][0]["kind"], "signer_mismatch");
    // A bare fingerprint binds to no company: refused as input.
    let bare =
        zhuanshu_with(&elsewhere, &["--json", "seal", "verify", pkg.to_str().unwrap(), "--trust", &fingerprint], "");
    assert_eq!(bare.status.code(), Some(1));
    assert_eq!(json(&bare)["code"], "invalid_input");

    // One byte of the contract changed inside the ZIP.
    let mut bytes = std::fs::read(&pkg).unwrap();
    let at = bytes.windows(8).position(|w| w == b"%PDF-1.7").unwrap();
    bytes[at + 9] ^= 0x20;
    std::fs::write(&pkg, bytes).unwrap();
    let bad = zhuanshu_with(&d, &["seal", "verify", pkg.to_str().unwrap()], "");
    assert_eq!(bad.status.code(), Some(1));
    let out = text(&bad.stdout);
    assert!(out.contains("✗") && out.contains("租赁合同.pdf") && out.contains("验证未通过"), "{out}");
}

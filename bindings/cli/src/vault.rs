//! `zhuanshu vault …` and `zhuanshu seal …`: the vault (证照夹) and the enterprise seal (电子印章).
//!
//! Every command is a new process, and the CLI keeps no key on disk between them (that would be the
//! plaintext key the vault exists to avoid). So each command that needs the key asks for the PIN
//! itself: on the terminal without echo, or, with `--pin-stdin`, as the first line of standard input
//! (for scripts). `unlock` checks a PIN and reports the wait after wrong ones; `lock` only says that
//! nothing is kept. In the apps (FFI, wasm) the core keeps the key in memory between calls and locks it
//! after the idle time, as `unlock`/`lock` suggest.
//!
//! Secrets read from standard input, one per line, in this order:
//! - `init`: the new PIN;
//! - `passwd`: the old PIN, then the new one;
//! - `recover` and `restore`: the recovery key, then the new PIN;
//! - `rekey`: the PIN;
//! - every other command that needs the key: the PIN.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use zhuanshu::vault::seal::TrustedSeal;
use zhuanshu::vault::{DocumentInfo, PackageReport, ProblemKind, VaultStatus};
use zhuanshu::{Error, Zhuanshu};

use crate::{Output, company_key, out};

#[derive(Args)]
pub struct VaultArgs {
    /// Read the PIN (and other secrets) from standard input, one per line, instead of the terminal.
    #[arg(long, global = true)]
    pin_stdin: bool,
    #[command(subcommand)]
    cmd: VaultCmd,
}

#[derive(Subcommand)]
pub enum VaultCmd {
    /// Set the vault up with a PIN; prints the recovery key, once. Write it down.
    Init,
    /// Check the PIN (the CLI keeps no key between commands; see `zhuanshu vault --help`).
    Unlock,
    /// Nothing to do in the CLI: no key outlives a command.
    Lock,
    /// Whether the vault is set up, how to unlock it, the wait after wrong PINs.
    Status,
    /// Add a file (streamed, any size).
    Add {
        file: PathBuf,
        /// The name shown in the vault (default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// Media type, e.g. image/jpeg (default: guessed from the name).
        #[arg(long = "type")]
        media_type: Option<String>,
        /// Link it to this licence id (a scan of the licence).
        #[arg(long)]
        licence: Option<i64>,
        /// Link it to this material id (the material's document).
        #[arg(long)]
        material: Option<i64>,
    },
    List,
    /// Write a document's content to standard output.
    Cat {
        id: String,
    },
    /// Decrypt a document to a file (all or nothing).
    Export {
        id: String,
        out: PathBuf,
    },
    /// Delete a document (its file and its key).
    Rm {
        id: String,
    },
    /// Change the PIN (rewraps one key; no document is re-encrypted).
    Passwd,
    /// Forgot the PIN: unlock with the recovery key and set a new PIN.
    Recover,
    /// The recovery key was seen or lost: a new one, and a new data key (the old recovery key then
    /// opens nothing made from now on). Asks for the PIN.
    Rekey,
    /// Write the whole vault to one encrypted file (opens with the recovery key only).
    Backup {
        out: PathBuf,
    },
    /// Restore a backup onto a vault that is not set up yet (recovery key, then a new PIN).
    Restore {
        file: PathBuf,
    },
}

#[derive(Args)]
pub struct SealArgs {
    /// Read the PIN from standard input instead of the terminal.
    #[arg(long, global = true)]
    pin_stdin: bool,
    #[command(subcommand)]
    cmd: SealCmd,
}

#[derive(Subcommand)]
pub enum SealCmd {
    /// Show the company's seal and its fingerprint (creating the seal if asked).
    Show {
        #[arg(long)]
        company: Option<String>,
        /// Create the seal if the company has none (needs the PIN).
        #[arg(long)]
        create: bool,
    },
    /// Decrypt the chosen documents into a new package (one ZIP file) and sign them with the company's
    /// seal (created on first use).
    Sign {
        #[arg(long)]
        company: Option<String>,
        /// The package file to create (e.g. 材料.zip).
        #[arg(long)]
        out: PathBuf,
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Verify a package; exit status 1 if anything is wrong. Trusted: the seals given with --trust and,
    /// with --pin-stdin (the vault unlocked), this app's own seals.
    Verify {
        /// The package file.
        package: PathBuf,
        /// A seal to trust, for one company only: `USCC:fingerprint` (the fingerprint in hex; spaces and
        /// colons allowed). Repeat for several.
        #[arg(long = "trust")]
        trusted: Vec<String>,
    },
}

// ---- secrets ----

/// Where secrets come from: standard input lines (`--pin-stdin`), or the terminal without echo.
struct Secrets {
    from_stdin: bool,
}

impl Secrets {
    fn read(&self, prompt: &str) -> Result<String, Error> {
        let line = if self.from_stdin {
            let mut line = String::new();
            if io::stdin().lock().read_line(&mut line)? == 0 {
                return Err(Error::invalid(
                    "pin",
                    format!("标准输入中缺少{prompt}"),
                    format!("stdin ended before {prompt}"),
                ));
            }
            line
        } else if io::stdin().is_terminal() {
            prompt_hidden(prompt)?
        } else {
            return Err(Error::invalid(
                "pin",
                "需要 PIN 码：请在终端中运行，或加 --pin-stdin 从标准输入读取",
                "no terminal to ask for the PIN: use --pin-stdin",
            ));
        };
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }

    /// A new PIN: on the terminal it is typed twice.
    fn new_pin(&self) -> Result<String, Error> {
        let pin = self.read("新 PIN 码")?;
        if !self.from_stdin && self.read("再次输入新 PIN 码")? != pin {
            return Err(Error::invalid("pin", "两次输入的 PIN 码不一致", "the PINs typed differ"));
        }
        Ok(pin)
    }

    fn unlock(&self, app: &Zhuanshu) -> Result<(), Error> {
        let pin = self.read("PIN 码")?;
        app.vault().unlock_with_pin(&pin)
    }
}

/// Reads one line from the terminal with echo off (restored afterwards, also on error).
#[cfg(unix)]
fn prompt_hidden(prompt: &str) -> Result<String, Error> {
    eprint!("{prompt}：");
    io::stderr().flush()?;
    // SAFETY: tcgetattr/tcsetattr on file descriptor 0 with a zeroed, then filled, termios struct.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    let have_tty = unsafe { libc::tcgetattr(0, &mut saved) } == 0;
    if have_tty {
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &quiet) };
    }
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line);
    if have_tty {
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &saved) };
    }
    read?;
    Ok(line)
}

#[cfg(not(unix))]
fn prompt_hidden(_prompt: &str) -> Result<String, Error> {
    Err(Error::invalid(
        "pin",
        "此平台上请加 --pin-stdin 从标准输入读取 PIN 码",
        "hidden prompts are only implemented on Unix: use --pin-stdin",
    ))
}

// ---- rendering ----

fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn document_line(d: &DocumentInfo) -> String {
    let mut links: Vec<String> = d.licence_ids.iter().map(|id| format!("证照#{id}")).collect();
    links.extend(d.material_ids.iter().map(|id| format!("材料#{id}")));
    let links = if links.is_empty() { String::new() } else { format!("  关联：{}", links.join("、")) };
    format!(
        "{}  {}  {}  {}  {}{links}",
        d.id,
        d.name,
        d.media_type,
        size(d.size),
        d.created_at.format("%Y-%m-%d %H:%M")
    )
}

fn status_text(s: &VaultStatus) -> String {
    if !s.set_up {
        return "证照夹尚未设置。运行 `zhuanshu vault init` 设置 PIN 码。".into();
    }
    let mut ways = Vec::new();
    if s.has_pin {
        ways.push("PIN 码");
    }
    if s.has_key_provider {
        ways.push("系统密钥");
    }
    if s.has_recovery_key {
        ways.push("恢复密钥");
    }
    let mut lines = vec![
        format!("证照夹：{} 个文件", s.documents),
        format!("  解锁方式：{}", ways.join("、")),
        match s.auto_lock_seconds {
            0 => "  自动锁定：关闭".into(),
            n => format!("  自动锁定：闲置 {n} 秒后"),
        },
    ];
    if s.failed_attempts > 0 {
        lines.push(format!("  连续输错：{} 次", s.failed_attempts));
    }
    if let Some(at) = s.retry_after {
        lines.push(format!("  下次可尝试时间：{}", at.format("%Y-%m-%d %H:%M:%S")));
    }
    lines.join("\n")
}

fn report_text(r: &PackageReport) -> String {
    let mut lines = Vec::new();
    if let Some(s) = &r.signer {
        lines.push(format!("盖章企业：{}（{}）", s.name, s.uscc));
        lines.push(format!("印章指纹：{}", s.fingerprint));
    }
    if let Some(at) = r.signed_at {
        lines.push(format!("盖章时间：{}", at.format("%Y-%m-%d %H:%M:%S")));
    }
    for f in &r.verified_files {
        lines.push(format!("  ✓ {f}"));
    }
    for p in &r.problems {
        lines.push(format!("  ✗ {}", p.user_message));
    }
    lines.push(if r.valid {
        "验证通过：文件包完整，印章有效。".into()
    } else {
        format!("验证未通过：{} 处问题。", r.problems.len())
    });
    lines.join("\n")
}

#[derive(Serialize)]
struct Recovery<'a> {
    recovery_key: &'a str,
}

// ---- running ----

pub fn run(app: &Zhuanshu, args: VaultArgs) -> Result<Output, Error> {
    let secrets = Secrets { from_stdin: args.pin_stdin };
    let v = app.vault();
    match args.cmd {
        VaultCmd::Init => {
            let pin = secrets.new_pin()?;
            let key = v.init(Some(&pin), None)?;
            let text = format!(
                "证照夹已设置。\n\n恢复密钥（只显示这一次，请抄写并妥善保管；忘记 PIN 码或换手机时用它恢复）：\n\n    {key}\n"
            );
            out(&Recovery { recovery_key: &key }, text)
        }
        VaultCmd::Unlock => {
            secrets.unlock(app)?;
            let status = v.status()?;
            out(&status, "PIN 码正确。命令行不保留解锁状态：之后每条需要密钥的命令都会再次询问 PIN 码。".into())
        }
        VaultCmd::Lock => {
            v.lock();
            out(&v.status()?, "已锁定（命令行本就不在命令之间保留密钥）。".into())
        }
        VaultCmd::Status => {
            let status = v.status()?;
            out(&status, status_text(&status))
        }
        VaultCmd::Add { file, name, media_type, licence, material } => {
            secrets.unlock(app)?;
            let mut doc = v.add_file(&file, name.as_deref(), media_type.as_deref())?;
            if let Some(id) = licence {
                doc = v.link_licence(&doc.id, id)?;
            }
            if let Some(id) = material {
                doc = v.link_material(&doc.id, id)?;
            }
            out(&doc, format!("已加入证照夹：\n{}", document_line(&doc)))
        }
        VaultCmd::List => {
            secrets.unlock(app)?;
            let docs = v.documents()?;
            let text = if docs.is_empty() {
                "证照夹是空的。".to_owned()
            } else {
                let lines: Vec<String> = docs.iter().map(document_line).collect();
                format!("证照夹共 {} 个文件：\n{}", docs.len(), lines.join("\n"))
            };
            out(&docs, text)
        }
        VaultCmd::Cat { id } => {
            secrets.unlock(app)?;
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            v.read_to(&id, &mut lock)?;
            lock.flush()?;
            // The content was the output; nothing else goes to standard output.
            Ok(Output { json: serde_json::Value::Null, text: String::new(), failed: false })
        }
        VaultCmd::Export { id, out: path } => {
            secrets.unlock(app)?;
            let n = v.export(&id, &path)?;
            out(&n, format!("已解密导出 {}（{}）", path.display(), size(n)))
        }
        VaultCmd::Rm { id } => {
            secrets.unlock(app)?;
            let doc = v.document(&id)?;
            v.remove(&id)?;
            out(&doc, format!("已删除：{}（文件和它的密钥）", doc.name))
        }
        VaultCmd::Passwd => {
            let old = secrets.read("当前 PIN 码")?;
            let new = secrets.new_pin()?;
            v.change_pin(&old, &new)?;
            out(&true, "PIN 码已修改。".into())
        }
        VaultCmd::Recover => {
            let key = secrets.read("恢复密钥")?;
            let pin = secrets.new_pin()?;
            v.recover(&key, &pin)?;
            out(&true, "已用恢复密钥解锁，并设置了新的 PIN 码。".into())
        }
        VaultCmd::Rekey => {
            let pin = secrets.read("PIN 码")?;
            v.unlock_with_pin(&pin)?;
            let key = v.new_recovery_key(Some(&pin), None)?;
            let text = format!(
                "已更换恢复密钥和数据密钥：旧的恢复密钥从此打不开证照夹和今后的备份（之前的备份仍能用旧密钥打开，如旧密钥泄露请销毁它们）。\n\n新的恢复密钥（只显示这一次，请抄写并妥善保管）：\n\n    {key}\n"
            );
            out(&Recovery { recovery_key: &key }, text)
        }
        VaultCmd::Backup { out: path } => {
            secrets.unlock(app)?;
            let summary = v.backup(&path)?;
            let text = format!(
                "已备份到 {}：{} 个文件、{} 枚印章，共 {}。\n只有恢复密钥能打开这个备份。",
                path.display(),
                summary.documents,
                summary.seals,
                size(summary.bytes)
            );
            out(&summary, text)
        }
        VaultCmd::Restore { file } => {
            let key = secrets.read("恢复密钥")?;
            let pin = secrets.new_pin()?;
            let summary = v.restore(&file, &key, &pin)?;
            let mut text =
                format!("已恢复 {} 个文件、{} 枚印章，并设置了新的 PIN 码。", summary.documents, summary.seals);
            if !summary.seals_skipped.is_empty() {
                text.push_str(&format!(
                    "\n以下企业不在本机，其印章未恢复（请先导入企业再恢复）：{}",
                    summary.seals_skipped.join("、")
                ));
            }
            out(&summary, text)
        }
    }
}

pub fn seal(app: &Zhuanshu, args: SealArgs) -> Result<Output, Error> {
    let secrets = Secrets { from_stdin: args.pin_stdin };
    let v = app.vault();
    match args.cmd {
        SealCmd::Show { company, create } => {
            let uscc = company_key(app, company)?;
            let info = match v.seal_info(&uscc)? {
                Some(info) => info,
                None if create => {
                    secrets.unlock(app)?;
                    v.create_seal(&uscc)?
                }
                None => {
                    return Err(Error::NotFound { what: zhuanshu::error::Entity::Seal, key: uscc });
                }
            };
            let text = format!(
                "电子印章（{}）\n  公钥：{}\n  指纹：{}\n  创建：{}\n请把指纹告诉需要验章的一方。",
                info.uscc,
                info.public_key,
                info.fingerprint,
                info.created_at.format("%Y-%m-%d %H:%M")
            );
            out(&info, text)
        }
        SealCmd::Sign { company, out: path, ids } => {
            let uscc = company_key(app, company)?;
            secrets.unlock(app)?;
            if v.seal_info(&uscc)?.is_none() {
                v.create_seal(&uscc)?;
            }
            let summary = v.sign_package(&uscc, &ids, &path)?;
            let files: Vec<String> = summary.files.iter().map(|f| format!("  {}  {}", f.name, size(f.size))).collect();
            let text = format!(
                "已盖章：{}（{} 个文件）\n{}\n印章指纹：{}",
                path.display(),
                summary.files.len(),
                files.join("\n"),
                summary.signer.fingerprint
            );
            out(&summary, text)
        }
        SealCmd::Verify { package, trusted } => {
            let trusted = trusted.iter().map(|t| TrustedSeal::parse(t)).collect::<Result<Vec<_>, _>>()?;
            // This app's own seals are trusted only with the vault unlocked (their keys are checked
            // against the sealed private keys), so the PIN is asked only when given on standard input.
            if args.pin_stdin {
                secrets.unlock(app)?;
            }
            let report = v.verify_package(&package, &trusted)?;
            let mut text = report_text(&report);
            if !args.pin_stdin && report.problems.iter().any(|p| p.kind == ProblemKind::UnknownKey) {
                text.push_str("\n（本机企业的印章只在解锁后受信任：加 --pin-stdin 从标准输入提供 PIN 码。）");
            }
            let mut output = out(&report, text)?;
            output.failed = !report.valid;
            Ok(output)
        }
    }
}

//! `zhuanshu`: every capability of the core from a terminal. Human output is Chinese; `--json` prints the
//! core's values for scripts. This file only parses arguments and prints: every rule is in the core.

mod dynamics;
mod feed;
mod guide;
mod policy;
mod show;
mod vault;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use zhuanshu::dossier::{
    Channel, Choice, Company, CompanyType, CreditGrade, LicenceData, MaterialData, RecordData, RecordStatus,
    TaxpayerKind, money, uscc,
};
use zhuanshu::vault::{Device, FileDeviceSecret};
use zhuanshu::{Clock, Config, Error, Zhuanshu};

#[derive(Parser)]
#[command(name = "zhuanshu", version, about = "专属：企业专属网页的命令行工具（一企一档）")]
struct Cli {
    /// Where the data lives (default: the platform data directory, or $ZHUANSHU_DATA_DIR).
    #[arg(long, global = true, env = "ZHUANSHU_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The device key that binds the vault's PIN to this machine (default: zhuanshu/device.key in the
    /// platform config directory, created on first use, owner-only). Keep it out of the data directory:
    /// a copy of the data without it cannot be guessed offline.
    #[arg(long, global = true, env = "ZHUANSHU_DEVICE_KEY")]
    device_key: Option<PathBuf>,
    /// Print JSON instead of Chinese text.
    #[arg(long, global = true)]
    json: bool,
    /// Pretend today is this date (YYYY-MM-DD), for planning and tests.
    #[arg(long, global = true, value_parser = parse_date)]
    today: Option<NaiveDate>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Companies (企业): add, list, show, use, edit, remove.
    #[command(subcommand)]
    Company(CompanyCmd),
    /// Licences (证照) of a company.
    #[command(subcommand)]
    Licence(LicenceCmd),
    /// Reusable materials (材料) of a company.
    #[command(subcommand)]
    Material(MaterialCmd),
    /// Application records (办事记录) and their status.
    #[command(subcommand)]
    Record(RecordCmd),
    /// Export a company as JSON (to stdout or --out).
    Export {
        /// Company code (default: the current company).
        uscc: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a company from an export file; nothing is written if anything is wrong.
    Import { file: PathBuf },
    /// Unified social credit codes (统一社会信用代码).
    #[command(subcommand)]
    Uscc(UsccCmd),
    /// Load the fictional demo companies (dates moved to today).
    Demo,
    /// Deadlines and reminders for a company (专属动态), soonest and most serious first.
    Dynamics(dynamics::DynamicsArgs),
    /// The official working-day calendar and tax filing deadlines.
    #[command(subcommand)]
    Calendar(dynamics::CalendarCmd),
    /// Your own reminders, and done / dismiss / snooze for any item.
    #[command(subcommand)]
    Remind(dynamics::RemindCmd),
    /// The service guide (专属办事): life tree, scenario questions, materials, prefilled forms.
    #[command(subcommand)]
    Guide(guide::GuideCmd),
    /// Ask the assistant (专属客服): search the FAQ in characters, traditional characters or pinyin.
    Ask(AskArgs),
    /// The FAQ knowledge base: import your own, see its size, go back to the built-in one.
    #[command(subcommand)]
    Kb(KbCmd),
    /// The signed content feed: publish (keygen, build, sign, rotate, serve) and this device's status.
    #[command(subcommand)]
    Feed(feed::FeedCmd),
    /// Bring policies, FAQ, guide and holiday years up to date from a feed site (checked before use).
    Sync { url: String },
    /// Policies (专属政策): the catalog, one policy, the checkup (政策体检), open / save.
    #[command(subcommand)]
    Policy(policy::PolicyCmd),
    /// The vault (证照夹): encrypted scans of licences and materials; backup and restore.
    Vault(vault::VaultArgs),
    /// The enterprise seal (电子印章): sign a package of vault documents, verify a package.
    Seal(vault::SealArgs),
}

#[derive(Args)]
struct AskArgs {
    /// The question, in your own words.
    query: Option<String>,
    /// Show up to ten questions that start with PREFIX instead (as-you-type suggestions).
    #[arg(long, value_name = "PREFIX", conflicts_with = "query")]
    suggest: Option<String>,
    /// Show the questions the current company is likely to ask now.
    #[arg(long, conflicts_with_all = ["query", "suggest"])]
    predicted: bool,
    #[arg(long, default_value_t = 5)]
    limit: u32,
}

#[derive(Subcommand)]
enum KbCmd {
    /// Replace the knowledge base with a JSON-lines file (all or nothing).
    Import {
        file: PathBuf,
    },
    Stats,
    /// Go back to the built-in knowledge base.
    Reset,
}

#[derive(Subcommand)]
enum UsccCmd {
    /// Check a code: prints the normalised code (exit 0) or the reason (exit 1).
    Check { code: String },
}

#[derive(Subcommand)]
enum CompanyCmd {
    Add(CompanyArgs),
    List,
    Show {
        uscc: Option<String>,
    },
    /// Make a company the current one.
    Use {
        uscc: String,
    },
    /// Change some fields (`--uscc` corrects the code itself).
    Edit {
        #[arg(value_name = "USCC")]
        target: String,
        #[command(flatten)]
        changes: CompanyArgs,
    },
    Remove {
        uscc: String,
    },
}

/// Profile fields. For `add`, the marked ones are required; for `edit`, every one is optional.
#[derive(Args, Default)]
struct CompanyArgs {
    #[arg(long)]
    uscc: Option<String>,
    #[arg(long)]
    name: Option<String>,
    /// limited_liability | joint_stock | individual_business | sole_proprietorship | partnership | branch | farmer_cooperative (or the Chinese name)
    #[arg(long = "type", value_parser = parse_choice::<CompanyType>)]
    company_type: Option<CompanyType>,
    #[arg(long)]
    legal_rep: Option<String>,
    /// Registered capital in yuan.
    #[arg(long, value_parser = parse_money)]
    capital: Option<i64>,
    #[arg(long, value_parser = parse_date)]
    established: Option<NaiveDate>,
    #[arg(long)]
    address: Option<String>,
    /// GB/T 2260 code, e.g. 310115.
    #[arg(long)]
    district: Option<String>,
    /// GB/T 4754 section letter + major group, e.g. I65.
    #[arg(long)]
    industry: Option<String>,
    #[arg(long)]
    employees: Option<u32>,
    /// Last year's revenue in yuan.
    #[arg(long, value_parser = parse_money)]
    revenue: Option<i64>,
    /// Total assets in yuan ("none" to clear).
    #[arg(long, value_parser = parse_optional_money)]
    assets: Option<OrNone<i64>>,
    /// general | small_scale (or 一般纳税人 / 小规模纳税人)
    #[arg(long, value_parser = parse_choice::<TaxpayerKind>)]
    taxpayer: Option<TaxpayerKind>,
    /// A | B | M | C | D ("none" to clear).
    #[arg(long, value_parser = parse_optional_choice::<CreditGrade>)]
    credit: Option<OrNone<CreditGrade>>,
    /// A tag; repeat for several. On edit, replaces all tags.
    #[arg(long = "tag")]
    tags: Vec<String>,
}

#[derive(Subcommand)]
enum LicenceCmd {
    Add {
        #[arg(long)]
        company: Option<String>,
        #[command(flatten)]
        fields: LicenceArgs,
    },
    List {
        #[arg(long)]
        company: Option<String>,
    },
    Edit {
        id: i64,
        #[command(flatten)]
        fields: LicenceArgs,
    },
    Remove {
        id: i64,
    },
    /// The licence kinds the app knows, with validity and renewal rules.
    Kinds,
}

#[derive(Args)]
struct LicenceArgs {
    /// A kind code (see `zhuanshu licence kinds`).
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    number: Option<String>,
    #[arg(long)]
    issuer: Option<String>,
    #[arg(long, value_parser = parse_date)]
    issued: Option<NaiveDate>,
    /// YYYY-MM-DD, or 长期 / long-term.
    #[arg(long, value_parser = parse_validity)]
    valid_until: Option<OrNone<NaiveDate>>,
    #[arg(long)]
    scope: Option<String>,
}

#[derive(Subcommand)]
enum MaterialCmd {
    Add {
        #[arg(long)]
        company: Option<String>,
        #[command(flatten)]
        fields: MaterialArgs,
    },
    List {
        #[arg(long)]
        company: Option<String>,
    },
    Edit {
        id: i64,
        #[command(flatten)]
        fields: MaterialArgs,
    },
    Remove {
        id: i64,
    },
    /// The material kinds the app knows.
    Kinds,
}

#[derive(Args)]
struct MaterialArgs {
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// YYYY-MM-DD, or 长期 / long-term.
    #[arg(long, value_parser = parse_validity)]
    valid_until: Option<OrNone<NaiveDate>>,
}

#[derive(Subcommand)]
enum RecordCmd {
    Add {
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        item_code: String,
        #[arg(long)]
        item_name: String,
        /// online | window | mail (or 网上办理 / 窗口办理 / 邮寄办理)
        #[arg(long, value_parser = parse_choice::<Channel>)]
        channel: Channel,
        #[arg(long, value_parser = parse_date)]
        submitted: NaiveDate,
    },
    /// Record a new status: submitted accepted reviewing needs_correction completed returned (or 已受理 …).
    Status {
        id: i64,
        #[arg(value_parser = parse_choice::<RecordStatus>)]
        status: RecordStatus,
        /// When it happened (YYYY-MM-DD HH:MM, or with T); default now.
        #[arg(long, default_value = "")]
        at: String,
    },
    List {
        #[arg(long)]
        company: Option<String>,
    },
    Remove {
        id: i64,
    },
}

// ---- value parsers: thin wrappers over the core's own readers ----

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.trim().parse().map_err(|_| format!("日期应为 YYYY-MM-DD：{s}"))
}

/// A flag value that may also say "no value" (`none`, or 长期 for validity). A plain `Option<Option<T>>`
/// means something else to clap (a flag whose value is optional).
#[derive(Clone, Copy)]
struct OrNone<T>(Option<T>);

fn parse_validity(s: &str) -> Result<OrNone<NaiveDate>, String> {
    match s.trim() {
        "长期" | "长期有效" | "long-term" | "none" => Ok(OrNone(None)),
        other => parse_date(other).map(|d| OrNone(Some(d))),
    }
}

fn parse_money(s: &str) -> Result<i64, String> {
    money::parse_yuan(s).map_err(|e| e.user_message())
}

fn parse_optional_money(s: &str) -> Result<OrNone<i64>, String> {
    if s.trim() == "none" { Ok(OrNone(None)) } else { parse_money(s).map(|m| OrNone(Some(m))) }
}

pub(crate) fn parse_choice<T: Choice>(s: &str) -> Result<T, String> {
    T::parse(s).ok_or_else(|| format!("可选值：{}", T::choices()))
}

fn parse_optional_choice<T: Choice + Send + Sync>(s: &str) -> Result<OrNone<T>, String> {
    if s.trim() == "none" { Ok(OrNone(None)) } else { parse_choice(s).map(|c| OrNone(Some(c))) }
}

// ---- running ----

pub(crate) fn missing(flag: &str) -> Error {
    Error::invalid(flag.trim_start_matches('-'), format!("缺少参数 {flag}"), format!("{flag} is required"))
}

fn required<T>(value: Option<T>, flag: &str) -> Result<T, Error> {
    value.ok_or_else(|| missing(flag))
}

impl CompanyArgs {
    fn into_new(self) -> Result<Company, Error> {
        Ok(Company {
            uscc: required(self.uscc, "--uscc")?,
            name: required(self.name, "--name")?,
            company_type: required(self.company_type, "--type")?,
            legal_representative: required(self.legal_rep, "--legal-rep")?,
            registered_capital_fen: self.capital.unwrap_or(0),
            established_on: required(self.established, "--established")?,
            address: required(self.address, "--address")?,
            district: required(self.district, "--district")?,
            industry: required(self.industry, "--industry")?,
            employees: required(self.employees, "--employees")?,
            revenue_fen: self.revenue.unwrap_or(0),
            total_assets_fen: self.assets.and_then(|a| a.0),
            taxpayer_kind: required(self.taxpayer, "--taxpayer")?,
            credit_grade: self.credit.and_then(|c| c.0),
            tags: self.tags,
        })
    }

    fn apply(self, c: Company) -> Company {
        Company {
            uscc: self.uscc.unwrap_or(c.uscc),
            name: self.name.unwrap_or(c.name),
            company_type: self.company_type.unwrap_or(c.company_type),
            legal_representative: self.legal_rep.unwrap_or(c.legal_representative),
            registered_capital_fen: self.capital.unwrap_or(c.registered_capital_fen),
            established_on: self.established.unwrap_or(c.established_on),
            address: self.address.unwrap_or(c.address),
            district: self.district.unwrap_or(c.district),
            industry: self.industry.unwrap_or(c.industry),
            employees: self.employees.unwrap_or(c.employees),
            revenue_fen: self.revenue.unwrap_or(c.revenue_fen),
            total_assets_fen: self.assets.map_or(c.total_assets_fen, |a| a.0),
            taxpayer_kind: self.taxpayer.unwrap_or(c.taxpayer_kind),
            credit_grade: self.credit.map_or(c.credit_grade, |g| g.0),
            tags: if self.tags.is_empty() { c.tags } else { self.tags },
        }
    }
}

impl LicenceArgs {
    fn into_new(self) -> Result<LicenceData, Error> {
        Ok(LicenceData {
            kind: required(self.kind, "--kind")?,
            number: required(self.number, "--number")?,
            issuer: required(self.issuer, "--issuer")?,
            issued_on: required(self.issued, "--issued")?,
            valid_until: required(self.valid_until, "--valid-until")?.0,
            scope: self.scope.unwrap_or_default(),
        })
    }

    fn apply(self, l: LicenceData) -> LicenceData {
        LicenceData {
            kind: self.kind.unwrap_or(l.kind),
            number: self.number.unwrap_or(l.number),
            issuer: self.issuer.unwrap_or(l.issuer),
            issued_on: self.issued.unwrap_or(l.issued_on),
            valid_until: self.valid_until.map_or(l.valid_until, |v| v.0),
            scope: self.scope.unwrap_or(l.scope),
        }
    }
}

impl MaterialArgs {
    fn into_new(self) -> Result<MaterialData, Error> {
        Ok(MaterialData {
            kind: required(self.kind, "--kind")?,
            title: required(self.title, "--title")?,
            valid_until: self.valid_until.and_then(|v| v.0),
            vault_document: None,
        })
    }

    fn apply(self, m: MaterialData) -> MaterialData {
        MaterialData {
            kind: self.kind.unwrap_or(m.kind),
            title: self.title.unwrap_or(m.title),
            valid_until: self.valid_until.map_or(m.valid_until, |v| v.0),
            vault_document: m.vault_document,
        }
    }
}

/// What a command produced: a value for `--json` and its Chinese rendering.
pub(crate) struct Output {
    json: serde_json::Value,
    text: String,
    /// The command ran but its verdict is "no" (e.g. a package that does not verify): exit status 1.
    failed: bool,
}

pub(crate) fn out<T: Serialize>(value: &T, text: String) -> Result<Output, Error> {
    let json = serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Output { json, text, failed: false })
}

/// The platform's data directory (XDG on Linux, Application Support on macOS, AppData on Windows).
fn default_data_dir() -> Result<PathBuf, Error> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .map(|s| s.data_dir().join("zhuanshu"))
        .map_err(|e| Error::Internal(format!("no home directory ({e}): pass --data-dir")))
}

/// The device key's default place: the platform config directory (never the data directory). `None`
/// without a home directory: the PIN is then not bound to the machine.
fn default_device_key() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy().ok().map(|s| s.config_dir().join("zhuanshu").join("device.key"))
}

pub(crate) fn company_key(app: &Zhuanshu, given: Option<String>) -> Result<String, Error> {
    match given {
        Some(u) => Ok(u),
        None => Ok(app.dossier().current()?.company.uscc),
    }
}

fn run(cli: Cli) -> Result<Output, Error> {
    if let Command::Uscc(UsccCmd::Check { code }) = &cli.command {
        let normalized = uscc::normalize(code)?;
        return out(&normalized, normalized.clone());
    }
    let clock = cli.today.map(Clock::fixed_on).unwrap_or_default();
    if let Command::Feed(cmd) = &cli.command
        && !cmd.needs_app()
    {
        return feed::publish(cmd, &clock);
    }
    let app = open_app(cli.data_dir, cli.device_key, clock)?;
    match cli.command {
        Command::Uscc(_) => unreachable!("handled before opening the store"),
        Command::Company(cmd) => company(&app, cmd),
        Command::Licence(cmd) => licence(&app, cmd),
        Command::Material(cmd) => material(&app, cmd),
        Command::Record(cmd) => record(&app, cmd),
        Command::Export { uscc, out: path } => export(&app, uscc, path),
        Command::Import { file } => import(&app, &file),
        Command::Dynamics(args) => dynamics::list(&app, args),
        Command::Calendar(cmd) => dynamics::calendar(&app, cmd),
        Command::Remind(cmd) => dynamics::remind(&app, cmd),
        Command::Feed(cmd) => feed::run(&app, &cmd),
        Command::Sync { url } => feed::sync(&app, &url),
        Command::Guide(cmd) => guide::run(&app, cmd),
        Command::Ask(args) => ask(&app, args),
        Command::Kb(cmd) => kb(&app, cmd),
        Command::Policy(cmd) => policy::run(&app, cmd),
        Command::Vault(args) => vault::run(&app, args),
        Command::Seal(args) => vault::seal(&app, args),
        Command::Demo => demo(&app),
    }
}

/// Opens the app's data: `--data-dir` or the platform's, the vault's PIN bound to the device key.
fn open_app(data_dir: Option<PathBuf>, device_key: Option<PathBuf>, clock: Clock) -> Result<Zhuanshu, Error> {
    let data_dir = match data_dir {
        Some(d) => d,
        None => default_data_dir()?,
    };
    let device = match device_key.or_else(default_device_key) {
        Some(path) => Some(Device::Secret(Arc::new(FileDeviceSecret::open(&path)?))),
        None => None,
    };
    Zhuanshu::open(Config { data_dir: Some(data_dir), clock, device, ..Default::default() })
}

fn company(app: &Zhuanshu, cmd: CompanyCmd) -> Result<Output, Error> {
    let d = app.dossier();
    match cmd {
        CompanyCmd::Add(args) => {
            let c = d.add_company(&args.into_new()?)?;
            out(&c, format!("已添加企业：{}\n\n{}", c.company.name, show::company(&c)))
        }
        CompanyCmd::List => {
            let list = d.companies()?;
            out(&list, show::company_list(&list))
        }
        CompanyCmd::Show { uscc } => {
            let key = company_key(app, uscc)?;
            let c = d.company(&key)?;
            let text = show::dossier(&c, &d.licences(&key)?, &d.materials(&key)?, &d.records(&key)?);
            out(&c, text)
        }
        CompanyCmd::Use { uscc } => {
            let c = d.use_company(&uscc)?;
            out(&c, format!("当前企业：{}（{}）", c.company.name, c.company.uscc))
        }
        CompanyCmd::Edit { target, changes } => {
            let old = d.company(&target)?.company;
            let c = d.update_company(&target, &changes.apply(old))?;
            out(&c, format!("已更新企业：{}\n\n{}", c.company.name, show::company(&c)))
        }
        CompanyCmd::Remove { uscc } => {
            let c = d.company(&uscc)?;
            d.remove_company(&uscc)?;
            out(&c.company.uscc, format!("已删除企业：{}（含其证照、材料和办事记录）", c.company.name))
        }
    }
}

fn licence(app: &Zhuanshu, cmd: LicenceCmd) -> Result<Output, Error> {
    let d = app.dossier();
    match cmd {
        LicenceCmd::Add { company, fields } => {
            let key = company_key(app, company)?;
            let l = d.add_licence(&key, &fields.into_new()?)?;
            out(&l, format!("已添加证照 #{}：{}", l.id, show::licence_line(&l)))
        }
        LicenceCmd::List { company } => {
            let key = company_key(app, company)?;
            let list = d.licences(&key)?;
            out(&list, show::licences(&list))
        }
        LicenceCmd::Edit { id, fields } => {
            let old = d.licence(id)?.data;
            let l = d.update_licence(id, &fields.apply(old))?;
            out(&l, format!("已更新证照 #{}：{}", l.id, show::licence_line(&l)))
        }
        LicenceCmd::Remove { id } => {
            d.remove_licence(id)?;
            out(&id, format!("已删除证照 #{id}"))
        }
        LicenceCmd::Kinds => {
            let kinds = d.licence_kinds();
            out(&kinds, show::licence_kinds(&kinds))
        }
    }
}

fn material(app: &Zhuanshu, cmd: MaterialCmd) -> Result<Output, Error> {
    let d = app.dossier();
    match cmd {
        MaterialCmd::Add { company, fields } => {
            let key = company_key(app, company)?;
            let m = d.add_material(&key, &fields.into_new()?)?;
            out(&m, format!("已添加材料 #{}：{}", m.id, show::material_line(&m)))
        }
        MaterialCmd::List { company } => {
            let key = company_key(app, company)?;
            let list = d.materials(&key)?;
            out(&list, show::materials(&list))
        }
        MaterialCmd::Edit { id, fields } => {
            let old = d.material(id)?.data;
            let m = d.update_material(id, &fields.apply(old))?;
            out(&m, format!("已更新材料 #{}：{}", m.id, show::material_line(&m)))
        }
        MaterialCmd::Remove { id } => {
            d.remove_material(id)?;
            out(&id, format!("已删除材料 #{id}"))
        }
        MaterialCmd::Kinds => {
            let kinds = d.material_kinds();
            out(&kinds, show::material_kinds(&kinds))
        }
    }
}

fn record(app: &Zhuanshu, cmd: RecordCmd) -> Result<Output, Error> {
    let d = app.dossier();
    match cmd {
        RecordCmd::Add { company, item_code, item_name, channel, submitted } => {
            let key = company_key(app, company)?;
            let r = d.add_record(&key, &RecordData { item_code, item_name, channel, submitted_on: submitted })?;
            out(&r, format!("已添加办事记录 #{}\n{}", r.id, show::record(&r)))
        }
        RecordCmd::Status { id, status, at } => {
            let r = d.set_record_status(id, status, &at)?;
            out(&r, format!("已更新状态\n{}", show::record(&r)))
        }
        RecordCmd::List { company } => {
            let key = company_key(app, company)?;
            let list = d.records(&key)?;
            out(&list, show::records(&list))
        }
        RecordCmd::Remove { id } => {
            d.remove_record(id)?;
            out(&id, format!("已删除办事记录 #{id}"))
        }
    }
}

fn export(app: &Zhuanshu, uscc: Option<String>, path: Option<PathBuf>) -> Result<Output, Error> {
    let key = company_key(app, uscc)?;
    let doc = app.dossier().export(&key)?;
    let text = doc.to_json()?;
    match path {
        Some(p) => {
            std::fs::write(&p, format!("{text}\n"))?;
            out(&doc, format!("已导出 {} 到 {}", doc.company.name, p.display()))
        }
        // The export itself is the output, in both modes.
        None => out(&doc, text),
    }
}

fn import(app: &Zhuanshu, file: &Path) -> Result<Output, Error> {
    let text = std::fs::read_to_string(file)?;
    let c = app.dossier().import_json(&text)?;
    out(&c, format!("已导入企业：{}\n\n{}", c.company.name, show::company(&c)))
}

fn ask(app: &Zhuanshu, args: AskArgs) -> Result<Output, Error> {
    let a = app.assistant();
    if let Some(prefix) = args.suggest {
        let list = a.suggest(&prefix)?;
        out(&list, show::suggestions(&list))
    } else if args.predicted {
        let company = app.dossier().current()?;
        let list = a.predicted(&company.company.uscc, app.clock().today())?;
        out(&list, show::predictions(&company.company.name, &list))
    } else {
        let query = args.query.ok_or_else(|| missing("QUERY"))?;
        let hits = a.search(&query, args.limit)?;
        // Services of the guide answer "how do I do it" questions too.
        let services = app.guide().search(&query, 3)?;
        let mut text = show::hits(&query, &hits);
        if !services.is_empty() {
            let lines: Vec<String> = services.iter().map(|s| format!("  · {}（{}）", s.question, s.id)).collect();
            text.push_str(&format!("\n\n相关办事（zhuanshu guide show 编号）：\n{}", lines.join("\n")));
        }
        out(&hits, text)
    }
}

fn kb(app: &Zhuanshu, cmd: KbCmd) -> Result<Output, Error> {
    let a = app.assistant();
    let stats = match cmd {
        KbCmd::Import { file } => a.import(&std::fs::read_to_string(&file)?)?,
        KbCmd::Stats => a.stats()?,
        KbCmd::Reset => {
            a.reset()?;
            a.stats()?
        }
    };
    out(&stats, show::kb_stats(&stats))
}

fn demo(app: &Zhuanshu) -> Result<Output, Error> {
    let imported = app.dossier().load_demo()?;
    let names: Vec<String> = imported.iter().map(|c| format!("  {}（{}）", c.company.name, c.company.uscc)).collect();
    let text = if names.is_empty() {
        "演示企业均已存在。".to_owned()
    } else {
        format!("已载入演示企业：\n{}", names.join("\n"))
    };
    out(&imported, text)
}

/// Errors for scripts (`--json`): the code, both messages and every field issue.
#[derive(Serialize)]
struct ErrorJson<'a> {
    code: &'a str,
    message: String,
    user_message: String,
    issues: &'a [zhuanshu::FieldIssue],
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(output) => {
            if output.text.is_empty() && output.json.is_null() {
                // The command wrote its own output (`vault cat`).
            } else {
                let text =
                    if json { serde_json::to_string_pretty(&output.json).unwrap_or_default() } else { output.text };
                // A closed pipe (`zhuanshu … | head`) is not an error worth a panic.
                let _ = writeln!(std::io::stdout(), "{text}");
            }
            if output.failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            if json {
                let body = ErrorJson {
                    code: e.code(),
                    message: e.to_string(),
                    user_message: e.user_message(),
                    issues: e.issues(),
                };
                println!("{}", serde_json::to_string_pretty(&body).unwrap_or_default());
            } else {
                eprintln!("错误：{}", e.user_message());
                // Inside a document (import) the owner needs to know where each problem is.
                if e.issues().iter().any(|i| i.path.contains(['.', '['])) {
                    for issue in e.issues() {
                        eprintln!("  - {}：{}", issue.path, issue.user_message);
                    }
                }
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}

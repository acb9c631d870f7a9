//! `zhuanshu policy …`: the catalog, one policy with how the company stands, the checkup (政策体检), and
//! the owner's opens and saves. Presentation only: verdicts, lines and order come from the core.

use clap::Subcommand;
use zhuanshu::dossier::material;
use zhuanshu::policy::{Checkup, Policy, PolicyCheck, Verdict, WindowStatus};
use zhuanshu::{Error, Zhuanshu};

use super::{Output, company_key, out};

#[derive(Subcommand)]
pub enum PolicyCmd {
    /// Every policy of the catalog.
    List,
    /// One policy, and how the company stands (what is met, what is missing).
    Show {
        id: String,
        /// Company code (default: the current company; without one, only the policy is shown).
        #[arg(long)]
        company: Option<String>,
    },
    /// 政策体检: every policy of the company's region, eligible / near miss / not eligible, ranked.
    Checkup {
        #[arg(long)]
        company: Option<String>,
        /// Also list the policies the company is not eligible for.
        #[arg(long)]
        all: bool,
    },
    /// Open a policy (shown as by `show`); recorded to rank similar policies higher.
    Open {
        id: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// Save (收藏) a policy.
    Save {
        id: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// Remove a policy from the saved ones.
    Unsave {
        id: String,
        #[arg(long)]
        company: Option<String>,
    },
}

fn policy_text(p: &Policy, window: &WindowStatus) -> String {
    let mut lines = vec![
        p.title.clone(),
        format!("  编号：{}    类型：{}", p.id, p.kind.label()),
        format!("  发布：{}（{}）", p.issuer, p.published_on),
        format!("  适用地区：{}", p.regions_label()),
        format!("  申报：{}", if p.auto_granted { "免申即享，无需申请".to_owned() } else { window.label() }),
        format!("  支持：{}。{}", p.benefit.amount_text(), p.benefit.description),
        format!("  依据：{}", p.source),
        format!("  摘要：{}", p.summary),
    ];
    if !p.materials.is_empty() {
        let names: Vec<String> = p
            .materials
            .iter()
            .map(|m| material::kind(m).map(|k| k.name.clone()).unwrap_or_else(|| m.clone()))
            .collect();
        lines.push(format!("  所需材料：{}", names.join("、")));
    }
    lines.join("\n")
}

fn check_text(name: &str, c: &PolicyCheck) -> String {
    let mut lines = vec![format!("{name}：{}（{}）", c.verdict.label(), c.status_label)];
    lines.extend(c.conditions.iter().map(|r| {
        if r.alternatives.is_empty() {
            format!("  {}", r.line)
        } else {
            format!("  {}\n    （或者：{}）", r.line, r.alternatives.join("；"))
        }
    }));
    if c.verdict == Verdict::NearMiss {
        lines.push(format!("  还需：{}", c.missing.join("；")));
    }
    lines.join("\n")
}

fn checkup_text(name: &str, checkup: &Checkup, all: bool) -> String {
    let mut out = vec![
        format!("政策体检：{name}（{}）", checkup.today),
        format!("符合条件{}项 · 差一点{}项 · 暂不符合{}项", checkup.eligible, checkup.near_miss, checkup.not_eligible),
    ];
    for verdict in [Verdict::Eligible, Verdict::NearMiss, Verdict::NotEligible] {
        if verdict == Verdict::NotEligible && !all {
            if checkup.not_eligible > 0 {
                out.push(String::new());
                out.push(format!("另有{}项暂不符合（加 --all 查看）", checkup.not_eligible));
            }
            continue;
        }
        let group: Vec<&PolicyCheck> = checkup.policies.iter().filter(|c| c.verdict == verdict).collect();
        if group.is_empty() {
            continue;
        }
        out.push(String::new());
        out.push(format!("【{}】", verdict.label()));
        for c in group {
            out.push(format!("  {}  {}（{}）", c.policy.title, c.status_label, c.policy.benefit.amount_text()));
            out.push(format!("    {}", c.policy.id));
            match verdict {
                Verdict::Eligible => {}
                Verdict::NearMiss => out.push(format!("    还需：{}", c.missing.join("；"))),
                Verdict::NotEligible => {
                    if let Some(first) = c.unmet().next() {
                        out.push(format!("    {}", first.line));
                    }
                }
            }
        }
    }
    out.join("\n")
}

pub fn run(app: &Zhuanshu, cmd: PolicyCmd) -> Result<Output, Error> {
    let p = app.policies();
    let today = app.clock().today();
    match cmd {
        PolicyCmd::List => {
            let list = p.list()?;
            let mut lines = vec![format!("共{}条政策", list.len())];
            for policy in &list {
                let window = WindowStatus::of(policy.window.as_ref(), today);
                let status = if policy.auto_granted { "免申即享".to_owned() } else { window.label() };
                lines.push(format!(
                    "  {}  {}  [{}·{}] {}",
                    policy.id,
                    policy.title,
                    policy.kind.label(),
                    policy.regions_label(),
                    status
                ));
            }
            let plain: Vec<&Policy> = list.iter().map(|p| p.as_ref()).collect();
            out(&plain, lines.join("\n"))
        }
        PolicyCmd::Show { id, company } | PolicyCmd::Open { id, company }
            if company.is_none() && app.dossier().current().is_err() =>
        {
            // No company at all: the policy alone.
            let policy = p.policy(&id)?;
            let window = WindowStatus::of(policy.window.as_ref(), today);
            out(policy.as_ref(), policy_text(&policy, &window))
        }
        PolicyCmd::Show { id, company } => {
            let key = company_key(app, company)?;
            let check = p.check(&key, &id, today)?;
            let name = app.dossier().company(&key)?.company.name;
            let text = format!("{}\n\n{}", policy_text(&check.policy, &check.window), check_text(&name, &check));
            out(&check, text)
        }
        PolicyCmd::Open { id, company } => {
            let key = company_key(app, company)?;
            let check = p.open(&key, &id)?;
            let name = app.dossier().company(&key)?.company.name;
            let text = format!("{}\n\n{}", policy_text(&check.policy, &check.window), check_text(&name, &check));
            out(&check, text)
        }
        PolicyCmd::Checkup { company, all } => {
            let key = company_key(app, company)?;
            let name = app.dossier().company(&key)?.company.name;
            let checkup = p.checkup(&key, today)?;
            out(&checkup, checkup_text(&name, &checkup, all))
        }
        PolicyCmd::Save { id, company } => {
            let key = company_key(app, company)?;
            p.save(&key, &id)?;
            let title = p.policy(&id)?.title.clone();
            out(&p.saved(&key)?, format!("已收藏：{title}"))
        }
        PolicyCmd::Unsave { id, company } => {
            let key = company_key(app, company)?;
            let was = p.unsave(&key, &id)?;
            let text = if was { format!("已取消收藏：{id}") } else { format!("未收藏过：{id}") };
            out(&p.saved(&key)?, text)
        }
    }
}

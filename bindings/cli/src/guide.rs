//! `zhuanshu guide …`: the life tree of services, scenario questions asked in the terminal, the material
//! list (checked against the current company's dossier when there is one) and prefilled forms.

use std::io::{BufRead, Write};

use clap::Subcommand;
use zhuanshu::guide::{Answers, FieldStatus, Form, MaterialStatus, Plan};
use zhuanshu::{Error, Zhuanshu};

use crate::{Output, company_key, out};

#[derive(Subcommand)]
pub enum GuideCmd {
    /// The life tree: lifecycle themes and their services, and the "一件事" bundles.
    Tree,
    /// One service or bundle in full.
    Show { code: String },
    /// Answer the scenario questions here, then see the exact materials.
    Ask {
        code: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// The materials for given answers (JSON object: {"q1": "lease", …}).
    Materials {
        code: String,
        #[arg(long, default_value = "{}")]
        answers: String,
        #[arg(long)]
        company: Option<String>,
    },
    /// The service's form filled from the dossier, and what is still to fill.
    Prefill {
        code: String,
        #[arg(long)]
        company: Option<String>,
    },
}

fn parse_answers(text: &str) -> Result<Answers, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::invalid("answers", "回答应为 JSON 对象，例如 {\"q1\":\"lease\"}", format!("--answers: {e}"))
    })
}

fn status_mark(s: MaterialStatus) -> &'static str {
    match s {
        MaterialStatus::Reuse => "✓ 可复用",
        MaterialStatus::Renew => "↻ 需更新",
        MaterialStatus::Missing => "✗ 缺少",
        MaterialStatus::Prepare => "· 需准备",
    }
}

fn plan_text(plan: &Plan) -> String {
    let mut lines = vec![format!("{}（{}）", plan.name, plan.code)];
    for item in &plan.items {
        lines.push(format!("\n■ {}（{}）  {}，承诺时限：{}", item.name, item.code, item.department, item.time_limit));
        lines.push("  材料：".to_owned());
        for m in &item.materials {
            let optional = if m.required { "" } else { "（选交）" };
            lines.push(format!("    {} {}{}  {}", status_mark(m.status), m.name, optional, m.detail));
        }
        lines.push("  步骤：".to_owned());
        for (i, s) in item.steps.iter().enumerate() {
            lines.push(format!("    {}. {s}", i + 1));
        }
    }
    lines.join("\n")
}

fn form_text(form: &Form) -> String {
    let mut lines = vec![format!("{}（{}）表单预填", form.item_name, form.item_code)];
    for f in &form.fields {
        let mark = match f.status {
            FieldStatus::Filled => "✓",
            FieldStatus::Missing => "✗",
            FieldStatus::Empty => "·",
            FieldStatus::Invalid => "!",
        };
        let value = f.value.clone().unwrap_or_default();
        let message = f.message.as_deref().map(|m| format!("  （{m}）")).unwrap_or_default();
        lines.push(format!("  {mark} {}：{value}{message}", f.field));
    }
    if !form.missing.is_empty() {
        lines.push(format!("还需填写：{}", form.missing.join("、")));
    }
    lines.join("\n")
}

/// The plan, checked against the company when one is given or current.
fn plan(app: &Zhuanshu, code: &str, answers: &Answers, company: Option<String>) -> Result<Plan, Error> {
    match company_key(app, company) {
        Ok(uscc) => app.guide().check_materials(&uscc, code, answers, app.clock().today()),
        Err(Error::NoCurrentCompany) => app.guide().plan(code, answers),
        Err(e) => Err(e),
    }
}

pub fn run(app: &Zhuanshu, cmd: GuideCmd) -> Result<Output, Error> {
    let g = app.guide();
    match cmd {
        GuideCmd::Tree => {
            let tree = g.tree()?;
            let bundles = g.bundles()?;
            let mut lines = Vec::new();
            for node in &tree {
                lines.push(format!("{}（{}项）— {}", node.theme.name, node.items.len(), node.theme.description));
                for i in &node.items {
                    lines.push(format!("    {}  {}  {}", i.code, i.name, i.department));
                }
            }
            lines.push("\n一件事：".to_owned());
            for b in &bundles {
                lines.push(format!("    {}  {}（{}项）  {}", b.code, b.name, b.items, b.description));
            }
            out(&serde_json::json!({ "themes": tree, "bundles": bundles }), lines.join("\n"))
        }
        GuideCmd::Show { code } => match g.item(&code) {
            Ok(item) => {
                let text = format!(
                    "{}（{}）\n部门：{}\n条件：{}\n时限：{}\n收费：{}\n渠道：{}\n依据：{}\n情形问题：{}",
                    item.name,
                    item.code,
                    item.department,
                    item.conditions,
                    item.time_limit,
                    item.fee,
                    item.channels.join("、"),
                    item.basis.join("、"),
                    item.questions.iter().map(|q| q.text.as_str()).collect::<Vec<_>>().join(" / ")
                );
                out(&item, text)
            }
            Err(_) => {
                let b = g.bundle(&code)?;
                let text = format!("{}（{}）\n{}\n包含{}个事项", b.name, b.code, b.description, b.items.len());
                out(&b, text)
            }
        },
        GuideCmd::Ask { code, company } => {
            let mut answers = Answers::new();
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            loop {
                let pending = g.next_questions(&code, &answers)?;
                let Some(q) = pending.first() else { break };
                let item = q.item_name.as_deref().map(|n| format!("【{n}】")).unwrap_or_default();
                eprintln!("\n{item}{}", q.text);
                for (i, o) in q.options.iter().enumerate() {
                    eprintln!("  {}. {}", i + 1, o.label);
                }
                eprint!("请选择（1-{}）：", q.options.len());
                std::io::stderr().flush()?;
                let mut line = String::new();
                if input.read_line(&mut line)? == 0 {
                    return Err(Error::invalid(
                        "answers",
                        "输入已结束，问题还没有回答完",
                        "stdin closed before all answers",
                    ));
                }
                let line = line.trim();
                let chosen = line
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| q.options.get(n.wrapping_sub(1)))
                    .or_else(|| q.options.iter().find(|o| o.value == line || o.label == line));
                match chosen {
                    Some(o) => {
                        answers.insert(q.key.clone(), o.value.clone());
                    }
                    None => eprintln!("请输入选项编号"),
                }
            }
            let plan = plan(app, &code, &answers, company)?;
            let text =
                format!("{}\n\n（回答：{}）", plan_text(&plan), serde_json::to_string(&answers).unwrap_or_default());
            out(&plan, text)
        }
        GuideCmd::Materials { code, answers, company } => {
            let plan = plan(app, &code, &parse_answers(&answers)?, company)?;
            out(&plan, plan_text(&plan))
        }
        GuideCmd::Prefill { code, company } => {
            let form = g.prefill(&company_key(app, company)?, &code)?;
            out(&form, form_text(&form))
        }
    }
}

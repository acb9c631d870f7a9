//! Chinese text rendering of core values for the terminal. Presentation only: every number shown here
//! (size class, days left, names) was computed by the core.

use std::io::IsTerminal;

use zhuanshu::assistant::{Hit, KbStats, Prediction, Span, Suggestion};
use zhuanshu::dossier::{
    CompanyOverview, Licence, LicenceKind, Material, MaterialKind, Record, licence::DayCount, money::format_yuan,
};

fn days(left: Option<i64>) -> String {
    match left {
        None => "长期有效".to_owned(),
        Some(d) if d < 0 => format!("已过期{}天", -d),
        Some(0) => "今天到期".to_owned(),
        Some(d) => format!("剩余{d}天"),
    }
}

pub fn company(c: &CompanyOverview) -> String {
    let p = &c.company;
    let size = match c.size.class {
        Some(class) => format!("{}（{}）", class.label(), c.size.basis),
        None => format!("无法判定（{}）", c.size.basis),
    };
    let mut lines = vec![
        format!("{}{}", p.name, if c.current { "  【当前企业】" } else { "" }),
        format!("  统一社会信用代码：{}", p.uscc),
        format!("  类型：{}    法定代表人：{}", c.company_type_label, p.legal_representative),
        format!("  成立日期：{}（成立{}年，{}）", p.established_on, c.age_years.max(0), c.stage_label),
        format!("  注册资本：{}", format_yuan(p.registered_capital_fen)),
        format!("  住所：{}（{}，{}）", p.address, c.district_name, p.district),
        format!("  行业：{} {}", p.industry, c.industry_name),
        format!("  从业人员：{}人    上年营业收入：{}", p.employees, format_yuan(p.revenue_fen)),
    ];
    if let Some(assets) = p.total_assets_fen {
        lines.push(format!("  资产总额：{}", format_yuan(assets)));
    }
    lines.push(format!("  企业规模：{size}"));
    let grade = p.credit_grade.map(|g| g.label()).unwrap_or("未评级");
    lines.push(format!("  纳税人类型：{}    纳税信用等级：{}", c.taxpayer_kind_label, grade));
    if !p.tags.is_empty() {
        lines.push(format!("  标签：{}", p.tags.join("、")));
    }
    lines.join("\n")
}

pub fn company_list(list: &[CompanyOverview]) -> String {
    if list.is_empty() {
        return "还没有企业。用 zhuanshu company add 添加，或 zhuanshu demo 载入演示企业。".to_owned();
    }
    list.iter()
        .map(|c| {
            let mark = if c.current { "*" } else { " " };
            let size = c.size.class.map(|s| s.label()).unwrap_or("规模未定");
            format!("{mark} {}  {}  {}·{}·{}", c.company.uscc, c.company.name, c.district_name, size, c.stage_label)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn licence_line(l: &Licence) -> String {
    let validity = match l.data.valid_until {
        Some(d) => format!("有效期至{d}（{}）", days(l.days_left)),
        None => "长期有效".to_owned(),
    };
    format!("{}  {}  {}  {}", l.kind_name, l.data.number, validity, l.data.issuer)
}

pub fn licences(list: &[Licence]) -> String {
    if list.is_empty() {
        return "没有证照。".to_owned();
    }
    list.iter().map(|l| format!("#{} {}", l.id, licence_line(l))).collect::<Vec<_>>().join("\n")
}

pub fn material_line(m: &Material) -> String {
    let until = match m.data.valid_until {
        Some(d) => format!("有效期至{d}（{}）", days(m.days_left)),
        None => "长期有效".to_owned(),
    };
    format!("{}  [{}]  {}", m.data.title, m.kind_name, until)
}

pub fn materials(list: &[Material]) -> String {
    if list.is_empty() {
        return "没有材料。".to_owned();
    }
    list.iter().map(|m| format!("#{} {}", m.id, material_line(m))).collect::<Vec<_>>().join("\n")
}

pub fn record(r: &Record) -> String {
    let mut lines = vec![format!(
        "#{} {}（{}）  {}  {}提交",
        r.id,
        r.data.item_name,
        r.data.item_code,
        r.data.channel.label(),
        r.data.submitted_on
    )];
    for change in &r.history {
        lines.push(format!("    {}  {}", change.at.format("%Y-%m-%d %H:%M"), change.status.label()));
    }
    lines.join("\n")
}

pub fn records(list: &[Record]) -> String {
    if list.is_empty() {
        return "没有办事记录。".to_owned();
    }
    list.iter().map(record).collect::<Vec<_>>().join("\n")
}

pub fn dossier(c: &CompanyOverview, licences_: &[Licence], materials_: &[Material], records_: &[Record]) -> String {
    [
        company(c),
        format!("\n证照（{}）\n{}", licences_.len(), licences(licences_)),
        format!("\n材料（{}）\n{}", materials_.len(), materials(materials_)),
        format!("\n办事记录（{}）\n{}", records_.len(), records(records_)),
    ]
    .join("\n")
}

pub fn licence_kinds(kinds: &[LicenceKind]) -> String {
    kinds
        .iter()
        .map(|k| {
            let validity = k.validity_years.map(|y| format!("{y}年")).unwrap_or_else(|| "长期".to_owned());
            let renewal = match &k.renewal {
                None => "无需延续".to_owned(),
                Some(r) => {
                    let unit = match r.unit {
                        DayCount::CalendarDays => "日",
                        DayCount::WorkingDays => "个工作日",
                    };
                    match r.window_opens {
                        Some(w) => format!("届满前{w}至{}{unit}申请延续", r.lead),
                        None => format!("届满前{}{unit}申请延续", r.lead),
                    }
                }
            };
            format!("{:<28} {}  有效期{}  {}", k.code, k.name, validity, renewal)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn material_kinds(kinds: &[MaterialKind]) -> String {
    kinds.iter().map(|k| format!("{:<28} {}  {}", k.code, k.name, k.validity)).collect::<Vec<_>>().join("\n")
}

/// Marks the highlighted ranges: bold on a terminal, 【】 when piped.
fn marked(text: &str, spans: &[Span]) -> String {
    let (open, close) = if std::io::stdout().is_terminal() { ("\x1b[1m", "\x1b[0m") } else { ("【", "】") };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let i = i as u32;
        if spans.iter().any(|s| s.start == i) {
            out.push_str(open);
        }
        out.push(c);
        if spans.iter().any(|s| s.end == i + 1) {
            out.push_str(close);
        }
    }
    out
}

pub fn hits(query: &str, hits: &[Hit]) -> String {
    if hits.is_empty() {
        return format!("没有找到与“{query}”相关的问答，换个说法试试？");
    }
    hits.iter()
        .enumerate()
        .map(|(i, h)| {
            let answer = marked(&h.answer, &h.answer_highlights).replace('\n', "\n     ");
            format!(
                "{}. {}  [{}·{}]\n     {}",
                i + 1,
                marked(&h.question, &h.question_highlights),
                h.theme,
                h.id,
                answer
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub fn suggestions(list: &[Suggestion]) -> String {
    list.iter().map(|s| format!("{}  {}", s.id, s.question)).collect::<Vec<_>>().join("\n")
}

pub fn predictions(company: &str, list: &[Prediction]) -> String {
    let mut lines = vec![format!("{company}：猜你想问")];
    lines.extend(list.iter().map(|p| format!("  · {}  （{}）", p.question, p.reason)));
    lines.join("\n")
}

pub fn kb_stats(s: &KbStats) -> String {
    let source = if s.imported { "导入的知识库" } else { "内置知识库" };
    let themes: Vec<String> = s.themes.iter().map(|t| format!("{} {}", t.theme, t.entries)).collect();
    let newest = s.newest.map(|d| format!("，最近更新 {d}")).unwrap_or_default();
    format!("{source}：{}条问答，{}个其他问法{newest}\n主题：{}", s.entries, s.alternatives, themes.join("、"))
}

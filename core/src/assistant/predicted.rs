//! Predicted questions (猜你想问): what the owner is likely to ask next, from what is due for their company
//! and from its profile. A licence about to expire brings its renewal questions; a filing deadline its
//! filing questions; a young company the start-up questions.
//!
//! Each reason becomes an ordinary search, so the questions come from whatever knowledge base is loaded.

use serde::{Deserialize, Serialize};

use super::Prediction;
use crate::dossier::{CompanyOverview, LifeStage, TaxpayerKind};
use crate::dynamics::{Action, Dynamic, DynamicKind, Severity};

/// How many questions to offer.
pub const COUNT: usize = 6;

/// A search to run and the reason to show for its answers. Computed from the dossier alone, so it can
/// cross to wherever the search engine runs (the web app's second wasm module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Topic {
    pub query: String,
    pub reason: String,
    /// How many of its answers to offer at most.
    pub take: usize,
}

fn topic(query: impl Into<String>, reason: impl Into<String>, take: usize) -> Topic {
    Topic { query: query.into(), reason: reason.into(), take }
}

/// Topics from the company's open items, most serious first (the list comes sorted): one per licence,
/// one per other kind of item, so three tax filings do not crowd out an expiring licence.
fn from_dynamics(items: &[Dynamic], licence_name: &dyn Fn(i64) -> Option<String>) -> Vec<Topic> {
    let mut seen_kinds: Vec<DynamicKind> = Vec::new();
    let mut topics = Vec::new();
    for d in items.iter().filter(|d| d.severity <= Severity::Soon) {
        let reason = d.title.clone();
        let licence = match (&d.kind, &d.action) {
            (DynamicKind::LicenceRenewal | DynamicKind::LicenceExpiry, Some(Action::Licence { id })) => {
                licence_name(*id)
            }
            _ => None,
        };
        if let Some(name) = licence {
            topics.push(topic(format!("{name} 到期 延续"), reason, 2));
            continue;
        }
        if seen_kinds.contains(&d.kind) {
            continue;
        }
        seen_kinds.push(d.kind);
        let query = match d.kind {
            DynamicKind::TaxFiling => "申报纳税期限 截止 顺延 逾期申报",
            DynamicKind::AnnualReport => "年报 截止 经营异常名录",
            DynamicKind::MaterialExpiry => "材料 过期 更新",
            DynamicKind::Progress => "办事进度 补正 材料",
            _ => continue,
        };
        topics.push(topic(query, reason, 1));
    }
    topics
}

/// Topics from the profile alone.
fn from_profile(company: &CompanyOverview) -> Vec<Topic> {
    let mut topics = Vec::new();
    match company.stage {
        LifeStage::Preparing | LifeStage::StartUp => {
            topics.push(topic("创业担保贷款 初创 补贴", format!("企业处于{}", company.stage_label), 1))
        }
        LifeStage::Growth => topics.push(topic("专精特新 申报 条件", format!("企业处于{}", company.stage_label), 1)),
        LifeStage::Mature => {}
    }
    match company.company.taxpayer_kind {
        TaxpayerKind::SmallScale => topics.push(topic("小规模纳税人 增值税 优惠 免征", "小规模纳税人", 1)),
        TaxpayerKind::General => topics.push(topic("一般纳税人 增值税 申报", "一般纳税人", 1)),
    }
    for tag in &company.company.tags {
        topics.push(topic(format!("{tag} 认定 复审 优惠"), format!("企业标签：{tag}"), 1));
    }
    if company.company.employees > 0 {
        topics.push(topic("社保 缴费基数 新员工", format!("有{}名员工", company.company.employees), 1));
    }
    topics
}

/// The topics for a company given its open items: the items' first (most serious first), then the
/// profile's.
pub fn topics(
    company: &CompanyOverview,
    items: &[Dynamic],
    licence_name: &dyn Fn(i64) -> Option<String>,
) -> Vec<Topic> {
    from_dynamics(items, licence_name).into_iter().chain(from_profile(company)).collect()
}

/// The predicted questions for `topics`, given a search returning (id, question) pairs best first: one
/// per topic in order, then more from the topics that allow them; no entry twice; at most [`COUNT`].
pub fn resolve(topics: &[Topic], search: impl Fn(&str, usize) -> Vec<(String, String)>) -> Vec<Prediction> {
    let answers: Vec<Vec<(String, String)>> = topics.iter().map(|t| search(&t.query, t.take + COUNT)).collect();
    let mut out: Vec<Prediction> = Vec::new();
    for round in 0..2 {
        for (t, hits) in topics.iter().zip(&answers) {
            if round >= t.take {
                continue;
            }
            let fresh = hits.iter().find(|(id, _)| !out.iter().any(|p| &p.id == id));
            if let Some((id, question)) = fresh {
                if out.len() < COUNT {
                    out.push(Prediction { id: id.clone(), question: question.clone(), reason: t.reason.clone() });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{COUNT, Topic, resolve};

    fn topic(query: &str, take: usize) -> Topic {
        Topic { query: query.into(), reason: format!("为{query}"), take }
    }

    #[test]
    fn each_topic_gets_one_question_before_any_gets_a_second_and_none_repeats() {
        // Every search answers the same three entries, so later topics must skip what earlier ones took.
        let search = |q: &str, _n: usize| {
            let mut ids = vec!["a", "b", "c"];
            if q == "second" {
                ids.reverse();
            }
            ids.into_iter().map(|id| (id.to_owned(), format!("问{id}"))).collect()
        };
        let got = resolve(&[topic("first", 2), topic("second", 1), topic("third", 1)], search);
        let picked: Vec<(&str, &str)> = got.iter().map(|p| (p.id.as_str(), p.reason.as_str())).collect();
        assert_eq!(picked, [("a", "为first"), ("c", "为second"), ("b", "为third")]);
        let many: Vec<Topic> = (0..10).map(|i| topic(&format!("t{i}"), 2)).collect();
        let numbered = |q: &str, _n: usize| vec![(q.to_owned(), q.to_owned()), (format!("{q}'"), q.to_owned())];
        assert_eq!(resolve(&many, numbered).len(), COUNT);
    }
}

#[cfg(all(test, feature = "search"))]
mod with_search {
    use crate::content::demo_companies;
    use crate::{Clock, Config, Zhuanshu};

    #[test]
    fn an_expiring_licence_brings_its_renewal_questions() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let app =
            Zhuanshu::open(Config { data_dir: None, clock: Clock::fixed_on(today), ..Default::default() }).unwrap();
        // The demo restaurant's 食品经营许可证 expires 45 days after the demo day.
        let restaurant =
            demo_companies(today).unwrap().into_iter().find(|d| d.company.industry.starts_with("H62")).unwrap();
        app.dossier().import(&restaurant).unwrap();
        let predicted = app.assistant().predicted(&restaurant.company.uscc, today).unwrap();
        assert!(!predicted.is_empty() && predicted.len() <= super::COUNT);
        let licence = predicted.iter().find(|p| p.reason.contains("食品经营许可证")).expect("a renewal question");
        assert!(licence.question.contains("食品经营许可"), "{predicted:#?}");
        let mut ids: Vec<&str> = predicted.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), predicted.len(), "no question twice");
    }
}

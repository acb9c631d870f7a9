//! Materials that expire (健康证明, the legal representative's ID card, a lease …): a material with a
//! `valid_until` gets `30` (soon) from 30 days before, `7` (urgent) from 7 days before through the last
//! valid day, and `expired` (overdue) after it, until the owner updates or removes it. Subject
//! `material:{id}:{valid_until}`; a renewed material with a new date starts a new cycle.

use chrono::NaiveDate;

use super::{Action, Draft, DynamicKind, Level, Severity, Span, shift};
use crate::dossier::Material;

pub(crate) fn drafts(materials: &[Material], span: Span) -> Vec<Draft> {
    let mut out = Vec::new();
    for m in materials {
        let Some(until) = m.data.valid_until else {
            continue;
        };
        let title = &m.data.title;
        let subject = format!("material:{}:{until}", m.id);
        let soon = format!("{title}（{}）将于{until}到期，请提前办理更新，以免办事时材料失效。", m.kind_name);
        let expired = format!("{title}（{}）已于{until}过期，办事时将不被接受，请更新后在证照夹中替换。", m.kind_name);
        let milestones = [
            (
                "30",
                shift(until, -30),
                shift(until, -8),
                Severity::Soon,
                format!("{title}将于{until}到期"),
                soon.clone(),
            ),
            ("7", shift(until, -7), until, Severity::Urgent, format!("{title}将于{until}到期"), soon),
            ("expired", shift(until, 1), NaiveDate::MAX, Severity::Overdue, format!("{title}已过期"), expired),
        ];
        for (key, from, to, severity, title, detail) in milestones {
            if from <= to && span.overlaps(from, to) {
                out.push(Draft {
                    id: format!("{subject}:{key}"),
                    subject: subject.clone(),
                    kind: DynamicKind::MaterialExpiry,
                    title,
                    detail,
                    due: until,
                    shown: (from, to),
                    level: Level::Fixed(severity),
                    action: Some(Action::Material { id: m.id }),
                    estimated: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{DynamicKind, Severity};
    use crate::dossier::{Material, MaterialData};

    #[test]
    fn a_health_certificate_expiring_soon_and_expired() {
        let mut f = facts();
        f.materials.push(Material {
            id: 9,
            uscc: f.company.uscc.clone(),
            data: MaterialData {
                kind: "health_certificate".into(),
                title: "张三健康证明".into(),
                valid_until: Some(date("2026-12-31")),
                vault_document: None,
            },
            kind_name: "健康证明".into(),
            days_left: None,
        });
        f.materials.push(Material {
            id: 10,
            uscc: f.company.uscc.clone(),
            data: MaterialData {
                kind: "articles_of_association".into(),
                title: "公司章程".into(),
                valid_until: None,
                vault_document: None,
            },
            kind_name: "公司章程".into(),
            days_left: None,
        });
        let at = |day: &str| -> Vec<(String, Severity)> {
            of_kind(&f, DynamicKind::MaterialExpiry, day).into_iter().map(|d| (d.id, d.severity)).collect()
        };
        assert!(at("2026-11-30").is_empty());
        assert_eq!(at("2026-12-01"), [("material:9:2026-12-31:30".to_owned(), Severity::Soon)]);
        assert_eq!(at("2026-12-24"), [("material:9:2026-12-31:7".to_owned(), Severity::Urgent)]);
        assert_eq!(at("2026-12-31"), [("material:9:2026-12-31:7".to_owned(), Severity::Urgent)]);
        assert_eq!(at("2027-01-01"), [("material:9:2026-12-31:expired".to_owned(), Severity::Overdue)]);
    }
}

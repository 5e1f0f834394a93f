//! Complementary suppression: a reader holding every public answer and export of an indicator
//! for a month (the unsplit total and each split) subtracts what is shown from what is shown,
//! split after split, and never gets a withheld figure back.

use std::collections::BTreeMap;

use tachawor_proto::{
    common::{AgeBand, Gender},
    events::TrainingCertificateIssued,
    reporting::{
        Dimension, ExportFormat, ExportIndicatorsRequest, GetCommitmentRequest,
        GetIndicatorsRequest,
    },
};
use tachawor_testkit::matrix;

use crate::helpers::*;

const SPLITS: [Dimension; 5] = [
    Dimension::Unspecified,
    Dimension::Province,
    Dimension::Gender,
    Dimension::AgeBand,
    Dimension::ActorKind,
];

/// What one cell shows: `None` when withheld.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shown {
    value: Option<f64>,
    people: Option<f64>,
}

/// What a reader holds for one indicator and month: the total and each split's groups.
#[derive(Debug, Default, Clone, PartialEq)]
struct Margins {
    total: Option<Shown>,
    splits: BTreeMap<i32, BTreeMap<String, Shown>>,
}

type Public = BTreeMap<String, Margins>;

/// Certificates issued in January 2026: 10 in Laâyoune, 9 in Boujdour, 8 in Es-Semara and 1 in
/// Tarfaya (28 in all, the case seen from outside), with a spread of genders and age bands;
/// February: 3 certificates only.
async fn certificates(app: &TestApp) {
    let mut people = Vec::new();
    let bands = [
        AgeBand::AgeBand1824,
        AgeBand::AgeBand2534,
        AgeBand::AgeBand3544,
    ];
    for (province, n) in [
        ("laayoune", 10),
        ("boujdour", 9),
        ("es-semara", 8),
        ("tarfaya", 1),
    ] {
        for i in 0..n {
            let gender = if i % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            };
            let id = app.person(province, gender, bands[i % 3]).await;
            people.push((id, province, "2026-01-15"));
        }
    }
    for band in bands {
        let id = app.person("laayoune", Gender::Female, band).await;
        people.push((id, "laayoune", "2026-02-10"));
    }
    for (id, province, date) in &people {
        app.publish(
            "training.certificate.issued",
            day(date),
            &TrainingCertificateIssued {
                certificate_id: uuid::Uuid::new_v4().to_string(),
                session_id: uuid::Uuid::new_v4().to_string(),
                program_id: uuid::Uuid::new_v4().to_string(),
                milestone_ref: "MALAA0004-1".into(),
                participant: participant(id, province),
            },
        )
        .await;
    }
    app.settle().await;
}

fn put(public: &mut Public, month: &str, split: Dimension, group: &str, shown: Shown) {
    let margins = public.entry(month.to_string()).or_default();
    if split == Dimension::Unspecified || group.is_empty() {
        margins.total = Some(shown);
    } else {
        margins
            .splits
            .entry(split as i32)
            .or_default()
            .insert(group.to_string(), shown);
    }
}

/// Everything a public caller gets for `indicator`, from the answers.
async fn from_answers(client: &mut Client, indicator: &str) -> Public {
    let mut public = Public::new();
    for split in SPLITS {
        let answer = client
            .get_indicators(GetIndicatorsRequest {
                indicators: vec![indicator.into()],
                split_by: split as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(!answer.exact);
        for c in answer.cells {
            let shown = if c.suppressed {
                Shown {
                    value: None,
                    people: None,
                }
            } else {
                Shown {
                    value: Some(c.value),
                    people: Some(c.people as f64),
                }
            };
            put(&mut public, &c.month, split, &c.group, shown);
        }
    }
    public
}

/// Everything a public caller gets for `indicator`, from the CSV exports.
async fn from_exports(client: &mut Client, indicator: &str) -> Public {
    let mut public = Public::new();
    for split in SPLITS {
        let csv = client
            .export_indicators(ExportIndicatorsRequest {
                indicators: vec![indicator.into()],
                split_by: split as i32,
                format: ExportFormat::Csv as i32,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        let text = String::from_utf8(csv.content).unwrap();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let number = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
            let shown = Shown {
                value: number(f[4]),
                people: number(f[5]),
            };
            put(&mut public, f[1], split, f[3], shown);
        }
    }
    public
}

/// Every figure a reader can work out by subtraction (a split adds up to the total), repeated
/// until nothing new comes out: `(month, split, group, figure)` for each withheld one found.
fn recoverable(public: &Public) -> Vec<(String, i32, String, f64)> {
    let mut found = Vec::new();
    for (month, margins) in public {
        for pick in [|s: &Shown| s.value, |s: &Shown| s.people] {
            let mut total = margins.total.as_ref().and_then(pick);
            let mut splits: BTreeMap<i32, BTreeMap<String, Option<f64>>> = margins
                .splits
                .iter()
                .map(|(d, groups)| {
                    (
                        *d,
                        groups.iter().map(|(g, s)| (g.clone(), pick(s))).collect(),
                    )
                })
                .collect();
            loop {
                let mut progress = false;
                for (d, groups) in splits.iter_mut() {
                    let unknown: Vec<String> = groups
                        .iter()
                        .filter(|(_, v)| v.is_none())
                        .map(|(g, _)| g.clone())
                        .collect();
                    let known: f64 = groups.values().flatten().sum();
                    match (total, unknown.as_slice()) {
                        (None, []) => {
                            total = Some(known);
                            found.push((month.clone(), 0, String::new(), known));
                            progress = true;
                        }
                        (Some(t), [group]) => {
                            groups.insert(group.clone(), Some(t - known));
                            found.push((month.clone(), *d, group.clone(), t - known));
                            progress = true;
                        }
                        _ => {}
                    }
                }
                if !progress {
                    break;
                }
            }
        }
    }
    found
}

matrix! {
    async fn no_withheld_figure_comes_back_by_subtraction(app: TestApp) {
        certificates(&app).await;

        // Staff see the exact figures, the lone certificate of Tarfaya included.
        let mut staff = app.client(Who::Staff).await;
        let exact = app.exact(&mut staff, "certificates", Dimension::Province).await;
        assert_eq!(cell(&exact, "2026-01", "tarfaya").unwrap().value, 1.0);
        assert_eq!(cell(&exact, "2026-01", "laayoune").unwrap().value, 10.0);
        let exact_total = app.exact(&mut staff, "certificates", Dimension::Unspecified).await;
        assert_eq!(cell(&exact_total, "2026-01", "").unwrap().value, 28.0);
        let milestone = staff
            .get_commitment(GetCommitmentRequest { commitment_id: "MALAA0004".into() })
            .await
            .unwrap()
            .into_inner()
            .commitment
            .unwrap()
            .milestones
            .remove(0);
        assert_eq!(milestone.evidence.unwrap().certificates, 31);

        for who in [Who::Anonymous, Who::Citizen, Who::Service] {
            let mut client = app.client(who).await;
            let answers = from_answers(&mut client, "certificates").await;
            let exports = from_exports(&mut client, "certificates").await;
            assert_eq!(answers, exports, "{who:?}: the exports show what the answers show");

            let january = &answers["2026-01"];
            // The total is still public, Tarfaya's cell is not.
            assert_eq!(january.total.unwrap().value, Some(28.0));
            let provinces = &january.splits[&(Dimension::Province as i32)];
            assert_eq!(provinces["tarfaya"].value, None);
            assert_eq!(
                provinces.values().filter(|s| s.value.is_none()).count(),
                2,
                "{who:?}: one more province withheld beside Tarfaya: {provinces:?}"
            );
            // February's three are withheld whole, in every split.
            let february = &answers["2026-02"];
            assert_eq!(february.total.unwrap().value, None);
            for groups in february.splits.values() {
                assert!(groups.values().all(|s| s.value.is_none()), "{february:?}");
            }

            let found = recoverable(&answers);
            assert!(found.is_empty(), "{who:?}: withheld figures recovered: {found:?}");

            // The milestone's certificates add the months together: exact (31), February's
            // withheld 3 would be 31 minus January's 28.
            let milestone = client
                .get_commitment(GetCommitmentRequest { commitment_id: "MALAA0004".into() })
                .await
                .unwrap()
                .into_inner()
                .commitment
                .unwrap()
                .milestones
                .remove(0);
            let certificates = milestone.evidence.unwrap().certificates;
            assert_eq!(certificates, 30, "{who:?}: rounded down to a multiple of 5");

            // Where the total is shown, the withheld cells of a split add up to more than one
            // per cell and to at least 5 people: none is pinned to 1 either.
            for margins in answers.values() {
                let Some(total) = margins.total.and_then(|t| t.people) else { continue };
                for groups in margins.splits.values() {
                    let hidden = groups.values().filter(|s| s.people.is_none()).count() as f64;
                    let shown: f64 = groups.values().filter_map(|s| s.people).sum();
                    if hidden > 0.0 {
                        assert!(total - shown > hidden && total - shown >= 5.0, "{groups:?}");
                    }
                }
            }
        }
    }
}

/// The check itself finds what primary suppression alone left open: Tarfaya's 1 as 28 minus the
/// three provinces shown, and a withheld total as the sum of a split shown whole.
#[test]
fn the_reader_check_finds_a_lone_withheld_cell() {
    let shown = |v: f64| Shown {
        value: Some(v),
        people: Some(v),
    };
    let hidden = Shown {
        value: None,
        people: None,
    };
    let mut public = Public::new();
    put(
        &mut public,
        "2026-01",
        Dimension::Unspecified,
        "",
        shown(28.0),
    );
    for (g, v) in [("laayoune", 10.0), ("boujdour", 9.0), ("es-semara", 8.0)] {
        put(&mut public, "2026-01", Dimension::Province, g, shown(v));
    }
    put(
        &mut public,
        "2026-01",
        Dimension::Province,
        "tarfaya",
        hidden,
    );
    put(&mut public, "2026-02", Dimension::Unspecified, "", hidden);
    put(
        &mut public,
        "2026-02",
        Dimension::Gender,
        "female",
        shown(6.0),
    );
    put(
        &mut public,
        "2026-02",
        Dimension::Province,
        "tarfaya",
        hidden,
    );
    put(
        &mut public,
        "2026-02",
        Dimension::Province,
        "laayoune",
        shown(5.0),
    );
    let found = recoverable(&public);
    let has = |m: &str, g: &str, v: f64| found.iter().any(|f| f.0 == m && f.2 == g && f.3 == v);
    assert!(has("2026-01", "tarfaya", 1.0), "{found:?}");
    assert!(has("2026-02", "", 6.0), "{found:?}");
    assert!(has("2026-02", "tarfaya", 1.0), "{found:?}");
}

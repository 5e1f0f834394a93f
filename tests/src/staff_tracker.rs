//! The staff console's commitment tracker and audit view, driven as a browser without script
//! would: who may open them (anonymous sent to sign in, a citizen refused, staff in), a
//! milestone's status set with a justification (a missing or too short one shown beside its
//! field and nothing written; a citizen's post refused), the change read back through
//! reporting's gRPC `GetCommitment`, the progress report downloaded as Markdown in Arabic and
//! in French, CSV and JSON; and the audit view showing an entry of an action done here in each
//! of identity, consultation, training and reporting, by pseudonymous id, filtered by service.

use tachawor_proto::{
    consultation::{HideCommentRequest, PostCommentRequest, RestoreCommentRequest},
    reporting::{GetCommitmentRequest, Milestone, MilestoneStatus},
    training as t,
};

use crate::{
    Platform,
    signed_in::sign_in,
    take_part_pages::{self, assert_beside, assert_localized},
    training_pages,
    web::Page,
};

const COMMITMENT: &str = "MALAA0004";
const MILESTONE: &str = "MALAA0004-2";

/// The milestone as reporting tells anyone through gRPC.
async fn milestone(p: &Platform) -> Milestone {
    p.reporting_as("")
        .get_commitment(GetCommitmentRequest {
            commitment_id: COMMITMENT.into(),
        })
        .await
        .expect("get the commitment")
        .into_inner()
        .commitment
        .expect("the commitment")
        .milestones
        .into_iter()
        .find(|m| m.milestone_id == MILESTONE)
        .expect("the milestone")
}

fn assert_no_store(page: &Page, what: &str) {
    assert_eq!(page.header("cache-control"), "no-store", "{what}");
}

/// Who opens the tracker and the audit view, setting a milestone's status, the exports.
pub async fn check_tracker_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let citizen = p.citizen().await;

    for path in ["/ar/staff/commitments", "/ar/staff/audit"] {
        let anonymous = crate::web::get(p.portal, path, &[]).await;
        assert_eq!(anonymous.status, 303, "{path}");
        assert!(
            anonymous
                .header("location")
                .starts_with("/ar/sign-in?next="),
            "{path}: {:?}",
            anonymous.headers
        );
    }
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in [
        "/fr/staff/commitments",
        "/fr/staff/audit",
        "/fr/staff/commitments/MALAA0004/progress.csv",
    ] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert!(refused.plain().contains("Vous ne pouvez pas faire cela"));
    }

    // The desk, linked from the console's home, in both languages.
    let mut as_staff = sign_in(p, &staff, "ar").await;
    for lang in ["ar", "fr"] {
        let home = as_staff.get(&format!("/{lang}/staff")).await;
        for desk in ["staff/commitments", "staff/audit"] {
            assert!(
                home.body.contains(&format!("href=\"/{lang}/{desk}\"")),
                "{lang} home links {desk}"
            );
        }
        let desk = as_staff.get(&format!("/{lang}/staff/commitments")).await;
        assert_eq!(desk.status, 200, "{}", desk.body);
        assert_localized(&desk, lang);
        assert_no_store(&desk, "the tracker");
        assert!(desk.body.contains(&format!(
            "action=\"/{lang}/staff/commitments/milestones/{MILESTONE}/status\""
        )));
        for file in [
            "progress-ar.md",
            "progress-fr.md",
            "progress.csv",
            "progress.json",
        ] {
            assert!(
                desk.body.contains(&format!(
                    "href=\"/{lang}/staff/commitments/{COMMITMENT}/{file}\""
                )),
                "{lang} links {file}"
            );
        }
    }

    let before = milestone(p).await;
    let page = "/ar/staff/commitments";
    let action = format!("/ar/staff/commitments/milestones/{MILESTONE}/status");
    let status_field = format!("status-{MILESTONE}");
    let justification_field = format!("justification-{MILESTONE}");

    // Nothing chosen, nothing written: both fields named, in Arabic.
    let missing = as_staff
        .submit(page, &action, &[("justification", " ")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "ar");
    assert!(missing.plain().contains("<title>خطأ:"));
    assert_beside(&missing, &status_field, "اختر وضعية المرحلة.");
    assert_beside(&missing, &justification_field, "برّر الوضعية المختارة.");

    // Too short for reporting (10 to 2000 characters): its refusal beside the field, the
    // answers kept.
    let short = as_staff
        .submit(
            page,
            &action,
            &[("status", "stuck"), ("justification", "قصير جدا")],
        )
        .await;
    assert_eq!(short.status, 422, "{}", short.body);
    assert_beside(
        &short,
        &justification_field,
        "يجب أن يتكون التبرير من 10 إلى 2.000 حرف.",
    );
    assert!(short.body.contains(">قصير جدا</textarea>"), "kept");
    assert!(short.body.contains("value=\"stuck\" selected"), "kept");
    let after_refusals = milestone(p).await;
    assert_eq!(
        (after_refusals.status, &after_refusals.justification),
        (before.status, &before.justification),
        "nothing written"
    );

    // A citizen posting the form with a genuine token: reporting refuses, nothing written.
    let token = crate::web::form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            &action,
            &[
                ("csrf", &token),
                ("status", "finished"),
                ("justification", "Une justification assez longue"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(milestone(p).await.status, before.status);

    // Set: back to the desk with a notice; reporting tells anyone the new status.
    let justification = format!(
        "Rencontre régionale tenue à Laâyoune, {}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let fr_action = format!("/fr/staff/commitments/milestones/{MILESTONE}/status");
    let set = as_staff
        .submit(
            "/fr/staff/commitments",
            &fr_action,
            &[("status", "in_progress"), ("justification", &justification)],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    assert_eq!(
        set.header("location"),
        format!("/fr/staff/commitments?done=status#milestone-{MILESTONE}")
    );
    let shown = as_staff.follow(&set).await;
    assert!(shown.plain().contains("Le statut du jalon est enregistré."));
    assert!(shown.body.contains(&justification));
    let now = milestone(p).await;
    assert_eq!(now.status, MilestoneStatus::InProgress as i32, "{now:?}");
    assert_eq!(now.justification, justification);
    assert!(now.status_set_at.is_some());

    // The progress report: Markdown in the language asked, CSV and JSON from reporting.
    for (file, label, status) in [
        ("progress-ar.md", "المرحلة", "في طور الإنجاز"),
        ("progress-fr.md", "Jalon", "En cours"),
    ] {
        let md = as_staff
            .download(&format!("/fr/staff/commitments/{COMMITMENT}/{file}"))
            .await;
        assert_eq!(md.status, 200, "{}", md.text());
        assert_eq!(md.header("content-type"), "text/markdown; charset=utf-8");
        let disposition = md.header("content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\"malaa0004-progress-")
                && disposition.ends_with(".md\""),
            "{disposition}"
        );
        assert_eq!(md.header("cache-control"), "no-store");
        let text = md.text();
        assert!(text.starts_with("# MALAA0004 — "), "{text}");
        assert!(text.contains(&format!("\n## {MILESTONE} — ")), "{text}");
        assert!(text.contains(&format!("| {MILESTONE} | ")), "{text}");
        assert!(
            text.contains(label) && text.contains(status),
            "{file}: {text}"
        );
        assert!(text.contains(&justification), "{text}");
    }
    let ar = as_staff
        .download(&format!(
            "/ar/staff/commitments/{COMMITMENT}/progress-ar.md"
        ))
        .await
        .text();
    assert!(!ar.contains("Jalon") && !ar.contains("Milestone"), "{ar}");
    let csv = as_staff
        .download(&format!("/ar/staff/commitments/{COMMITMENT}/progress.csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .starts_with("attachment; filename=\"malaa0004-progress-")
            && csv.header("content-disposition").ends_with(".csv\"")
    );
    let line = csv
        .text()
        .lines()
        .find(|l| l.contains(&format!(",{MILESTONE},")))
        .map(str::to_string)
        .expect("a line for the milestone");
    assert!(
        line.contains(",in_progress,") && line.contains(&justification),
        "{line}"
    );
    let json = as_staff
        .download(&format!("/ar/staff/commitments/{COMMITMENT}/progress.json"))
        .await;
    assert_eq!(json.status, 200);
    assert!(json.header("content-type").starts_with("application/json"));
    assert!(json.header("content-disposition").ends_with(".json\""));
    let body: serde_json::Value = serde_json::from_slice(&json.body).expect("JSON");
    let m = body["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .find(|m| m["milestone_id"] == MILESTONE)
        .expect("the milestone");
    assert_eq!(m["status"], "in_progress");
    assert_eq!(m["justification"], justification.as_str());
    let unknown = as_staff
        .download(&format!("/ar/staff/commitments/{COMMITMENT}/progress.pdf"))
        .await;
    assert_eq!(unknown.status, 404);
}

/// The audit view: an action in each service, each shown with its actor's pseudonymous id,
/// its target and its reason; the filter by service; no name or email anywhere.
pub async fn check_audit_view(p: &Platform) {
    p.clock_to_today();
    let s = take_part_pages::seed(p).await;
    let admin = p.admin().await;

    // Each action a moment after the one before, on the services' clock too (a shared
    // manual clock stands still otherwise, and entries of one millisecond are ordered by
    // service, not by when they were made).
    // identity: an administrator gives a citizen the staff role.
    p.clock_to_today();
    let helper = p.staff(&admin).await;

    // consultation: staff hide a comment, with a reason.
    let author = p.resident(&s.staff, "laayoune").await;
    let comment = p
        .consultation_as(&author.token)
        .post_comment(PostCommentRequest {
            consultation_id: s.open.clone(),
            body: "تعليق للتدقيق".into(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            ..Default::default()
        })
        .await
        .expect("post a comment")
        .into_inner()
        .comment
        .expect("the comment")
        .comment_id;
    let hide_reason = format!("إساءة {}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    p.clock_to_today();
    p.consultation_as(&s.staff.token)
        .hide_comment(HideCommentRequest {
            comment_id: comment.clone(),
            reason: hide_reason.clone(),
        })
        .await
        .expect("hide the comment");

    // training: staff cancel someone's seat.
    let session = training_pages::schedule(p, &s.staff, 10, false).await;
    let attendee = p.citizen().await;
    training_pages::register_via_api(p, &attendee, &session).await;
    let registration = p
        .training_as(&s.staff.token)
        .list_registrations(t::ListRegistrationsRequest {
            session_id: session.clone(),
            ..Default::default()
        })
        .await
        .expect("registrations")
        .into_inner()
        .registrations
        .into_iter()
        .find(|r| r.account_id == attendee.id)
        .expect("the registration")
        .registration_id;
    p.clock_to_today();
    p.training_as(&s.staff.token)
        .cancel_registration(t::CancelRegistrationRequest {
            registration_id: registration.clone(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
        })
        .await
        .expect("cancel the seat");

    // reporting: staff set a milestone's status through the desk.
    let justification = format!(
        "Formation des associations en cours, {}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let mut as_staff = sign_in(p, &s.staff, "fr").await;
    p.clock_to_today();
    let set = as_staff
        .submit(
            "/fr/staff/commitments",
            "/fr/staff/commitments/milestones/MALAA0004-3/status",
            &[("status", "in_progress"), ("justification", &justification)],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);

    for lang in ["ar", "fr"] {
        let view = as_staff.get(&format!("/{lang}/staff/audit")).await;
        assert_eq!(view.status, 200, "{}", view.body);
        assert_localized(&view, lang);
        assert_no_store(&view, "the audit view");
        let body = &view.body;
        // Each service's entry: what was done, on what, by whom, why.
        assert!(
            body.contains("account.set_roles") && body.contains(&helper.id),
            "identity"
        );
        assert!(
            body.contains("comment.hide")
                && body.contains(&comment)
                && body.contains(&hide_reason)
                && body.contains(&s.staff.id),
            "consultation"
        );
        assert!(
            body.contains("registration.cancel") && body.contains(&registration),
            "training"
        );
        assert!(
            body.contains("set_milestone_status")
                && body.contains("MALAA0004-3")
                && body.contains(&justification),
            "reporting"
        );
        // Newest first: reporting's change was the last made.
        let at = |needle: &str| body.find(needle).expect(needle);
        assert!(at(&justification) < at(&registration));
        assert!(at(&registration) < at(&hide_reason));
        // Never a name or an email (the seat's holder is in training's after JSON).
        for private in [&attendee.email, &author.email, &s.staff.email] {
            assert!(!body.contains(private.as_str()), "{private}");
        }
        assert!(!body.contains("Test Person"));
    }

    // One service only.
    let training_only = as_staff.get("/fr/staff/audit?service=training").await;
    assert_eq!(training_only.status, 200);
    assert!(training_only.body.contains(&registration));
    assert!(training_only.body.contains("value=\"training\" selected"));
    assert!(!training_only.body.contains(&hide_reason));
    assert!(!training_only.body.contains(&justification));
    let bad = as_staff.get("/fr/staff/audit?service=billing").await;
    assert_eq!(bad.status, 400);

    // The cursor: entries older than the consultation's hiding only, the newer ones not again.
    let hidden_at = p
        .consultation_as(&s.staff.token)
        .list_audit_log(tachawor_proto::consultation::ListAuditLogRequest {
            target_id: comment.clone(),
            ..Default::default()
        })
        .await
        .expect("consultation's log")
        .into_inner()
        .entries
        .into_iter()
        .next()
        .expect("the hiding's entry");
    let millis = tachawor_proto::dates::millis(hidden_at.occurred_at.as_ref().expect("when"));
    let cursor = format!("{millis}~consultation~{}", hidden_at.entry_id);
    let older = as_staff
        .get(&format!(
            "/fr/staff/audit?before={}",
            &crate::web::form_encode(&[("v", &cursor)])[2..]
        ))
        .await;
    assert_eq!(older.status, 200, "{}", older.body);
    assert!(!older.body.contains(&hide_reason), "the cursor's own entry");
    assert!(!older.body.contains(&registration) && !older.body.contains(&justification));
    assert!(
        older.body.contains(&helper.id),
        "older entries of other services"
    );
    assert!(
        older
            .body
            .contains("<a href=\"/fr/staff/audit\">Première page</a>"),
        "a link to the first page"
    );
    let junk = as_staff.get("/fr/staff/audit?before=12~nobody~x").await;
    assert_eq!(junk.status, 400);

    // More entries than a page in one millisecond of one service (a shared manual clock
    // stands still; on a real clock they are merely close): hidden and restored 14 times.
    for i in 0..14 {
        let mut c = p.consultation_as(&s.staff.token);
        c.restore_comment(RestoreCommentRequest {
            comment_id: comment.clone(),
        })
        .await
        .expect("restore");
        c.hide_comment(HideCommentRequest {
            comment_id: comment.clone(),
            reason: format!("{hide_reason} {i}"),
        })
        .await
        .expect("hide again");
    }
    // Walking the pages from the first shows every service's entries once each, in the
    // merge's order: newest first, then by service, then by entry id.
    let mut expected = all_entries(p, &s.staff.token).await;
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<String> = expected
        .into_iter()
        .map(|(_, service, id)| format!("{}-{id}", SERVICES[service.0]))
        .collect();
    let mut shown = Vec::new();
    let mut next = Some("/fr/staff/audit".to_string());
    let mut pages = 0;
    while let Some(path) = next {
        pages += 1;
        assert!(pages < 200, "the pages end");
        let page = as_staff.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        shown.extend(row_keys(&page.body));
        next = next_link(&page.body);
    }
    assert!(pages > 2, "several pages ({pages})");
    assert_eq!(shown, expected, "every entry once, in order");
}

/// The services in the order the view breaks ties.
const SERVICES: [&str; 4] = ["identity", "consultation", "training", "reporting"];

/// Every audit entry of the four services, read through gRPC as (time, reversed service
/// order, entry id) so that sorting them largest first gives the view's order.
async fn all_entries(p: &Platform, token: &str) -> Vec<(i64, std::cmp::Reverse<usize>, String)> {
    use tachawor_proto::{common::PageRequest, consultation as c, identity as i, reporting as r};
    let page = |t: &str| {
        Some(PageRequest {
            page_size: 200,
            page_token: t.to_string(),
        })
    };
    let at = |t: Option<&prost_types::Timestamp>| tachawor_proto::dates::millis(t.expect("when"));
    let mut out = Vec::new();
    for service in 0..SERVICES.len() {
        let mut token_ = String::new();
        loop {
            let (entries, next): (Vec<(i64, String)>, String) = match service {
                0 => {
                    let r = p
                        .identity_as(token)
                        .list_audit_log(i::ListAuditLogRequest {
                            page: page(&token_),
                            ..Default::default()
                        })
                        .await
                        .expect("identity's log")
                        .into_inner();
                    let e = r.entries.iter();
                    (
                        e.map(|e| (at(e.occurred_at.as_ref()), e.entry_id.clone()))
                            .collect(),
                        r.next_page_token,
                    )
                }
                1 => {
                    let r = p
                        .consultation_as(token)
                        .list_audit_log(c::ListAuditLogRequest {
                            page: page(&token_),
                            ..Default::default()
                        })
                        .await
                        .expect("consultation's log")
                        .into_inner();
                    let e = r.entries.iter();
                    (
                        e.map(|e| (at(e.occurred_at.as_ref()), e.entry_id.clone()))
                            .collect(),
                        r.next_page_token,
                    )
                }
                2 => {
                    let r = p
                        .training_as(token)
                        .list_audit_log(t::ListAuditLogRequest {
                            page: page(&token_),
                            ..Default::default()
                        })
                        .await
                        .expect("training's log")
                        .into_inner();
                    let e = r.entries.iter();
                    (
                        e.map(|e| (at(e.occurred_at.as_ref()), e.entry_id.clone()))
                            .collect(),
                        r.next_page_token,
                    )
                }
                _ => {
                    let r = p
                        .reporting_as(token)
                        .list_audit_log(r::ListAuditLogRequest {
                            page: page(&token_),
                            ..Default::default()
                        })
                        .await
                        .expect("reporting's log")
                        .into_inner();
                    let e = r.entries.iter();
                    (
                        e.map(|e| (at(e.occurred_at.as_ref()), e.entry_id.clone()))
                            .collect(),
                        r.next_page_token,
                    )
                }
            };
            out.extend(
                entries
                    .into_iter()
                    .map(|(millis, id)| (millis, std::cmp::Reverse(service), id)),
            );
            if next.is_empty() {
                break;
            }
            token_ = next;
        }
    }
    out
}

/// The keys of the audit view's rows, in order.
fn row_keys(body: &str) -> Vec<String> {
    body.split("<tr id=\"entry-")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(key, _)| key.to_string()))
        .collect()
}

/// The page's "next page" link, if any.
fn next_link(body: &str) -> Option<String> {
    let (before, _) = body.split_once("\" rel=\"next\"")?;
    let (_, href) = before.rsplit_once("href=\"")?;
    Some(href.replace("&amp;", "&"))
}

/// An observer opens the console's read-only desks (its home, the tracker without its forms,
/// the progress report, the audit view) in both languages, and nothing else: the other desks
/// and setting a milestone's status are refused, and nothing changes.
pub async fn check_observer(p: &Platform) {
    let admin = p.admin().await;
    let observer = p.observer(&admin).await;
    let mut as_observer = sign_in(p, &observer, "ar").await;
    for lang in ["ar", "fr"] {
        let home = as_observer.get(&format!("/{lang}/staff")).await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert_localized(&home, lang);
        for desk in ["staff/commitments", "staff/audit"] {
            assert!(
                home.body.contains(&format!("href=\"/{lang}/{desk}\"")),
                "{lang} home links {desk}"
            );
        }
        for desk in ["staff/accounts", "staff/sessions", "staff/petitions"] {
            assert!(
                !home.body.contains(&format!("href=\"/{lang}/{desk}\"")),
                "{lang} home hides {desk}"
            );
        }
        let account = as_observer.get(&format!("/{lang}/account")).await;
        assert!(
            account.body.contains(&format!("href=\"/{lang}/staff\"")),
            "the console's link"
        );
        let desk = as_observer.get(&format!("/{lang}/staff/commitments")).await;
        assert_eq!(desk.status, 200, "{}", desk.body);
        assert_no_store(&desk, "the tracker");
        assert!(desk.body.contains(MILESTONE), "the milestones are shown");
        assert!(
            !desk.body.contains("/status\""),
            "no status form for an observer"
        );
        let audit = as_observer.get(&format!("/{lang}/staff/audit")).await;
        assert_eq!(audit.status, 200, "{}", audit.body);
    }
    assert!(
        as_observer
            .get("/fr/staff")
            .await
            .plain()
            .contains("Vous êtes observateur")
    );
    let report = as_observer
        .download(&format!("/fr/staff/commitments/{COMMITMENT}/progress.csv"))
        .await;
    assert_eq!(report.status, 200);
    for path in [
        "/fr/staff/accounts",
        "/fr/staff/sessions",
        "/fr/staff/petitions",
        "/fr/staff/news",
    ] {
        let refused = as_observer.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let before = milestone(p).await;
    let refused = as_observer
        .submit(
            // The tracker shows an observer no form: the token of the account page's.
            "/fr/account/profile",
            &format!("/fr/staff/commitments/milestones/{MILESTONE}/status"),
            &[
                ("status", "stuck"),
                ("justification", "Un observateur ne décide pas."),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let after = milestone(p).await;
    assert_eq!(
        (before.proposed_status, before.justification),
        (after.proposed_status, after.justification),
        "nothing changed"
    );
}

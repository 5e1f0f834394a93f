//! Petition rules in a region of 451,028 people and four provinces: 300 signatures, at least
//! 15 from each province; verified residents only; one signature per person; withdrawal until
//! deposit; association conditions; a late answer flagged.

use std::time::Duration;

use futures::future::join_all;
use tachawor_proto::{
    common::Date,
    consultation::*,
    identity::{CreateAssociationRequest, VerifyAssociationRequest},
};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, rule, text};

async fn petition(
    app: &TestApp,
    agent: &Person,
    kind: PetitionKind,
    association: &str,
) -> Petition {
    app.client(agent)
        .create_petition(CreatePetitionRequest {
            kind: kind as i32,
            title: "Bus line to the hospital".into(),
            object: "Put a new bus line on the council's agenda".into(),
            subject_field: "transport".into(),
            association_id: association.into(),
        })
        .await
        .expect("create petition")
        .into_inner()
        .petition
        .unwrap()
}

async fn collecting(app: &TestApp, agent: &Person) -> String {
    let p = petition(app, agent, PetitionKind::Citizen, "").await;
    assert_eq!(p.status, PetitionStatus::Draft as i32);
    let p = app
        .client(agent)
        .start_collecting(StartCollectingRequest {
            petition_id: p.petition_id,
        })
        .await
        .expect("start collecting")
        .into_inner()
        .petition
        .unwrap();
    assert_eq!(p.status, PetitionStatus::Collecting as i32);
    p.petition_id
}

async fn sign(app: &TestApp, who: &Person, petition_id: &str) -> Result<Petition, tonic::Status> {
    app.client(who)
        .sign_petition(SignPetitionRequest {
            petition_id: petition_id.into(),
            ..Default::default()
        })
        .await
        .map(|r| r.into_inner().petition.unwrap())
}

/// The first page of petitions as anyone sees it.
async fn public_list(app: &TestApp) -> Vec<Petition> {
    let page = app
        .anonymous()
        .list_petitions(ListPetitionsRequest::default())
        .await;
    page.expect("list petitions").into_inner().petitions
}

/// Withdraws `who`'s signature, which must succeed.
async fn withdraw(app: &TestApp, who: &Person, petition_id: &str) {
    let request = WithdrawSignatureRequest {
        petition_id: petition_id.into(),
    };
    app.client(who)
        .withdraw_signature(request)
        .await
        .expect("withdraw");
}

async fn sign_all(app: &TestApp, people: &[Person], petition_id: &str) {
    for chunk in people.chunks(16) {
        for r in join_all(chunk.iter().map(|p| sign(app, p, petition_id))).await {
            r.expect("an eligible resident signs");
        }
    }
}

async fn deposit(
    app: &TestApp,
    agent: &Person,
    petition_id: &str,
) -> Result<Petition, tonic::Status> {
    app.client(agent)
        .deposit_petition(DepositPetitionRequest {
            petition_id: petition_id.into(),
        })
        .await
        .map(|r| r.into_inner().petition.unwrap())
}

async fn get(app: &TestApp, who: &Person, petition_id: &str) -> Petition {
    app.client(who)
        .get_petition(GetPetitionRequest {
            petition_id: petition_id.into(),
        })
        .await
        .expect("get petition")
        .into_inner()
        .petition
        .unwrap()
}

fn count(p: &Petition, province: &str) -> i64 {
    p.progress
        .as_ref()
        .unwrap()
        .provinces
        .iter()
        .find(|c| c.province_code == province)
        .unwrap()
        .signatures
}

matrix! {
    async fn a_page_of_petitions_counts_each_ones_own_signatures(app: TestApp) {
        let agent = app.verified("laayoune").await;
        let (a, b, c) = (collecting(&app, &agent).await, collecting(&app, &agent).await, collecting(&app, &agent).await);
        let laayoune = app.residents("laayoune", 3).await;
        let tarfaya = app.residents("tarfaya", 2).await;
        sign_all(&app, &laayoune, &a).await;
        sign_all(&app, &tarfaya, &a).await;
        sign_all(&app, &laayoune[..1], &c).await;
        let listed = public_list(&app).await;
        let of = |id: &str| listed.iter().find(|p| p.petition_id == id).expect("listed").clone();
        for (id, total, in_laayoune, in_tarfaya) in [(&a, 5, 3, 2), (&b, 0, 0, 0), (&c, 1, 1, 0)] {
            let p = of(id);
            assert_eq!(p.progress.as_ref().unwrap().signatures, total);
            assert_eq!((count(&p, "laayoune"), count(&p, "tarfaya")), (in_laayoune, in_tarfaya));
            assert_eq!(p, get(&app, &agent, id).await, "the list shows what a read of one shows");
        }

        // The counts kept on each petition follow every signature given and withdrawn, online
        // and on paper: they are what counting the signatures themselves gives.
        withdraw(&app, &laayoune[0], &a).await;
        withdraw(&app, &tarfaya[1], &a).await;
        sign_all(&app, &tarfaya, &b).await;
        withdraw(&app, &tarfaya[0], &b).await;
        let staff = app.staff().await;
        let boujdour = app.verified("boujdour").await;
        app.client(&staff)
            .record_paper_signature(RecordPaperSignatureRequest {
                petition_id: c.clone(),
                account_id: boujdour.id.clone(),
                ..Default::default()
            })
            .await
            .expect("paper signature");
        let listed = public_list(&app).await;
        for id in [&a, &b, &c] {
            let counted: Vec<(String, i64)> = sqlx::query_as(
                "SELECT province_code, COUNT(*) FROM petition_signatures WHERE petition_id = $1 \
                 GROUP BY province_code ORDER BY province_code",
            )
            .bind(id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
            let p = listed.iter().find(|p| &p.petition_id == id).expect("listed");
            let mut shown: Vec<(String, i64)> = p.progress.as_ref().unwrap().provinces.iter()
                .filter(|c| c.signatures > 0)
                .map(|c| (c.province_code.clone(), c.signatures))
                .collect();
            shown.sort();
            assert_eq!(shown, counted, "petition {id}");
            assert_eq!(p, &get(&app, &agent, id).await);
        }
        let totals: Vec<i64> = [&a, &b, &c].iter()
            .map(|id| listed.iter().find(|p| &p.petition_id == *id).unwrap().progress.as_ref().unwrap().signatures)
            .collect();
        assert_eq!(totals, [3, 1, 2]);
    }

    async fn citizen_petition_rules(app: TestApp) {
        let agent = app.verified("laayoune").await;
        let id = collecting(&app, &agent).await;
        let created = get(&app, &agent, &id).await;
        let rules = created.rules.unwrap();
        assert_eq!(rules.region_population, 451_028);
        assert_eq!(rules.minimum_signatures, 300);
        assert_eq!(rules.province_minimum, 15);
        assert_eq!(rules.answer_period_months, 2);

        // Ineligible signers are refused, naming the rule, and nothing is written.
        let unverified = app.citizen().await;
        assert_eq!(rule(&sign(&app, &unverified, &id).await.unwrap_err()), "petition.signer_verified");
        let outsider = app.verified("").await;
        assert_eq!(rule(&sign(&app, &outsider, &id).await.unwrap_err()), "petition.signer_residence");
        assert_eq!(app.count("petition_signatures").await, 0);

        // 299 signatures (tarfaya 14): not enough.
        let (laayoune, boujdour, semara, tarfaya) = tokio::join!(
            app.residents("laayoune", 256),
            app.residents("boujdour", 15),
            app.residents("es-semara", 15),
            app.residents("tarfaya", 15),
        );
        sign_all(&app, &laayoune[..255], &id).await;
        sign_all(&app, &boujdour, &id).await;
        sign_all(&app, &semara, &id).await;
        sign_all(&app, &tarfaya[..14], &id).await;
        let p = get(&app, &agent, &id).await;
        assert_eq!(p.progress.as_ref().unwrap().signatures, 299);
        assert!(!p.progress.as_ref().unwrap().can_deposit);
        assert_eq!(rule(&deposit(&app, &agent, &id).await.unwrap_err()), "petition.minimum_signatures");

        // 300, but tarfaya supplies 14 of the 15 it must.
        sign(&app, &laayoune[255], &id).await.unwrap();
        let p = get(&app, &agent, &id).await;
        assert_eq!(p.progress.as_ref().unwrap().signatures, 300);
        assert_eq!(count(&p, "tarfaya"), 14);
        assert_eq!(p.progress.as_ref().unwrap().unmet_rules, vec!["petition.province_share"]);
        assert_eq!(rule(&deposit(&app, &agent, &id).await.unwrap_err()), "petition.province_share");

        // A withdrawn signature no longer counts.
        let p = app
            .client(&laayoune[0])
            .withdraw_signature(WithdrawSignatureRequest { petition_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(p.progress.as_ref().unwrap().signatures, 299);
        assert_eq!(rule(&deposit(&app, &agent, &id).await.unwrap_err()), "petition.minimum_signatures");

        // 300 with every province at 15 or more: deposited, with a receipt at once.
        sign(&app, &tarfaya[14], &id).await.unwrap();
        let p = deposit(&app, &agent, &id).await.expect("deposit");
        assert_eq!(p.status, PetitionStatus::Deposited as i32);
        let receipt = p.receipt.clone().unwrap();
        assert!(receipt.number.starts_with("PET-"));
        assert!(p.answer_due_at.is_some());
        assert!(!p.late);
        // No withdrawal nor signature after deposit.
        let late_signer = app.verified("laayoune").await;
        assert_eq!(rule(&sign(&app, &late_signer, &id).await.unwrap_err()), "petition.not_collecting");
        let err = app
            .client(&laayoune[1])
            .withdraw_signature(WithdrawSignatureRequest { petition_id: id.clone() })
            .await
            .unwrap_err();
        assert_eq!(rule(&err), "petition.withdrawal_closed");

        // Everyone sees counts per province; only staff see who signed.
        let anonymous = app
            .anonymous()
            .get_petition(GetPetitionRequest { petition_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(count(&anonymous, "tarfaya"), 15);
        let denied = app
            .client(&agent)
            .list_signatures(ListSignaturesRequest { petition_id: id.clone(), page: None })
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied);
        let staff = app.staff().await;
        let list = app
            .client(&staff)
            .list_signatures(ListSignaturesRequest {
                petition_id: id.clone(),
                page: Some(tachawor_proto::common::PageRequest { page_size: 200, page_token: String::new() }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(list.signatures.len(), 200);
        assert!(!list.next_page_token.is_empty());

        // Two calendar months and a day later the answer is late, and flagged (62 days are
        // not always past two months: from 1 December they end on 1 February, the due date).
        let now = app.clock.now_millis();
        let past_due = tachawor_proto::dates::add_months(now, 2) + 86_400_000 - now;
        app.clock.advance(Duration::from_millis(past_due as u64));
        let staff = app.login(staff).await;
        assert!(get(&app, &staff, &id).await.late, "unanswered past its due date");
        let p = app
            .client(&staff)
            .admit_petition(AdmitPetitionRequest { petition_id: id.clone(), session: "Ordinary session of March".into() })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(p.status, PetitionStatus::Admissible as i32);
        assert!(p.late);
        assert_eq!(p.session, "Ordinary session of March");
        let again = app
            .client(&staff)
            .reject_petition(RejectPetitionRequest { petition_id: id.clone(), reasons: "no".into() })
            .await
            .unwrap_err();
        assert_eq!(rule(&again), "petition.transition");
        // Each event once per action: 301 signatures given, one withdrawn; no CIN, name,
        // email or phone of the agent and signers in any event or log line.
        let counts = app.event_counts().await;
        for (t, n) in [
            ("consultation.petition.created", 1),
            ("consultation.petition.signed", 301),
            ("consultation.petition.signature_withdrawn", 1),
            ("consultation.petition.deposited", 1),
            ("consultation.petition.admitted", 1),
            ("consultation.petition.answered_late", 1),
        ] {
            assert_eq!(counts.get(t).copied().unwrap_or(0), n, "{t}: {counts:?}");
        }
        assert_eq!(counts.values().sum::<usize>(), 306, "{counts:?}");
        // The withdrawal says when the signature was given (reporting counts by that month).
        let events = app.events().await;
        let withdrawn = events
            .iter()
            .find(|(_, e)| e.r#type == "consultation.petition.signature_withdrawn")
            .unwrap();
        let signed = events
            .iter()
            .find(|(_, e)| {
                e.r#type == "consultation.petition.signed"
                    && tachawor_events::decode_payload::<tachawor_proto::events::PetitionSigned>(e)
                        .unwrap()
                        .account_id
                        == tachawor_events::decode_payload::<
                            tachawor_proto::events::PetitionSignatureWithdrawn,
                        >(&withdrawn.1)
                        .unwrap()
                        .account_id
            })
            .unwrap();
        let payload: tachawor_proto::events::PetitionSignatureWithdrawn =
            tachawor_events::decode_payload(&withdrawn.1).unwrap();
        assert_eq!(payload.signed_at, signed.1.occurred_at);
        // The creation names the agent (pseudonymously), who is told of what follows.
        let created = events
            .iter()
            .find(|(_, e)| e.r#type == "consultation.petition.created")
            .unwrap();
        let created: tachawor_proto::events::PetitionCreated =
            tachawor_events::decode_payload(&created.1).unwrap();
        assert_eq!(created.agent_account_id, agent.id);
        let mut people: Vec<&Person> = vec![&agent, &staff, &outsider, &laayoune[0], &laayoune[255]];
        people.extend(tarfaya.iter().chain(boujdour.iter()));
        assert!(people.iter().filter(|p| !p.cin.is_empty()).count() > 30);
        app.assert_no_personal_data(&people).await;
    }

    async fn one_signature_per_person_under_concurrency(app: TestApp) {
        let agent = app.verified("boujdour").await;
        let id = collecting(&app, &agent).await;
        let signer = app.verified("tarfaya").await;
        let attempts = join_all((0..100).map(|_| sign(&app, &signer, &id))).await;
        let ok = attempts.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "exactly one signature");
        for r in attempts.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(r.code(), Code::AlreadyExists, "{r:?}");
        }
        assert_eq!(get(&app, &agent, &id).await.progress.unwrap().signatures, 1);
        assert_eq!(app.count("petition_signatures").await, 1);

        // A retry with the same idempotency key gets the first answer back.
        let other = app.verified("laayoune").await;
        let request = SignPetitionRequest { petition_id: id.clone(), idempotency_key: "k-1".into(), ..Default::default() };
        let first = app.client(&other).sign_petition(request.clone()).await.unwrap().into_inner();
        let second = app.client(&other).sign_petition(request).await.unwrap().into_inner();
        assert_eq!(first, second);
        assert_eq!(app.count("petition_signatures").await, 2);

        // Someone living elsewhere with a declared activity in the region may sign.
        let worker = app.verified("").await;
        let p = app
            .client(&worker)
            .sign_petition(SignPetitionRequest {
                petition_id: id.clone(),
                declared_activity_province_code: "es-semara".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(count(&p, "es-semara"), 1);
    }

    async fn association_petitions(app: TestApp) {
        let rep = app.verified("laayoune").await;
        let staff = app.identity_staff();
        let mut associations = Vec::new();
        for (number, year) in [("R-young", 2024), ("R-old", 2015)] {
            let a = app
                .identity_as(&rep)
                .create_association(CreateAssociationRequest {
                    name: text("Association"),
                    registration_number: format!("{number}-{}", uuid::Uuid::new_v4().simple()),
                    founded_on: Some(Date { year, month: 1, day: 1 }),
                    province_code: "laayoune".into(),
                    fields_of_activity: vec!["transport".into()],
                })
                .await
                .unwrap()
                .into_inner()
                .association
                .unwrap();
            staff
                .clone()
                .verify_association(VerifyAssociationRequest { association_id: a.association_id.clone() })
                .await
                .unwrap();
            associations.push(a.association_id);
        }
        // Founded in 2024: not yet more than 3 years old (the clock is in late 2026 or after).
        let err = app
            .client(&rep)
            .create_petition(CreatePetitionRequest {
                kind: PetitionKind::Association as i32,
                title: "Bus line".into(),
                object: "Put a bus line on the agenda".into(),
                subject_field: "transport".into(),
                association_id: associations[0].clone(),
            })
            .await
            .unwrap_err();
        assert_eq!(rule(&err), "petition.association_age");
        // Another field than the association's: refused.
        let err = app
            .client(&rep)
            .create_petition(CreatePetitionRequest {
                kind: PetitionKind::Association as i32,
                title: "Stadium".into(),
                object: "Build a stadium".into(),
                subject_field: "sport".into(),
                association_id: associations[1].clone(),
            })
            .await
            .unwrap_err();
        assert_eq!(rule(&err), "petition.association_activity");
        // Someone who does not represent it: refused.
        let stranger = app.verified("laayoune").await;
        let err = app
            .client(&stranger)
            .create_petition(CreatePetitionRequest {
                kind: PetitionKind::Association as i32,
                title: "Bus line".into(),
                object: "Put a bus line on the agenda".into(),
                subject_field: "transport".into(),
                association_id: associations[1].clone(),
            })
            .await
            .unwrap_err();
        assert_eq!(rule(&err), "petition.association_representative");
        assert_eq!(app.count("petitions").await, 0);
        // Old enough, verified, in the region, in its field: accepted, and depositable without
        // a signature minimum.
        let p = petition(&app, &rep, PetitionKind::Association, &associations[1]).await;
        // Only the agent (the association's representative) moves it; a draft is invisible to
        // others.
        let mut other = app.client(&stranger);
        let start = || StartCollectingRequest { petition_id: p.petition_id.clone() };
        assert_eq!(other.start_collecting(start()).await.unwrap_err().code(), Code::NotFound);
        app.client(&rep)
            .start_collecting(StartCollectingRequest { petition_id: p.petition_id.clone() })
            .await
            .unwrap();
        let before = app.written().await;
        assert_eq!(deposit(&app, &stranger, &p.petition_id).await.unwrap_err().code(), Code::PermissionDenied);
        assert_eq!(app.written().await, before);
        let p = deposit(&app, &rep, &p.petition_id).await.expect("deposit");
        assert_eq!(p.status, PetitionStatus::Deposited as i32);
        // Only staff answer: not the agent.
        let reject = || RejectPetitionRequest { petition_id: p.petition_id.clone(), reasons: "Outside the council's competences".into() };
        let admit = || AdmitPetitionRequest { petition_id: p.petition_id.clone(), session: "Ordinary session of March".into() };
        let mut agent = app.client(&rep);
        let before = app.written().await;
        assert_eq!(agent.reject_petition(reject()).await.unwrap_err().code(), Code::PermissionDenied);
        assert_eq!(agent.admit_petition(admit()).await.unwrap_err().code(), Code::PermissionDenied);
        assert_eq!(app.written().await, before);
        // Answered in time: not late.
        let staff = app.staff().await;
        let p = app
            .client(&staff)
            .reject_petition(RejectPetitionRequest { petition_id: p.petition_id.clone(), reasons: "Outside the council's competences".into() })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(p.status, PetitionStatus::Rejected as i32);
        assert!(!p.late);
        let p = app
            .client(&staff)
            .close_petition(ClosePetitionRequest { petition_id: p.petition_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .petition
            .unwrap();
        assert_eq!(p.status, PetitionStatus::Closed as i32);
        let counts = app.event_counts().await;
        for t in ["consultation.petition.created", "consultation.petition.deposited", "consultation.petition.rejected"] {
            assert_eq!(counts.get(t), Some(&1), "{t}: {counts:?}");
        }
        assert_eq!(counts.len(), 3, "{counts:?}");
        app.assert_no_personal_data(&[&rep, &stranger, &staff]).await;
    }
}

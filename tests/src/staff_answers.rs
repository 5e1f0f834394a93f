//! The "Answers and follow-up" desk of the staff console: the proposals awaiting an answer,
//! answered (evaluating, then a final answer) with reasons; an adopted opinion's
//! recommendations answered, then followed up, and a Regional Forum recommendation the same
//! way; each refusal beside its field or as the rule's sentence, in Arabic and French;
//! anonymous sent to sign in, a citizen refused with nothing written; every effect read back
//! through gRPC.

use tachawor_proto::{
    consultation::{self as c, Opinion, Proposal},
    identity::{AddInstanceMemberRequest, ListInstancesRequest, MemberRole},
};

use crate::{
    Person, Platform, scenario,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::form_token,
};

async fn proposal(p: &Platform, staff: &Person, id: &str) -> Proposal {
    p.consultation_as(&staff.token)
        .get_proposal(c::GetProposalRequest {
            proposal_id: id.into(),
        })
        .await
        .expect("get proposal")
        .into_inner()
        .proposal
        .expect("proposal")
}

async fn opinion(p: &Platform, staff: &Person, id: &str) -> Opinion {
    p.consultation_as(&staff.token)
        .get_opinion(c::GetOpinionRequest {
            opinion_id: id.into(),
        })
        .await
        .expect("get opinion")
        .into_inner()
        .opinion
        .expect("opinion")
}

/// An adopted opinion of one of the region's instances, with two recommendations.
pub(crate) async fn adopted_opinion(p: &Platform, staff: &Person) -> Opinion {
    let mut staff_identity = p.identity_as(&staff.token);
    let instance = staff_identity
        .list_instances(ListInstancesRequest::default())
        .await
        .expect("list instances")
        .into_inner()
        .instances
        .into_iter()
        .next()
        .expect("the region's instances")
        .instance_id;
    let member = p.resident(staff, "boujdour").await;
    staff_identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instance.clone(),
            account_id: member.id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let member = p.relogin(&member).await;
    let mut mc = p.consultation_as(&member.token);
    let draft = mc
        .draft_opinion(c::DraftOpinionRequest {
            instance_id: instance,
            matter: "Emploi des jeunes diplômés".into(),
            referral: c::Referral::Council as i32,
            consultation_id: String::new(),
            body: "L'instance recommande deux mesures.".into(),
            recommendations: vec!["Stages rémunérés".into(), "Guichet unique".into()],
        })
        .await
        .expect("draft opinion")
        .into_inner()
        .opinion
        .expect("opinion");
    // Adoption is by the members' vote: the instance's only member votes for.
    mc.cast_opinion_vote(c::CastOpinionVoteRequest {
        opinion_id: draft.opinion_id.clone(),
        choice: c::VoteChoice::For as i32,
    })
    .await
    .expect("vote on the opinion");
    mc.adopt_opinion(c::AdoptOpinionRequest {
        opinion_id: draft.opinion_id,
    })
    .await
    .expect("adopt opinion")
    .into_inner()
    .opinion
    .expect("opinion")
}

/// The Forum edition's only recommendation, as the service holds it.
async fn forum_recommendation(
    p: &Platform,
    staff: &Person,
    edition: &str,
) -> c::ForumRecommendation {
    p.consultation_as(&staff.token)
        .get_forum_edition(c::GetForumEditionRequest {
            edition_id: edition.into(),
        })
        .await
        .expect("get forum edition")
        .into_inner()
        .edition
        .expect("edition")
        .themes
        .into_iter()
        .flat_map(|t| t.workshops)
        .flat_map(|w| w.recommendations)
        .next()
        .expect("the edition's recommendation")
}

fn answer(p: &Proposal) -> c::ProposalAnswer {
    c::ProposalAnswer::try_from(p.answer).expect("a known answer")
}

pub async fn check_answers_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let (consultation, _) = scenario::open_consultation(p, &staff).await;
    let resident = p.resident(&staff, "laayoune").await;
    let proposal_id = crate::scenario::submit_proposal(
        p,
        &resident.token,
        &consultation,
        "Une ligne de bus entre les provinces",
        "Relier Laâyoune et Tarfaya chaque jour.",
    )
    .await;
    let adopted = adopted_opinion(p, &staff).await;
    let rec = adopted.recommendations[0].recommendation_id.clone();
    let opinion_path = format!("/fr/staff/answers/opinions/{}", adopted.opinion_id);
    let rec_path = format!("{opinion_path}/recommendations/{rec}");
    let proposal_path = format!("/ar/staff/answers/proposals/{proposal_id}");

    // Who may open it.
    let anonymous = crate::web::get(p.portal, "/ar/staff/answers", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/ar/sign-in?next=%2Far%2Fstaff%2Fanswers"),
        "{:?}",
        anonymous.headers
    );
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in [
        "/fr/staff/answers".to_string(),
        proposal_path.replace("/ar/", "/fr/"),
        opinion_path.clone(),
        rec_path.clone(),
    ] {
        let refused = as_citizen.get(&path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            &proposal_path.replace("/ar/", "/fr/"),
            &[("csrf", &token), ("answer", "accepted"), ("reasons", "Oui")],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    let denied = as_citizen
        .post_raw(
            &rec_path,
            &[("csrf", &token), ("answer", "accepted"), ("reasons", "Oui")],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(
        answer(&proposal(p, &staff, &proposal_id).await),
        c::ProposalAnswer::Unspecified
    );
    assert_eq!(
        opinion(p, &staff, &adopted.opinion_id)
            .await
            .recommendations[0]
            .answer,
        c::RecommendationAnswer::Unspecified as i32
    );

    // The desk: the proposal awaiting an answer under its consultation, the adopted opinion;
    // linked from the console's home.
    let mut as_staff = sign_in(p, &staff, "ar").await;
    let home = as_staff.get("/ar/staff").await;
    assert!(
        home.body.contains("href=\"/ar/staff/answers\""),
        "{}",
        home.body
    );
    assert!(home.plain().contains("الردود والتتبع"));
    let desk = as_staff.get("/ar/staff/answers").await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "ar");
    assert_eq!(desk.header("cache-control"), "no-store");
    assert!(
        desk.body
            .contains("href=\"/ar/staff/answers\" aria-current=\"page\""),
        "the desk is current in the navigation"
    );
    assert!(
        desk.body.contains(&format!("href=\"{proposal_path}\"")),
        "{}",
        desk.body
    );
    assert!(
        desk.body.contains(&format!(
            "href=\"/ar/staff/answers/opinions/{}\"",
            adopted.opinion_id
        )),
        "{}",
        desk.body
    );

    // A proposal: the answer and reasons required beside their fields, nothing written.
    let page = as_staff.get(&proposal_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    let missing = as_staff
        .submit(
            &proposal_path,
            &proposal_path,
            &[("answer", ""), ("reasons", " ")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "answer", "اختر ردا.");
    assert_beside(&missing, "reasons", "اذكر أسباب الرد.");
    let bad = as_staff
        .submit(
            &proposal_path,
            &proposal_path,
            &[("answer", "maybe"), ("reasons", "x")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_beside(&bad, "answer", "اختر ردا من القائمة.");
    let long = "م".repeat(5001);
    let too_long = as_staff
        .submit(
            &proposal_path,
            &proposal_path,
            &[("answer", "accepted"), ("reasons", &long)],
        )
        .await;
    assert_eq!(too_long.status, 422, "{}", too_long.body);
    assert_beside(&too_long, "reasons", "يجب ألا تتجاوز الأسباب 5.000 حرف.");
    assert_eq!(
        answer(&proposal(p, &staff, &proposal_id).await),
        c::ProposalAnswer::Unspecified
    );
    // Evaluating, then accepted: each read back through gRPC.
    let evaluating = as_staff
        .submit(
            &proposal_path,
            &proposal_path,
            &[
                ("answer", "evaluating"),
                ("reasons", "قيد الدراسة لدى اللجنة"),
            ],
        )
        .await;
    assert_eq!(evaluating.status, 303, "{}", evaluating.body);
    assert!(
        as_staff
            .follow(&evaluating)
            .await
            .plain()
            .contains("سجل الرد")
    );
    assert_eq!(
        answer(&proposal(p, &staff, &proposal_id).await),
        c::ProposalAnswer::Evaluating
    );
    let reasons = "Inscrite au budget 2027.";
    let fr_path = proposal_path.replace("/ar/", "/fr/");
    let accepted = as_staff
        .submit(
            &fr_path,
            &fr_path,
            &[("answer", "accepted"), ("reasons", reasons)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let now = proposal(p, &staff, &proposal_id).await;
    assert_eq!(answer(&now), c::ProposalAnswer::Accepted);
    assert_eq!(now.answer_reasons, reasons);
    let shown = as_staff.follow(&accepted).await;
    assert_localized(&shown, "fr");
    assert!(shown.plain().contains("La réponse définitive est donnée"));
    // Final: another answer is refused with the rule's sentence, nothing changed (the page
    // has no form any more: the token from another page).
    let token = form_token(&as_staff.get("/fr/account").await);
    let again = as_staff
        .post_raw(
            &fr_path,
            &[("csrf", &token), ("answer", "rejected"), ("reasons", "Non")],
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(
        again.plain().contains("a déjà reçu une réponse définitive"),
        "{}",
        again.plain()
    );
    assert_eq!(
        answer(&proposal(p, &staff, &proposal_id).await),
        c::ProposalAnswer::Accepted
    );
    // Answered: no longer on the desk.
    let desk = as_staff.get("/fr/staff/answers").await;
    assert!(!desk.body.contains(&proposal_id), "{}", desk.body);

    // A recommendation: the answer required (French), then accepted.
    let page = as_staff.get(&opinion_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "fr");
    assert!(
        page.body.contains(&format!("href=\"{rec_path}\"")),
        "{}",
        page.body
    );
    let missing = as_staff
        .submit(&rec_path, &rec_path, &[("answer", ""), ("reasons", "")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "answer", "Choisissez une réponse.");
    assert_beside(&missing, "reasons", "Indiquez les motifs de la réponse.");
    // Following up an unanswered recommendation: the rule, nothing written.
    let follow_path = format!("{rec_path}/follow-up");
    let not_yet = as_staff
        .submit(
            &rec_path,
            &follow_path,
            &[("follow_up", "in_progress"), ("note", "")],
        )
        .await;
    assert_eq!(not_yet.status, 422, "{}", not_yet.body);
    assert!(
        not_yet
            .plain()
            .contains("Seule une recommandation acceptée a un suivi."),
        "{}",
        not_yet.plain()
    );
    let rec_now = |o: Opinion| {
        o.recommendations
            .into_iter()
            .find(|r| r.recommendation_id == rec)
            .expect("the recommendation")
    };
    let r = rec_now(opinion(p, &staff, &adopted.opinion_id).await);
    assert_eq!(r.answer, c::RecommendationAnswer::Unspecified as i32);
    assert_eq!(r.follow_up, c::FollowUp::NotStarted as i32);
    let reasons = "Retenue au programme d'action.";
    let accepted = as_staff
        .submit(
            &rec_path,
            &rec_path,
            &[("answer", "accepted"), ("reasons", reasons)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    assert!(
        as_staff
            .follow(&accepted)
            .await
            .plain()
            .contains("La réponse à la recommandation est enregistrée.")
    );
    let r = rec_now(opinion(p, &staff, &adopted.opinion_id).await);
    assert_eq!(r.answer, c::RecommendationAnswer::Accepted as i32);
    assert_eq!(r.answer_reasons, reasons);

    // Follow-up: the step required beside its field (Arabic), then in progress, implemented.
    let ar_rec = rec_path.replace("/fr/", "/ar/");
    let ar_follow = format!("{ar_rec}/follow-up");
    let missing = as_staff
        .submit(&ar_rec, &ar_follow, &[("follow_up", ""), ("note", "")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "ar");
    assert_beside(&missing, "follow_up", "اختر مرحلة.");
    let note = "Premières conventions signées.";
    let moved = as_staff
        .submit(
            &ar_rec,
            &ar_follow,
            &[("follow_up", "in_progress"), ("note", note)],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert!(
        as_staff
            .follow(&moved)
            .await
            .plain()
            .contains("سجل تتبع التوصية.")
    );
    let r = rec_now(opinion(p, &staff, &adopted.opinion_id).await);
    assert_eq!(r.follow_up, c::FollowUp::InProgress as i32);
    assert_eq!(r.follow_up_note, note);
    let done = as_staff
        .submit(
            &rec_path,
            &follow_path,
            &[("follow_up", "implemented"), ("note", "")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let r = rec_now(opinion(p, &staff, &adopted.opinion_id).await);
    assert_eq!(r.follow_up, c::FollowUp::Implemented as i32);
    // Forward only: back to in progress is refused with the rule, nothing changed.
    let token = form_token(&as_staff.get("/fr/account").await);
    let back = as_staff
        .post_raw(
            &follow_path,
            &[("csrf", &token), ("follow_up", "in_progress"), ("note", "")],
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    assert!(
        back.plain().contains("Le suivi ne fait qu’avancer"),
        "{}",
        back.plain()
    );
    let r = rec_now(opinion(p, &staff, &adopted.opinion_id).await);
    assert_eq!(r.follow_up, c::FollowUp::Implemented as i32);

    check_forum_recommendations(p, &staff, &mut as_staff, &mut as_citizen).await;
}

/// A Forum recommendation on the same desk: listed under its edition, refused to a citizen,
/// answered and followed up by staff with the same forms and rules.
async fn check_forum_recommendations(
    p: &Platform,
    staff: &Person,
    as_staff: &mut crate::web::Browser,
    as_citizen: &mut crate::web::Browser,
) {
    let (edition, _) = crate::portal::seed_forum(p, staff).await;
    let rec = forum_recommendation(p, staff, &edition).await;
    let edition_path = format!("/fr/staff/answers/forum/{edition}");
    let rec_path = format!(
        "{edition_path}/recommendations/{}",
        rec.forum_recommendation_id
    );
    let follow_path = format!("{rec_path}/follow-up");
    for path in [&edition_path, &rec_path] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            &rec_path,
            &[("csrf", &token), ("answer", "accepted"), ("reasons", "Oui")],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(
        forum_recommendation(p, staff, &edition).await.answer,
        c::RecommendationAnswer::Unspecified as i32
    );

    let desk = as_staff.get("/ar/staff/answers").await;
    assert!(
        desk.body
            .contains(&format!("href=\"/ar/staff/answers/forum/{edition}\"")),
        "{}",
        desk.body
    );
    let page = as_staff.get(&edition_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "fr");
    assert!(
        page.body.contains(&format!("href=\"{rec_path}\"")),
        "{}",
        page.body
    );
    assert!(
        page.plain().contains("Dessalement"),
        "the workshop: {}",
        page.plain()
    );
    let missing = as_staff
        .submit(&rec_path, &rec_path, &[("answer", ""), ("reasons", "")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "answer", "Choisissez une réponse.");
    assert_eq!(
        forum_recommendation(p, staff, &edition).await.answer,
        c::RecommendationAnswer::Unspecified as i32
    );
    let reasons = "Étude lancée avec l'agence de bassin.";
    let accepted = as_staff
        .submit(
            &rec_path,
            &rec_path,
            &[("answer", "accepted"), ("reasons", reasons)],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let shown = as_staff.follow(&accepted).await;
    assert!(
        shown
            .plain()
            .contains("La réponse à la recommandation est enregistrée.")
    );
    assert!(
        shown.body.contains(&format!("href=\"{edition_path}\"")),
        "back to the edition: {}",
        shown.body
    );
    let now = forum_recommendation(p, staff, &edition).await;
    assert_eq!(now.answer, c::RecommendationAnswer::Accepted as i32);
    assert_eq!(now.answer_reasons, reasons);
    let moved = as_staff
        .submit(
            &rec_path,
            &follow_path,
            &[("follow_up", "in_progress"), ("note", "")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        forum_recommendation(p, staff, &edition).await.follow_up,
        c::FollowUp::InProgress as i32
    );
    // Forward only, as for the instances' recommendations.
    let ar_rec = rec_path.replace("/fr/", "/ar/");
    let token = form_token(&as_staff.get("/fr/account").await);
    let back = as_staff
        .post_raw(
            &format!("{ar_rec}/follow-up"),
            &[("csrf", &token), ("follow_up", "in_progress"), ("note", "")],
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    assert_localized(&back, "ar");
    assert_eq!(
        forum_recommendation(p, staff, &edition).await.follow_up,
        c::FollowUp::InProgress as i32
    );
}

/// What the browser's tour of the desk needs: a proposal awaiting an answer in `consultation`
/// (open) and an adopted opinion with its first recommendation.
pub async fn seed_for_browser(
    p: &Platform,
    staff: &Person,
    consultation: &str,
) -> serde_json::Value {
    let author = p.resident(staff, "tarfaya").await;
    let proposal = crate::scenario::submit_proposal(
        p,
        &author.token,
        consultation,
        "مسار للدراجات على الكورنيش",
        "تهيئة مسار آمن للدراجات.",
    )
    .await;
    let opinion = adopted_opinion(p, staff).await;
    let (edition, _) = crate::portal::seed_forum(p, staff).await;
    let forum_rec = forum_recommendation(p, staff, &edition).await;
    serde_json::json!({
        "proposal": proposal,
        "opinion": opinion.opinion_id,
        "recommendation": opinion.recommendations[0].recommendation_id,
        "edition": edition,
        "forum_recommendation": forum_rec.forum_recommendation_id,
    })
}

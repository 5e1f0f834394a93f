//! The scenario: citizens verified in all four provinces, an association and a consultative
//! instance, a training session taken through registrations, check-ins, evaluations and
//! certificates, a consultation with responses, proposals, supports and comments, an opinion
//! whose recommendation is answered, and a citizen petition taken to deposit and an answer.
//! Every action adds what it must count to [`Expected`].

use std::{
    collections::{BTreeMap, HashMap},
    time::Duration,
};

use futures::{StreamExt, stream};
use tachawor_proto::{
    common::{Date, LocalizedText},
    consultation::{self as c, Answer},
    identity::{
        AddInstanceMemberRequest, CreateAssociationRequest, CreateInstanceRequest, MemberRole,
        VerifyAssociationRequest,
    },
    reporting::{Dimension, MilestoneEvidence},
    training::{self as t, RegistrationStatus},
};

use crate::{Person, Platform};

/// The commitment and milestone the training program serves.
pub const COMMITMENT: &str = "MALAA0004";
pub const MILESTONE: &str = "MALAA0004-1";
/// MALAA0004-1's window, by month.
const MILESTONE_MONTHS: (&str, &str) = ("2025-06", "2026-12");

const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];
/// People the consultation part needs besides the petition's minimum.
const POOL_AT_LEAST: usize = 24;
const SEATS: usize = 6;
const TRAINEES_PER_PROVINCE: usize = 2;
const ATTENDED: usize = 5;
const SATISFACTION: [i32; 4] = [5, 4, 3, 5];
const CERTIFICATES: usize = 3;

/// A figure reporting must show: (indicator, split, month, group).
pub type Key = (String, i32, String, String);

/// What reporting must show after the scenario.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// Exact figures, by (indicator, split, month, group).
    pub cells: BTreeMap<Key, f64>,
    /// The evidence of [`MILESTONE`].
    pub milestone: MilestoneEvidence,
    /// Whether the petition was answered after its legal period.
    pub late_answer: bool,
    /// The citizens the scenario made (residents and trainees), signed in.
    pub people: Vec<Person>,
}

impl Expected {
    fn add(&mut self, indicator: &str, split: Dimension, month: &str, group: &str, value: f64) {
        *self
            .cells
            .entry((indicator.into(), split as i32, month.into(), group.into()))
            .or_default() += value;
    }

    /// One more of `indicator`, unsplit and in `province`.
    fn count(&mut self, indicator: &str, month: &str, province: &str) {
        self.add(indicator, Dimension::Unspecified, month, "", 1.0);
        self.add(indicator, Dimension::Province, month, province, 1.0);
    }

    /// The indicators expected under `split`.
    pub fn indicators(&self, split: Dimension) -> Vec<String> {
        let mut names: Vec<String> = self
            .cells
            .keys()
            .filter(|k| k.1 == split as i32)
            .map(|k| k.0.clone())
            .collect();
        names.dedup();
        names
    }
}

/// Who took part, and in which month first: reporting counts distinct people per month.
#[derive(Default)]
struct Participants(HashMap<String, (String, String)>);

impl Participants {
    fn note(&mut self, person: &Person, month: &str) {
        self.0
            .entry(person.id.clone())
            .or_insert_with(|| (month.to_string(), person.province.clone()));
    }
}

pub fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

pub fn ts(millis: i64) -> Option<prost_types::Timestamp> {
    Some(tachawor_proto::dates::timestamp(millis))
}

/// The time zone of the region's venues, as the test region's file names it.
pub fn venue_zone() -> tachawor_region::Zone {
    tachawor_region::Zone::named("Africa/Casablanca").expect("Morocco's zone")
}

/// Today at the venue, as training reads it (not the UTC day: after 23:00 UTC the venue is
/// already on the next day, and a session on the UTC day is in the past).
pub fn venue_today(now: i64) -> Date {
    tachawor_proto::dates::date_from_str(&venue_zone().date_of(now)).expect("a date")
}

/// One of each province in turn (while they last), so that every part of the scenario has
/// people from every province.
fn interleaved(people: Vec<Person>) -> Vec<Person> {
    let mut by_province: Vec<Vec<Person>> = PROVINCES
        .iter()
        .map(|province| {
            people
                .iter()
                .filter(|p| p.province == *province)
                .cloned()
                .collect()
        })
        .collect();
    let mut out = Vec::with_capacity(people.len());
    while out.len() < people.len() {
        for group in &mut by_province {
            if !group.is_empty() {
                out.push(group.remove(0));
            }
        }
    }
    out
}

fn in_milestone(month: &str) -> bool {
    (MILESTONE_MONTHS.0..=MILESTONE_MONTHS.1).contains(&month)
}

/// Runs the scenario and returns the figures it must give.
pub async fn run(p: &Platform) -> Expected {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let mut e = Expected::default();
    let mut parts = Participants::default();

    // Citizens in all four provinces: enough signers for the petition's rules (each province
    // its share), and trainees in every province.
    let rules = p
        .consultation_as("")
        .get_petition_rules(c::GetPetitionRulesRequest {})
        .await
        .expect("petition rules")
        .into_inner()
        .rules
        .expect("rules");
    let share = rules.province_minimum.max(1) as usize;
    let minimum = rules.minimum_signatures as usize;
    let first = minimum
        .max(POOL_AT_LEAST)
        .saturating_sub(3 * share)
        .max(share);
    let counts: Vec<(&str, usize)> = PROVINCES
        .iter()
        .map(|&province| {
            (
                province,
                if province == PROVINCES[0] {
                    first
                } else {
                    share
                },
            )
        })
        .collect();
    let trainees: Vec<(&str, usize)> = PROVINCES
        .iter()
        .map(|&province| (province, TRAINEES_PER_PROVINCE))
        .collect();
    let (people, trainees) =
        tokio::join!(p.residents(&staff, &counts), p.residents(&staff, &trainees));
    let people = interleaved(people);

    let (association, instance, member) = association_and_instance(p, &staff, &people).await;
    training(p, &staff, &trainees, &mut e, &mut parts).await;
    consultation(
        p,
        &staff,
        &people,
        &association,
        &instance,
        &member,
        &mut e,
        &mut parts,
    )
    .await;
    petition(p, &staff, &people, &mut e, &mut parts).await;

    for (month, province) in parts.0.values() {
        e.count("participants", month, province);
    }
    let window = |indicator: &str| -> i64 {
        e.cells
            .iter()
            .filter(|(k, _)| k.0 == indicator && k.1 == 0 && in_milestone(&k.2))
            .map(|(_, v)| *v as i64)
            .sum()
    };
    e.milestone = MilestoneEvidence {
        sessions_scheduled: 1,
        sessions_held: 1,
        forums_held: 0,
        participants: ATTENDED as i64,
        certificates: CERTIFICATES as i64,
        consultations_opened: window("consultations"),
        platform_contributions: [
            "responses",
            "proposals",
            "supports",
            "comments",
            "signatures",
        ]
        .iter()
        .map(|i| window(i))
        .sum(),
        measure: 1,
        target: 4,
        // MALAA0004 names no figure: the region chose the target.
        target_set_by_region: true,
        // The scenario holds no Regional Forum edition.
        ..Default::default()
    };
    e.people = people.iter().chain(&trainees).cloned().collect();
    e
}

/// An association created by a resident and verified by staff (its creator represents it),
/// and a consultative instance with a member signed in afresh (the token carries the scope).
async fn association_and_instance(
    p: &Platform,
    staff: &Person,
    people: &[Person],
) -> (String, String, Person) {
    let rep = &people[0];
    let association = p
        .identity_as(&rep.token)
        .create_association(CreateAssociationRequest {
            name: text("Association des usagers du transport"),
            registration_number: format!("R-{}", uuid::Uuid::new_v4().simple()),
            founded_on: Some(Date {
                year: 2015,
                month: 1,
                day: 1,
            }),
            province_code: rep.province.clone(),
            fields_of_activity: vec!["transport".into()],
        })
        .await
        .expect("create association")
        .into_inner()
        .association
        .expect("association")
        .association_id;
    let mut identity = p.identity_as(&staff.token);
    identity
        .verify_association(VerifyAssociationRequest {
            association_id: association.clone(),
        })
        .await
        .expect("verify association");
    let instance = identity
        .create_instance(CreateInstanceRequest {
            name: text("Instance de l'équité et de l'approche genre"),
            kind: "equality_gender".into(),
            ..Default::default()
        })
        .await
        .expect("create instance")
        .into_inner()
        .instance
        .expect("instance")
        .instance_id;
    identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instance.clone(),
            account_id: people[1].id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let member = p.relogin(&people[1]).await;
    (association, instance, member)
}

/// A one-day session of a program under [`MILESTONE`]: everyone registers, the first
/// [`SEATS`] are confirmed, staff check in [`ATTENDED`] of them, the session is held, some
/// evaluate it and some take their certificate.
async fn training(
    p: &Platform,
    staff: &Person,
    trainees: &[Person],
    e: &mut Expected,
    parts: &mut Participants,
) {
    let mut st = p.training_as(&staff.token);
    let program = program(p, staff).await;
    let now = p.now();
    let today = venue_today(now);
    let session = st
        .schedule_session(t::ScheduleSessionRequest {
            program_id: program,
            details: Some(t::SessionDetails {
                kind: t::SessionKind::TrainingSession as i32,
                title: text("Atelier démocratie participative"),
                days: vec![today],
                venue: Some(t::Venue {
                    province_code: "laayoune".into(),
                    address: "Siège du Conseil régional".into(),
                }),
                online_url: String::new(),
                capacity: SEATS as i32,
                registration_opens_at: ts(now - 3_600_000),
                registration_closes_at: ts(now + 30 * 86_400_000),
                facilitators: vec!["Formateur".into()],
                materials: Vec::new(),
                eligibility: t::Eligibility::Open as i32,
                attendance_threshold_percent: 0,
                // Dates only, as a client from before session times writes them.
                schedule: Vec::new(),
            }),
            idempotency_key: String::new(),
        })
        .await
        .expect("schedule session")
        .into_inner()
        .session
        .expect("session")
        .session_id;

    // One at a time, so who gets a seat is known.
    let mut confirmed = Vec::new();
    for trainee in trainees {
        let registration = p
            .training_as(&trainee.token)
            .register(t::RegisterRequest {
                session_id: session.clone(),
                idempotency_key: String::new(),
            })
            .await
            .expect("register")
            .into_inner()
            .registration
            .expect("registration");
        e.count("registrations", &p.month(), &trainee.province);
        if registration.status == RegistrationStatus::Confirmed as i32 {
            confirmed.push((trainee, registration.registration_id));
        }
    }
    assert_eq!(confirmed.len(), SEATS, "the first {SEATS} get a seat");

    let attended = &confirmed[..ATTENDED];
    for (trainee, registration) in attended {
        st.check_in(t::CheckInRequest {
            registration_id: registration.clone(),
            day: Some(today),
            idempotency_key: String::new(),
        })
        .await
        .expect("check in");
        parts.note(trainee, &p.month());
    }
    st.mark_session_held(t::MarkSessionHeldRequest {
        session_id: session.clone(),
    })
    .await
    .expect("mark held");
    let month = p.month();
    e.add("sessions_held", Dimension::Unspecified, &month, "", 1.0);
    e.add(
        "attendance_rate",
        Dimension::Unspecified,
        &month,
        "",
        ATTENDED as f64 / SEATS as f64,
    );

    for ((trainee, _), satisfaction) in attended.iter().zip(SATISFACTION) {
        p.training_as(&trainee.token)
            .submit_evaluation(t::SubmitEvaluationRequest {
                session_id: session.clone(),
                satisfaction,
                comment: "Très utile".into(),
                pre_test_score: None,
                post_test_score: None,
                idempotency_key: String::new(),
            })
            .await
            .expect("evaluate");
    }
    let mean = SATISFACTION.iter().sum::<i32>() as f64 / SATISFACTION.len() as f64;
    e.add("satisfaction", Dimension::Unspecified, &p.month(), "", mean);

    for (trainee, _) in &attended[..CERTIFICATES] {
        p.training_as(&trainee.token)
            .issue_certificate(t::IssueCertificateRequest {
                session_id: session.clone(),
                account_id: String::new(),
                certificate_name: "Participant".into(),
                idempotency_key: String::new(),
            })
            .await
            .expect("certificate");
        e.count("certificates", &p.month(), &trainee.province);
    }
}

/// A public consultation with one question: responses (one edited), proposals (one for the
/// association), supports, comments; and an opinion of the instance on it, one of whose
/// recommendations staff accept.
#[allow(clippy::too_many_arguments)]
async fn consultation(
    p: &Platform,
    staff: &Person,
    people: &[Person],
    association: &str,
    instance: &str,
    member: &Person,
    e: &mut Expected,
    parts: &mut Participants,
) {
    let mut sc = p.consultation_as(&staff.token);
    let (id, question) = open_consultation(p, staff).await;
    e.add("consultations", Dimension::Unspecified, &p.month(), "", 1.0);

    let respond = |person: &Person, value: i32| {
        let (mut client, id, question) = (
            p.consultation_as(&person.token),
            id.clone(),
            question.clone(),
        );
        async move {
            client
                .submit_response(c::SubmitResponseRequest {
                    consultation_id: id,
                    answers: vec![Answer {
                        question_id: question,
                        scale_value: value,
                        ..Default::default()
                    }],
                    idempotency_key: String::new(),
                })
                .await
                .expect("respond")
                .into_inner()
        }
    };
    for (i, person) in people[2..12].iter().enumerate() {
        respond(person, 1 + (i as i32 % 5)).await;
        e.count("responses", &p.month(), &person.province);
        parts.note(person, &p.month());
    }
    // An edit replaces the response: not counted again.
    assert!(respond(&people[2], 5).await.edited);

    let mut proposals = Vec::new();
    for (person, for_association) in [
        (&people[0], true),
        (&people[12], false),
        (&people[13], false),
    ] {
        let proposal = p
            .consultation_as(&person.token)
            .submit_proposal(c::SubmitProposalRequest {
                consultation_id: id.clone(),
                title: "Une ligne de bus vers Tarfaya".into(),
                body: "Relier les provinces par un service régulier.".into(),
                association_id: if for_association {
                    association.into()
                } else {
                    String::new()
                },
                idempotency_key: String::new(),
            })
            .await
            .expect("propose")
            .into_inner()
            .proposal
            .expect("proposal")
            .proposal_id;
        e.count("proposals", &p.month(), &person.province);
        parts.note(person, &p.month());
        proposals.push(proposal);
    }
    let supports = [(0, 14..17), (1, 17..19), (2, 19..20)];
    for (proposal, supporters) in supports {
        for person in &people[supporters] {
            p.consultation_as(&person.token)
                .support_proposal(c::SupportProposalRequest {
                    proposal_id: proposals[proposal].clone(),
                    idempotency_key: String::new(),
                })
                .await
                .expect("support");
            e.count("supports", &p.month(), &person.province);
            parts.note(person, &p.month());
        }
    }
    for (person, proposal) in [
        (&people[20], String::new()),
        (&people[21], proposals[0].clone()),
    ] {
        p.consultation_as(&person.token)
            .post_comment(c::PostCommentRequest {
                consultation_id: id.clone(),
                proposal_id: proposal,
                parent_comment_id: String::new(),
                body: "Bonne idée.".into(),
                idempotency_key: String::new(),
            })
            .await
            .expect("comment");
        e.count("comments", &p.month(), &person.province);
        parts.note(person, &p.month());
    }

    let mut m = p.consultation_as(&member.token);
    let opinion = m
        .draft_opinion(c::DraftOpinionRequest {
            instance_id: instance.into(),
            matter: "Accès des femmes aux emplois régionaux".into(),
            referral: c::Referral::Council as i32,
            consultation_id: id.clone(),
            body: "L'instance recommande...".into(),
            recommendations: vec!["Quotas".into(), "Crèches".into(), "Formation".into()],
        })
        .await
        .expect("draft opinion")
        .into_inner()
        .opinion
        .expect("opinion");
    // Adoption is by the members' vote: the instance's only member votes for.
    m.cast_opinion_vote(c::CastOpinionVoteRequest {
        opinion_id: opinion.opinion_id.clone(),
        choice: c::VoteChoice::For as i32,
    })
    .await
    .expect("vote on the opinion");
    // The vote counts its member among the participants under their residence province, where
    // they already took part this month: nothing new in any cell.
    let adopted = m
        .adopt_opinion(c::AdoptOpinionRequest {
            opinion_id: opinion.opinion_id,
        })
        .await
        .expect("adopt opinion")
        .into_inner()
        .opinion
        .expect("opinion");
    e.add(
        "recommendations_issued",
        Dimension::Unspecified,
        &p.month(),
        "",
        adopted.recommendations.len() as f64,
    );
    sc.answer_recommendation(c::AnswerRecommendationRequest {
        recommendation_id: adopted.recommendations[0].recommendation_id.clone(),
        answer: c::RecommendationAnswer::Accepted as i32,
        reasons: "Budget 2027".into(),
    })
    .await
    .expect("answer recommendation");
    e.add(
        "recommendations_accepted",
        Dimension::Unspecified,
        &p.month(),
        "",
        1.0,
    );
}

/// A citizen petition signed by everyone in `people` (the rules' minimum, each province its
/// share) and by one more who withdraws, deposited by its agent, and declared admissible by
/// staff: after the legal period when the clock can be moved (a late answer), at once otherwise.
async fn petition(
    p: &Platform,
    staff: &Person,
    people: &[Person],
    e: &mut Expected,
    parts: &mut Participants,
) {
    let agent = &people[3];
    let mut a = p.consultation_as(&agent.token);
    let id = collecting_petition(p, agent).await;
    e.add(
        "petitions_created",
        Dimension::Unspecified,
        &p.month(),
        "",
        1.0,
    );

    let month = p.month();
    let signed: Vec<()> = stream::iter(people)
        .map(|person| {
            let (mut client, id) = (p.consultation_as(&person.token), id.clone());
            async move {
                client
                    .sign_petition(c::SignPetitionRequest {
                        petition_id: id,
                        declared_activity_province_code: String::new(),
                        idempotency_key: String::new(),
                    })
                    .await
                    .expect("sign");
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert_eq!(signed.len(), people.len());
    for person in people {
        e.count("signatures", &month, &person.province);
        parts.note(person, &month);
    }

    // A signature withdrawn before deposit counts neither as a signature nor as taking part.
    let changed_mind = p.resident(staff, "tarfaya").await;
    let mut client = p.consultation_as(&changed_mind.token);
    client
        .sign_petition(c::SignPetitionRequest {
            petition_id: id.clone(),
            declared_activity_province_code: String::new(),
            idempotency_key: String::new(),
        })
        .await
        .expect("sign");
    client
        .withdraw_signature(c::WithdrawSignatureRequest {
            petition_id: id.clone(),
        })
        .await
        .expect("withdraw");

    let deposited = a
        .deposit_petition(c::DepositPetitionRequest {
            petition_id: id.clone(),
        })
        .await
        .expect("deposit")
        .into_inner()
        .petition
        .expect("petition");
    assert_eq!(deposited.status, c::PetitionStatus::Deposited as i32);
    e.add(
        "petitions_deposited",
        Dimension::Unspecified,
        &p.month(),
        "",
        1.0,
    );

    if let Some(clock) = &p.manual {
        // Past the two calendar months the council has to answer (62 days are not always
        // past them: from 1 December they end on the due date).
        let now = p.now();
        let past_due = tachawor_proto::dates::add_months(now, 2) + 86_400_000 - now;
        clock.advance(Duration::from_millis(past_due as u64));
        e.late_answer = true;
    }
    let admitted = p
        .consultation_as(&staff.token)
        .admit_petition(c::AdmitPetitionRequest {
            petition_id: id,
            session: "Session ordinaire de mars".into(),
        })
        .await
        .expect("admit")
        .into_inner()
        .petition
        .expect("petition");
    assert_eq!(admitted.status, c::PetitionStatus::Admissible as i32);
    assert_eq!(admitted.late, e.late_answer);
    let month = p.month();
    e.add(
        "petitions_admitted",
        Dimension::Unspecified,
        &month,
        "",
        1.0,
    );
    if e.late_answer {
        e.add(
            "petitions_answered_late",
            Dimension::Unspecified,
            &month,
            "",
            1.0,
        );
    }
}

/// A program under [`MILESTONE`], created by `staff`.
pub async fn program(p: &Platform, staff: &Person) -> String {
    p.training_as(&staff.token)
        .create_program(t::CreateProgramRequest {
            title: text("Formation des membres des instances"),
            objectives: text("Maîtriser les mécanismes participatifs"),
            audiences: vec![
                t::Audience::InstanceMembers as i32,
                t::Audience::Associations as i32,
            ],
            milestone_ref: MILESTONE.into(),
            province_codes: vec!["laayoune".into()],
            idempotency_key: String::new(),
        })
        .await
        .expect("create program")
        .into_inner()
        .program
        .expect("program")
        .program_id
}

/// A proposal in `consultation` by the person signed in with `token`: its id.
pub async fn submit_proposal(
    p: &Platform,
    token: &str,
    consultation: &str,
    title: &str,
    body: &str,
) -> String {
    p.consultation_as(token)
        .submit_proposal(c::SubmitProposalRequest {
            consultation_id: consultation.into(),
            title: title.into(),
            body: body.into(),
            ..Default::default()
        })
        .await
        .expect("submit proposal")
        .into_inner()
        .proposal
        .expect("proposal")
        .proposal_id
}

/// A public consultation of the council with one required scale question (1–5), open for a
/// week: its id and the question's.
pub async fn open_consultation(p: &Platform, staff: &Person) -> (String, String) {
    let mut sc = p.consultation_as(&staff.token);
    let id = sc
        .create_consultation(c::CreateConsultationRequest {
            title: text("Programme de développement régional"),
            body: text("Quelles priorités ?"),
            organizer: Some(c::Organizer {
                kind: c::OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: c::Audience::Public as i32,
            province_codes: Vec::new(),
            ..Default::default()
        })
        .await
        .expect("create consultation")
        .into_inner()
        .consultation
        .expect("consultation")
        .consultation_id;
    let question = sc
        .add_question(c::AddQuestionRequest {
            consultation_id: id.clone(),
            kind: c::QuestionKind::Scale as i32,
            prompt: text("Importance du transport"),
            options: Vec::new(),
            scale_min: 1,
            scale_max: 5,
            required: true,
            idempotency_key: String::new(),
        })
        .await
        .expect("add question")
        .into_inner()
        .question
        .expect("question")
        .question_id;
    sc.open_consultation(c::OpenConsultationRequest {
        consultation_id: id.clone(),
        closes_at: ts(p.now() + 7 * 86_400_000),
    })
    .await
    .expect("open consultation");
    (id, question)
}

/// A citizen petition by `agent`, collecting signatures.
pub async fn collecting_petition(p: &Platform, agent: &Person) -> String {
    let mut a = p.consultation_as(&agent.token);
    let id = a
        .create_petition(c::CreatePetitionRequest {
            kind: c::PetitionKind::Citizen as i32,
            title: "Un service de bus régional".into(),
            object: "Relier les quatre provinces par un service régulier.".into(),
            subject_field: "transport".into(),
            association_id: String::new(),
        })
        .await
        .expect("create petition")
        .into_inner()
        .petition
        .expect("petition")
        .petition_id;
    a.start_collecting(c::StartCollectingRequest {
        petition_id: id.clone(),
    })
    .await
    .expect("start collecting");
    id
}

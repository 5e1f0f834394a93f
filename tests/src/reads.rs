//! What reads cost in SQL statements. Every list RPC of every service is called for a page of 1
//! and a page of 20 over rows with children (questions, signatures, recommendations, waitlists,
//! representatives, memberships...) enough for both pages to be full: both pages must run as
//! many statements, so nothing is loaded one row at a time. Reads that are not paged are
//! compared over a small and a large subject (GetForumEdition), or before and after the
//! seeding (reporting); the point reads take one statement.
//!
//! Covered, from every `rpc List*` of proto/: identity ListAuditLog, ListAssociations,
//! ListInstances, ListProvinces (and SearchAccounts, paged too); consultation
//! ListConsultations, ListProposals, ListComments, ListModerationQueue, ListSurveyAnswers,
//! ListOpinions (by instance and public), ListForumEditions, ListForumContributions,
//! ListPetitions, ListSignatures, ListAuditLog, ListArticles; training ListPrograms, ListSessions,
//! ListMyRegistrations, ListRegistrations, ListAuditLog, ListPendingCertificateNames; reporting
//! ListCommitments, ListAuditLog; notification ListMyNotifications. Also GetForumEdition, GetCommitment,
//! GetIndicators, and the point reads
//! GetConsultation, GetPetition, GetSession.

use std::future::Future;

use tachawor_proto::{
    common::{Date, LocalizedText, PageRequest},
    consultation as c,
    identity::{self as i, AddInstanceMemberRequest, MemberRole},
    notification as n, reporting as r, training as t,
};

use crate::{Person, Platform, statements::Statements};

/// Rows made of each kind: a page of 20 is full and has a next page.
const ROWS: usize = 21;

const IDENTITY: &str = "tachawor.identity.v1.IdentityService";
const CONSULTATION: &str = "tachawor.consultation.v1.ConsultationService";
const TRAINING: &str = "tachawor.training.v1.TrainingService";
const REPORTING: &str = "tachawor.reporting.v1.ReportingService";
const NOTIFICATION: &str = "tachawor.notification.v1.NotificationService";

/// The statements each read ran, and the reads that cost more than they may.
pub struct Costs {
    statements: Statements,
    failures: Vec<String>,
}

impl Costs {
    pub fn new(statements: Statements) -> Self {
        Self {
            statements,
            failures: Vec::new(),
        }
    }

    /// Runs `call`, an RPC to `service/method`, and returns its answer and the statements the
    /// server ran for it. Calls are made one at a time, so they are this call's.
    async fn ran<F: Future>(
        &self,
        service: &str,
        method: &str,
        call: F,
    ) -> (F::Output, Vec<String>) {
        let name = format!("{service}/{method}");
        let before = self.statements.of(&name).len();
        let out = call.await;
        let after = self.statements.of(&name);
        (out, after[before.min(after.len())..].to_vec())
    }

    /// A page of 1, then a page of 20: both full, and as many statements.
    async fn pages<F, Fut>(&mut self, service: &str, method: &str, call: F)
    where
        F: Fn(Option<PageRequest>) -> Fut,
        Fut: Future<Output = usize>,
    {
        self.pages_for(service, method, "", call).await;
    }

    /// As [`Costs::pages`], `whom` saying who reads when one method is measured several ways.
    async fn pages_for<F, Fut>(&mut self, service: &str, method: &str, whom: &str, call: F)
    where
        F: Fn(Option<PageRequest>) -> Fut,
        Fut: Future<Output = usize>,
    {
        let label = format!("{method}{whom}");
        let (one, small) = self.ran(service, method, call(page(1))).await;
        let (twenty, large) = self.ran(service, method, call(page(20))).await;
        assert_eq!(one, 1, "{label}: a page of 1 is full");
        assert_eq!(twenty, 20, "{label}: a page of 20 is full");
        self.same(&label, ("a page of 1", small), ("a page of 20", large));
    }

    /// Records a failure when `a` and `b` ran different numbers of statements.
    fn same(&mut self, method: &str, a: (&str, Vec<String>), b: (&str, Vec<String>)) {
        let line = format!(
            "{method}: {} statements for {}, {} for {}",
            a.1.len(),
            a.0,
            b.1.len(),
            b.0
        );
        println!("{line}");
        if a.1.len() != b.1.len() {
            self.failures.push(format!(
                "{line}\n    {}: {:?}\n    {}: {:?}",
                a.0, a.1, b.0, b.1
            ));
        }
    }

    /// Records a failure when a point read ran more than `limit` statements.
    fn at_most(&mut self, method: &str, ran: Vec<String>, limit: usize) {
        let line = format!("{method}: {} statements (at most {limit})", ran.len());
        println!("{line}");
        if ran.len() > limit {
            self.failures.push(format!("{line}\n    {ran:?}"));
        }
    }

    /// Fails with every read that cost too much.
    pub fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "reads whose statements grow with what they read:\n{}",
            self.failures.join("\n")
        );
    }
}

fn page(size: i32) -> Option<PageRequest> {
    Some(PageRequest {
        page_size: size,
        page_token: String::new(),
    })
}

fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

fn ts(millis: i64) -> Option<prost_types::Timestamp> {
    Some(tachawor_proto::dates::timestamp(millis))
}

/// The people the reads are made by and for.
struct Cast {
    staff: Person,
    /// A resident who writes most things (proposals, comments, petitions, registrations).
    resident: Person,
    /// Another resident, waitlisted where `resident` has a seat.
    second: Person,
    /// Residents of every province, who sign and register.
    crowd: Vec<Person>,
    /// A member of `instance`, signed in with that scope.
    member: Person,
    instance: String,
}

async fn cast(p: &Platform) -> Cast {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let resident = p.resident(&staff, "laayoune").await;
    let second = p.resident(&staff, "boujdour").await;
    let crowd = p
        .residents(
            &staff,
            &[
                ("laayoune", 6),
                ("boujdour", 5),
                ("tarfaya", 5),
                ("es-semara", 5),
            ],
        )
        .await;
    let mut identity = p.identity_as(&staff.token);
    let instance = identity
        .create_instance(i::CreateInstanceRequest {
            name: text("Instance de la jeunesse"),
            kind: "youth".into(),
            ..Default::default()
        })
        .await
        .expect("create instance")
        .into_inner()
        .instance
        .expect("instance")
        .instance_id;
    let member = p.resident(&staff, "tarfaya").await;
    identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instance.clone(),
            account_id: member.id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let member = p.relogin(&member).await;
    Cast {
        staff,
        resident,
        second,
        crowd,
        member,
        instance,
    }
}

/// Reporting's reads, before anything is recorded: compared with the same reads afterwards.
struct ReportingBefore {
    commitments: Vec<String>,
    commitment: Vec<String>,
    indicators: Vec<String>,
    by_province: Vec<String>,
}

async fn reporting_reads(costs: &Costs, p: &Platform) -> ReportingBefore {
    let mut rc = p.reporting_as("");
    let (_, commitments) = costs
        .ran(REPORTING, "ListCommitments", async {
            rc.list_commitments(r::ListCommitmentsRequest {})
                .await
                .expect("list commitments")
        })
        .await;
    let mut rc = p.reporting_as("");
    let (_, commitment) = costs
        .ran(REPORTING, "GetCommitment", async {
            rc.get_commitment(r::GetCommitmentRequest {
                commitment_id: "MALAA0004".into(),
            })
            .await
            .expect("get commitment")
        })
        .await;
    let indicators = |split: r::Dimension| {
        let mut rc = p.reporting_as("");
        async move {
            rc.get_indicators(r::GetIndicatorsRequest {
                split_by: split as i32,
                ..Default::default()
            })
            .await
            .expect("get indicators")
        }
    };
    let (_, all) = costs
        .ran(
            REPORTING,
            "GetIndicators",
            indicators(r::Dimension::Unspecified),
        )
        .await;
    let (_, by_province) = costs
        .ran(
            REPORTING,
            "GetIndicators",
            indicators(r::Dimension::Province),
        )
        .await;
    ReportingBefore {
        commitments,
        commitment,
        indicators: all,
        by_province,
    }
}

/// Seeds the platform, then measures every read.
pub async fn measure(p: &Platform, statements: Statements) {
    let mut costs = Costs::new(statements);
    let before = reporting_reads(&costs, p).await;
    let cast = cast(p).await;
    identity(&mut costs, p, &cast).await;
    consultations(&mut costs, p, &cast).await;
    forum(&mut costs, p, &cast).await;
    petitions(&mut costs, p, &cast).await;
    training(&mut costs, p, &cast).await;
    pending_names(&mut costs, p, &cast).await;
    let after = reporting_reads(&costs, p).await;
    // The tracker reads the statuses staff set and one snapshot of the evidence (the totals
    // per milestone, the monthly totals, the learning gains), whatever the milestones; the
    // indicators read every indicator's cells at once, and the learning gains.
    costs.at_most("ListCommitments", after.commitments.clone(), 4);
    costs.at_most("GetCommitment", after.commitment.clone(), 4);
    costs.at_most("GetIndicators", after.indicators.clone(), 2);
    costs.at_most("GetIndicators by province", after.by_province.clone(), 2);
    costs.same(
        "ListCommitments",
        ("nothing recorded", before.commitments),
        ("after the seeding", after.commitments),
    );
    costs.same(
        "GetCommitment",
        ("nothing recorded", before.commitment),
        ("after the seeding", after.commitment),
    );
    costs.same(
        "GetIndicators",
        ("nothing recorded", before.indicators),
        ("after the seeding", after.indicators),
    );
    costs.same(
        "GetIndicators by province",
        ("nothing recorded", before.by_province),
        ("after the seeding", after.by_province),
    );
    reporting_audit(&mut costs, p, &cast).await;
    costs.finish();
}

/// Reporting's audit log, after as many audited milestone status changes as a full page.
async fn reporting_audit(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut rc = p.reporting_as(&cast.staff.token);
    for n in 0..ROWS {
        rc.set_milestone_status(r::SetMilestoneStatusRequest {
            milestone_id: "MALAA0004-1".into(),
            status: r::MilestoneStatus::InProgress as i32,
            justification: format!("Sessions are being scheduled ({n})."),
        })
        .await
        .expect("set milestone status");
    }
    let staff = cast.staff.token.clone();
    costs
        .pages(REPORTING, "ListAuditLog", |page| {
            let mut rc = p.reporting_as(&staff);
            async move {
                rc.list_audit_log(r::ListAuditLogRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list audit log")
                .into_inner()
                .entries
                .len()
            }
        })
        .await;
}

async fn identity(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut id = p.identity_as(&cast.resident.token);
    for n in 0..ROWS {
        id.create_association(i::CreateAssociationRequest {
            name: text(&format!("Association {n}")),
            registration_number: format!("R-{}", uuid::Uuid::new_v4().simple()),
            founded_on: Some(Date {
                year: 2015,
                month: 1,
                day: 1,
            }),
            province_code: "laayoune".into(),
            fields_of_activity: vec!["transport".into()],
        })
        .await
        .expect("create association");
    }
    let mut staff = p.identity_as(&cast.staff.token);
    for n in 0..ROWS {
        let instance = staff
            .create_instance(i::CreateInstanceRequest {
                name: text(&format!("Instance {n}")),
                kind: "youth".into(),
                ..Default::default()
            })
            .await
            .expect("create instance")
            .into_inner()
            .instance
            .expect("instance")
            .instance_id;
        staff
            .add_instance_member(AddInstanceMemberRequest {
                instance_id: instance,
                account_id: cast.crowd[n].id.clone(),
                role: MemberRole::Member as i32,
                ..Default::default()
            })
            .await
            .expect("add instance member");
    }
    costs
        .pages(IDENTITY, "ListAssociations", |page| {
            let mut id = p.identity_as("");
            async move {
                id.list_associations(i::ListAssociationsRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list associations")
                .into_inner()
                .associations
                .len()
            }
        })
        .await;
    costs
        .pages(IDENTITY, "ListInstances", |page| {
            let mut id = p.identity_as("");
            async move {
                id.list_instances(i::ListInstancesRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list instances")
                .into_inner()
                .instances
                .len()
            }
        })
        .await;
    let staff_token = cast.staff.token.clone();
    costs
        .pages(IDENTITY, "ListAuditLog", |page| {
            let mut id = p.identity_as(&staff_token);
            async move {
                id.list_audit_log(i::ListAuditLogRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list audit log")
                .into_inner()
                .entries
                .len()
            }
        })
        .await;
    costs
        .pages(IDENTITY, "SearchAccounts", |page| {
            let mut id = p.identity_as(&staff_token);
            async move {
                id.search_accounts(i::SearchAccountsRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("search accounts")
                .into_inner()
                .accounts
                .len()
            }
        })
        .await;
    // No page and no database: none.
    let mut id = p.identity_as("");
    let (_, ran) = costs
        .ran(IDENTITY, "ListProvinces", async {
            id.list_provinces(i::ListProvincesRequest {})
                .await
                .expect("list provinces")
        })
        .await;
    costs.at_most("ListProvinces", ran, 0);
}

/// A public consultation of the council, drafted by the staff client `sc`: its id.
async fn public_draft(sc: &mut crate::platform::ConsultationClient, title: &str) -> String {
    sc.create_consultation(c::CreateConsultationRequest {
        title: text(title),
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
    .consultation_id
}

async fn consultations(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut sc = p.consultation_as(&cast.staff.token);
    let mut ids = Vec::new();
    for n in 0..=ROWS {
        let id = public_draft(&mut sc, &format!("Consultation {n}")).await;
        // The first (the last listed) without questions.
        for q in 0..if n == 0 { 0 } else { 2 } {
            sc.add_question(c::AddQuestionRequest {
                consultation_id: id.clone(),
                kind: c::QuestionKind::SingleChoice as i32,
                prompt: text(&format!("Question {q}")),
                options: vec![text("Oui").unwrap(), text("Non").unwrap()],
                required: true,
                ..Default::default()
            })
            .await
            .expect("add question");
        }
        sc.open_consultation(c::OpenConsultationRequest {
            consultation_id: id.clone(),
            closes_at: ts(p.now() + 14 * 86_400_000),
        })
        .await
        .expect("open consultation");
        ids.push(id);
    }
    let first = ids[1].clone();
    let mut rc = p.consultation_as(&cast.resident.token);
    let mut proposals = Vec::new();
    for n in 0..ROWS {
        let proposal = rc
            .submit_proposal(c::SubmitProposalRequest {
                consultation_id: first.clone(),
                title: format!("Proposition {n}"),
                body: "Un service régulier entre les provinces.".into(),
                ..Default::default()
            })
            .await
            .expect("submit proposal")
            .into_inner()
            .proposal
            .expect("proposal");
        proposals.push(proposal.proposal_id);
        let comment = rc
            .post_comment(c::PostCommentRequest {
                consultation_id: first.clone(),
                body: format!("Commentaire {n}"),
                ..Default::default()
            })
            .await
            .expect("post comment")
            .into_inner()
            .comment
            .expect("comment");
        // Reported, so each is in the moderation queue with its report.
        p.consultation_as(&cast.second.token)
            .report_comment(c::ReportCommentRequest {
                comment_id: comment.comment_id,
                reason: "hors sujet".into(),
            })
            .await
            .expect("report comment");
    }
    let mut mc = p.consultation_as(&cast.member.token);
    for n in 0..ROWS {
        let draft = mc
            .draft_opinion(c::DraftOpinionRequest {
                instance_id: cast.instance.clone(),
                matter: format!("Avis {n}"),
                referral: c::Referral::OwnInitiative as i32,
                consultation_id: first.clone(),
                body: "L'instance recommande deux mesures.".into(),
                recommendations: vec!["Des stages".into(), "Un guichet".into()],
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
        .expect("adopt opinion");
    }

    let bare = ids[0].clone();
    costs
        .pages(CONSULTATION, "ListConsultations", |page| {
            let mut c = p.consultation_as("");
            let bare = bare.clone();
            async move {
                let found = c
                    .list_consultations(c::ListConsultationsRequest {
                        page,
                        ..Default::default()
                    })
                    .await
                    .expect("list consultations")
                    .into_inner()
                    .consultations;
                assert!(
                    found.iter().all(|c| c.questions.len()
                        == if c.consultation_id == bare { 0 } else { 2 }),
                    "questions"
                );
                found.len()
            }
        })
        .await;
    let resident = cast.resident.token.clone();
    costs
        .pages(CONSULTATION, "ListProposals", |page| {
            let mut c = p.consultation_as(&resident);
            let consultation_id = first.clone();
            async move {
                c.list_proposals(c::ListProposalsRequest {
                    consultation_id,
                    page,
                })
                .await
                .expect("list proposals")
                .into_inner()
                .proposals
                .len()
            }
        })
        .await;
    costs
        .pages(CONSULTATION, "ListComments", |page| {
            let mut c = p.consultation_as(&resident);
            let consultation_id = first.clone();
            async move {
                c.list_comments(c::ListCommentsRequest {
                    consultation_id,
                    page,
                    ..Default::default()
                })
                .await
                .expect("list comments")
                .into_inner()
                .comments
                .len()
            }
        })
        .await;
    for (whom, who, instance) in [
        (
            " (an instance's, by its member)",
            cast.member.token.clone(),
            cast.instance.clone(),
        ),
        (" (anonymous)", String::new(), String::new()),
    ] {
        costs
            .pages_for(CONSULTATION, "ListOpinions", whom, |page| {
                let mut c = p.consultation_as(&who);
                let instance_id = instance.clone();
                async move {
                    let found = c
                        .list_opinions(c::ListOpinionsRequest { instance_id, page })
                        .await
                        .expect("list opinions")
                        .into_inner()
                        .opinions;
                    assert!(found.iter().all(|o| o.recommendations.len() == 2));
                    found.len()
                }
            })
            .await;
    }
    let staff = cast.staff.token.clone();
    costs
        .pages(CONSULTATION, "ListModerationQueue", |page| {
            let mut c = p.consultation_as(&staff);
            async move {
                let items = c
                    .list_moderation_queue(c::ListModerationQueueRequest { page })
                    .await
                    .expect("list moderation queue")
                    .into_inner()
                    .items;
                assert!(items.iter().all(|i| i.reports.len() == 1), "reports");
                items.len()
            }
        })
        .await;
    survey_answers(costs, p, cast).await;
    let mut c = p.consultation_as("");
    let (got, ran) = costs
        .ran(CONSULTATION, "GetConsultation", async {
            c.get_consultation(c::GetConsultationRequest {
                consultation_id: first.clone(),
            })
            .await
            .expect("get consultation")
            .into_inner()
            .consultation
            .expect("consultation")
        })
        .await;
    assert_eq!(got.questions.len(), 2, "the consultation's questions");
    costs.at_most("GetConsultation", ran, 1);
    // Read alone, a consultation is what the list shows, with or without questions.
    let listed = c
        .list_consultations(c::ListConsultationsRequest {
            page: page(50),
            ..Default::default()
        })
        .await
        .expect("list consultations")
        .into_inner()
        .consultations;
    for id in [&first, &bare] {
        let alone = c
            .get_consultation(c::GetConsultationRequest {
                consultation_id: id.clone(),
            })
            .await
            .expect("get consultation")
            .into_inner()
            .consultation;
        assert_eq!(
            alone.as_ref(),
            listed.iter().find(|c| &c.consultation_id == id),
            "GetConsultation and ListConsultations agree"
        );
    }
    // Published articles, each in two languages.
    for n in 0..ROWS {
        let article = sc
            .create_article(c::CreateArticleRequest {
                slug: format!("news-{n}"),
                kind: c::ArticleKind::News as i32,
                translations: ["ar", "fr"]
                    .iter()
                    .map(|language| c::ArticleTranslation {
                        language: language.to_string(),
                        title: format!("Nouvelle {n}"),
                        summary: String::new(),
                        body: "Le Forum régional se tient en mai.".into(),
                    })
                    .collect(),
                idempotency_key: String::new(),
            })
            .await
            .expect("create article")
            .into_inner()
            .article
            .expect("article");
        sc.publish_article(c::PublishArticleRequest {
            article_id: article.article_id,
        })
        .await
        .expect("publish article");
    }
    costs
        .pages(CONSULTATION, "ListArticles", |page| {
            let mut c = p.consultation_as("");
            async move {
                let found = c
                    .list_articles(c::ListArticlesRequest {
                        kind: 0,
                        page,
                        ..Default::default()
                    })
                    .await
                    .expect("list articles")
                    .into_inner()
                    .articles;
                assert!(
                    found.iter().all(|a| a.translations.len() == 2),
                    "translations"
                );
                found.len()
            }
        })
        .await;
    // 22 consultations created, each audited.
    let staff = cast.staff.token.clone();
    costs
        .pages(CONSULTATION, "ListAuditLog", |page| {
            let mut c = p.consultation_as(&staff);
            async move {
                c.list_audit_log(c::ListAuditLogRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list audit log")
                .into_inner()
                .entries
                .len()
            }
        })
        .await;
    inbox(costs, p, cast, &proposals).await;
}

/// Staff answer the resident's proposals; each answer reaches the resident's inbox.
async fn inbox(costs: &mut Costs, p: &Platform, cast: &Cast, proposals: &[String]) {
    let mut sc = p.consultation_as(&cast.staff.token);
    for proposal_id in proposals {
        sc.answer_proposal(c::AnswerProposalRequest {
            proposal_id: proposal_id.clone(),
            answer: c::ProposalAnswer::Evaluating as i32,
            reasons: "À l'étude par les services du conseil.".into(),
        })
        .await
        .expect("answer proposal");
    }
    let mut inbox = p.notification_as(&cast.resident.token);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while inbox
        .list_my_notifications(n::ListMyNotificationsRequest::default())
        .await
        .expect("list notifications")
        .into_inner()
        .unread
        < proposals.len() as i64
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the answers reach the inbox"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let resident = cast.resident.token.clone();
    costs
        .pages(NOTIFICATION, "ListMyNotifications", |page| {
            let mut c = p.notification_as(&resident);
            async move {
                c.list_my_notifications(n::ListMyNotificationsRequest {
                    unread_only: false,
                    page,
                })
                .await
                .expect("list notifications")
                .into_inner()
                .notifications
                .len()
            }
        })
        .await;
}

/// A consultation with a free-text question that each of the crowd answers.
async fn survey_answers(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut sc = p.consultation_as(&cast.staff.token);
    let id = public_draft(&mut sc, "Consultation ouverte").await;
    let question_id = sc
        .add_question(c::AddQuestionRequest {
            consultation_id: id.clone(),
            kind: c::QuestionKind::FreeText as i32,
            prompt: text("Qu'est-ce qui manque ?"),
            ..Default::default()
        })
        .await
        .expect("add question")
        .into_inner()
        .question
        .expect("question")
        .question_id;
    sc.open_consultation(c::OpenConsultationRequest {
        consultation_id: id.clone(),
        closes_at: ts(p.now() + 14 * 86_400_000),
    })
    .await
    .expect("open consultation");
    for person in &cast.crowd[..ROWS] {
        p.consultation_as(&person.token)
            .submit_response(c::SubmitResponseRequest {
                consultation_id: id.clone(),
                answers: vec![c::Answer {
                    question_id: question_id.clone(),
                    text: "Une ligne de bus".into(),
                    ..Default::default()
                }],
                idempotency_key: String::new(),
            })
            .await
            .expect("submit response");
    }
    let staff = cast.staff.token.clone();
    costs
        .pages(CONSULTATION, "ListSurveyAnswers", |page| {
            let mut c = p.consultation_as(&staff);
            let consultation_id = id.clone();
            async move {
                c.list_survey_answers(c::ListSurveyAnswersRequest {
                    consultation_id,
                    page,
                    ..Default::default()
                })
                .await
                .expect("list survey answers")
                .into_inner()
                .answers
                .len()
            }
        })
        .await;
}

async fn forum(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut sc = p.consultation_as(&cast.staff.token);
    let date = |month, day| {
        Some(Date {
            year: 2026,
            month,
            day,
        })
    };
    let mut editions = Vec::new();
    for n in 0..ROWS {
        editions.push(
            sc.create_forum_edition(c::CreateForumEditionRequest {
                year: 2026,
                title: text(&format!("Forum régional {n}")),
                starts_on: date(12, 10),
                ends_on: date(12, 12),
                idempotency_key: String::new(),
            })
            .await
            .expect("forum edition")
            .into_inner()
            .edition
            .expect("edition")
            .edition_id,
        );
    }
    // The first edition small (a theme, a workshop), the second three themes of two workshops.
    let mut workshops = Vec::new();
    for (edition, themes, per_theme) in [(&editions[0], 1, 1), (&editions[1], 3, 2)] {
        for n in 0..themes {
            let theme = sc
                .add_forum_theme(c::AddForumThemeRequest {
                    edition_id: edition.clone(),
                    title: text(&format!("Thème {n}")),
                    idempotency_key: String::new(),
                })
                .await
                .expect("theme")
                .into_inner()
                .theme
                .expect("theme")
                .theme_id;
            for w in 0..per_theme {
                let workshop = sc
                    .add_forum_workshop(c::AddForumWorkshopRequest {
                        theme_id: theme.clone(),
                        title: text(&format!("Atelier {w}")),
                        province_code: "laayoune".into(),
                        ..Default::default()
                    })
                    .await
                    .expect("workshop")
                    .into_inner()
                    .workshop
                    .expect("workshop")
                    .workshop_id;
                for text in ["Une recommandation", "Une autre"] {
                    sc.add_forum_recommendation(c::AddForumRecommendationRequest {
                        workshop_id: workshop.clone(),
                        text: text.into(),
                        idempotency_key: String::new(),
                    })
                    .await
                    .expect("recommendation");
                }
                workshops.push(workshop);
            }
        }
    }
    let mut rc = p.consultation_as(&cast.resident.token);
    for n in 0..ROWS {
        rc.add_forum_contribution(c::AddForumContributionRequest {
            workshop_id: workshops[0].clone(),
            body: format!("Contribution {n}"),
        })
        .await
        .expect("contribution");
    }

    costs
        .pages(CONSULTATION, "ListForumEditions", |page| {
            let mut c = p.consultation_as("");
            async move {
                c.list_forum_editions(c::ListForumEditionsRequest { page })
                    .await
                    .expect("list forum editions")
                    .into_inner()
                    .editions
                    .len()
            }
        })
        .await;
    let workshop = workshops[0].clone();
    costs
        .pages(CONSULTATION, "ListForumContributions", |page| {
            let mut c = p.consultation_as("");
            let workshop_id = workshop.clone();
            async move {
                c.list_forum_contributions(c::ListForumContributionsRequest { workshop_id, page })
                    .await
                    .expect("list forum contributions")
                    .into_inner()
                    .contributions
                    .len()
            }
        })
        .await;
    let edition = |edition_id: String| {
        let mut c = p.consultation_as("");
        async move {
            c.get_forum_edition(c::GetForumEditionRequest { edition_id })
                .await
                .expect("get forum edition")
                .into_inner()
                .edition
                .expect("edition")
        }
    };
    let (small, small_ran) = costs
        .ran(
            CONSULTATION,
            "GetForumEdition",
            edition(editions[0].clone()),
        )
        .await;
    let (large, large_ran) = costs
        .ran(
            CONSULTATION,
            "GetForumEdition",
            edition(editions[1].clone()),
        )
        .await;
    assert_eq!(small.themes.len(), 1);
    assert_eq!(large.themes.len(), 3);
    assert!(
        large
            .themes
            .iter()
            .all(|t| t.workshops.len() == 2 && t.workshops[0].recommendations.len() == 2)
    );
    costs.same(
        "GetForumEdition",
        ("a theme of one workshop", small_ran),
        ("three themes of two workshops", large_ran),
    );
}

async fn petitions(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut rc = p.consultation_as(&cast.resident.token);
    let mut ids = Vec::new();
    for n in 0..ROWS {
        let id = rc
            .create_petition(c::CreatePetitionRequest {
                kind: c::PetitionKind::Citizen as i32,
                title: format!("Pétition {n}"),
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
        rc.start_collecting(c::StartCollectingRequest {
            petition_id: id.clone(),
        })
        .await
        .expect("start collecting");
        for signer in [&cast.resident, &cast.second] {
            p.consultation_as(&signer.token)
                .sign_petition(c::SignPetitionRequest {
                    petition_id: id.clone(),
                    ..Default::default()
                })
                .await
                .expect("sign");
        }
        ids.push(id);
    }
    for signer in &cast.crowd {
        p.consultation_as(&signer.token)
            .sign_petition(c::SignPetitionRequest {
                petition_id: ids[0].clone(),
                ..Default::default()
            })
            .await
            .expect("sign");
    }

    costs
        .pages(CONSULTATION, "ListPetitions", |page| {
            let mut c = p.consultation_as("");
            async move {
                let found = c
                    .list_petitions(c::ListPetitionsRequest {
                        page,
                        ..Default::default()
                    })
                    .await
                    .expect("list petitions")
                    .into_inner()
                    .petitions;
                assert!(
                    found
                        .iter()
                        .all(|p| p.progress.as_ref().is_some_and(|g| g.signatures >= 2)),
                    "signatures counted"
                );
                found.len()
            }
        })
        .await;
    let staff = cast.staff.token.clone();
    costs
        .pages(CONSULTATION, "ListSignatures", |page| {
            let mut c = p.consultation_as(&staff);
            let petition_id = ids[0].clone();
            async move {
                c.list_signatures(c::ListSignaturesRequest { petition_id, page })
                    .await
                    .expect("list signatures")
                    .into_inner()
                    .signatures
                    .len()
            }
        })
        .await;
    let mut c = p.consultation_as("");
    let (got, ran) = costs
        .ran(CONSULTATION, "GetPetition", async {
            c.get_petition(c::GetPetitionRequest {
                petition_id: ids[1].clone(),
            })
            .await
            .expect("get petition")
            .into_inner()
            .petition
            .expect("petition")
        })
        .await;
    assert_eq!(got.progress.expect("progress").signatures, 2);
    costs.at_most("GetPetition", ran, 1);
}

async fn training(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let mut st = p.training_as(&cast.staff.token);
    let mut programs = Vec::new();
    for n in 0..ROWS {
        programs.push(
            st.create_program(t::CreateProgramRequest {
                title: text(&format!("Programme {n}")),
                objectives: text("Les mécanismes participatifs"),
                audiences: vec![t::Audience::Public as i32],
                milestone_ref: "MALAA0004-1".into(),
                province_codes: vec!["laayoune".into()],
                idempotency_key: String::new(),
            })
            .await
            .expect("create program")
            .into_inner()
            .program
            .expect("program")
            .program_id,
        );
    }
    let now = p.now();
    let mut sessions = Vec::new();
    for n in 0..ROWS {
        let day = tachawor_proto::dates::date_of_millis(now + (30 + n as i64) * 86_400_000);
        sessions.push(
            st.schedule_session(t::ScheduleSessionRequest {
                program_id: programs[0].clone(),
                details: Some(t::SessionDetails {
                    kind: t::SessionKind::TrainingSession as i32,
                    title: text(&format!("Atelier {n}")),
                    days: vec![tachawor_proto::dates::date_from_str(&day).expect("a date")],
                    venue: Some(t::Venue {
                        province_code: "laayoune".into(),
                        address: "Siège du Conseil régional".into(),
                    }),
                    online_url: "https://meet.example.org/atelier".into(),
                    capacity: 1,
                    registration_opens_at: ts(now - 3_600_000),
                    registration_closes_at: ts(now + 20 * 86_400_000),
                    facilitators: vec!["Formateur".into()],
                    eligibility: t::Eligibility::Open as i32,
                    ..Default::default()
                }),
                idempotency_key: String::new(),
            })
            .await
            .expect("schedule session")
            .into_inner()
            .session
            .expect("session")
            .session_id,
        );
    }
    // The resident holds every seat, the second resident waits for each.
    for person in [&cast.resident, &cast.second] {
        let mut tc = p.training_as(&person.token);
        for session in &sessions {
            tc.register(t::RegisterRequest {
                session_id: session.clone(),
                idempotency_key: String::new(),
            })
            .await
            .expect("register");
        }
    }
    let mut waiting = Vec::new();
    for person in &cast.crowd {
        let registration = p
            .training_as(&person.token)
            .register(t::RegisterRequest {
                session_id: sessions[0].clone(),
                idempotency_key: String::new(),
            })
            .await
            .expect("register")
            .into_inner()
            .registration
            .expect("registration");
        waiting.push(registration.registration_id);
    }

    costs
        .pages(TRAINING, "ListPrograms", |page| {
            let mut t = p.training_as("");
            async move {
                t.list_programs(t::ListProgramsRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list programs")
                .into_inner()
                .programs
                .len()
            }
        })
        .await;
    // As a participant: the online links are shown or hidden by their seats.
    for (whom, token) in [
        (" (anonymous)", String::new()),
        (" (a participant)", cast.resident.token.clone()),
    ] {
        costs
            .pages_for(TRAINING, "ListSessions", whom, |page| {
                let mut t = p.training_as(&token);
                async move {
                    let found = t
                        .list_sessions(t::ListSessionsRequest {
                            page,
                            ..Default::default()
                        })
                        .await
                        .expect("list sessions")
                        .into_inner()
                        .sessions;
                    assert!(found.iter().all(|s| s.waitlisted_count >= 1), "waitlists");
                    found.len()
                }
            })
            .await;
    }
    let resident = cast.resident.token.clone();
    costs
        .pages(TRAINING, "ListMyRegistrations", |page| {
            let mut t = p.training_as(&resident);
            async move {
                t.list_my_registrations(t::ListMyRegistrationsRequest { page })
                    .await
                    .expect("list my registrations")
                    .into_inner()
                    .registrations
                    .len()
            }
        })
        .await;
    let staff = cast.staff.token.clone();
    costs
        .pages(TRAINING, "ListRegistrations", |page| {
            let mut t = p.training_as(&staff);
            let session_id = sessions[0].clone();
            async move {
                t.list_registrations(t::ListRegistrationsRequest {
                    session_id,
                    page,
                    ..Default::default()
                })
                .await
                .expect("list registrations")
                .into_inner()
                .registrations
                .len()
            }
        })
        .await;
    let mut t = p.training_as("");
    let (got, ran) = costs
        .ran(TRAINING, "GetSession", async {
            t.get_session(t::GetSessionRequest {
                session_id: sessions[1].clone(),
            })
            .await
            .expect("get session")
            .into_inner()
            .session
            .expect("session")
        })
        .await;
    assert_eq!(got.waitlisted_count, 1, "the second resident waits");
    costs.at_most("GetSession", ran, 1);
    // Staff cancel the crowd's places on the waiting list: each cancellation is audited.
    for registration_id in waiting {
        st.cancel_registration(t::CancelRegistrationRequest {
            registration_id,
            idempotency_key: String::new(),
        })
        .await
        .expect("cancel registration");
    }
    costs
        .pages(TRAINING, "ListAuditLog", |page| {
            let mut t = p.training_as(&staff);
            async move {
                t.list_audit_log(t::ListAuditLogRequest {
                    page,
                    ..Default::default()
                })
                .await
                .expect("list audit log")
                .into_inner()
                .entries
                .len()
            }
        })
        .await;
}

/// The certificate names awaiting approval: a session held today, attended by as many
/// unverified participants as a full page, each taking a certificate under the name they ask.
async fn pending_names(costs: &mut Costs, p: &Platform, cast: &Cast) {
    let session = crate::training_pages::schedule(p, &cast.staff, ROWS as i32, false).await;
    let mut st = p.training_as(&cast.staff.token);
    let today = crate::scenario::venue_today(p.now());
    let mut participants = Vec::new();
    for _ in 0..ROWS {
        let person = p.citizen().await;
        let registration = p
            .training_as(&person.token)
            .register(t::RegisterRequest {
                session_id: session.clone(),
                idempotency_key: String::new(),
            })
            .await
            .expect("register")
            .into_inner()
            .registration
            .expect("registration")
            .registration_id;
        st.check_in(t::CheckInRequest {
            registration_id: registration,
            day: Some(today),
            idempotency_key: String::new(),
        })
        .await
        .expect("check in");
        participants.push(person);
    }
    st.mark_session_held(t::MarkSessionHeldRequest {
        session_id: session.clone(),
    })
    .await
    .expect("mark held");
    for (n, person) in participants.iter().enumerate() {
        p.training_as(&person.token)
            .issue_certificate(t::IssueCertificateRequest {
                session_id: session.clone(),
                account_id: String::new(),
                certificate_name: format!("Participant {n}"),
                idempotency_key: String::new(),
            })
            .await
            .expect("certificate");
    }
    let staff = cast.staff.token.clone();
    costs
        .pages(TRAINING, "ListPendingCertificateNames", |page| {
            let mut t = p.training_as(&staff);
            async move {
                t.list_pending_certificate_names(t::ListPendingCertificateNamesRequest { page })
                    .await
                    .expect("list pending names")
                    .into_inner()
                    .certificates
                    .len()
            }
        })
        .await;
}

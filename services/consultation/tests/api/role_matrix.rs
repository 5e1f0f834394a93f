//! Who may call what, and bad input: every RPC called with an empty request as anonymous,
//! citizen, staff, administrator, observer and another service. An allowed caller gets past the role
//! check and stops at validation (INVALID_ARGUMENT naming fields), so nothing is written.

use tachawor_proto::consultation::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, TABLES, TestApp, fields};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// Anyone, even anonymous or a service.
    Public,
    /// A signed-in person.
    Person,
    /// Council staff or an administrator.
    Staff,
    /// What staff read: council staff, administrators and observers.
    StaffRead,
}
use Who::*;

async fn call(client: &mut Client, rpc: &str) -> Result<(), tonic::Status> {
    macro_rules! go {
        ($method:ident, $req:ty) => {
            client.$method(<$req>::default()).await.map(|_| ())
        };
    }
    match rpc {
        "CreateConsultation" => go!(create_consultation, CreateConsultationRequest),
        "OpenConsultation" => go!(open_consultation, OpenConsultationRequest),
        "CloseConsultation" => go!(close_consultation, CloseConsultationRequest),
        "AnswerConsultation" => go!(answer_consultation, AnswerConsultationRequest),
        "GetConsultation" => go!(get_consultation, GetConsultationRequest),
        "ListConsultations" => go!(list_consultations, ListConsultationsRequest),
        "UpdateConsultation" => go!(update_consultation, UpdateConsultationRequest),
        "ProposeConsultation" => go!(propose_consultation, ProposeConsultationRequest),
        "ApproveConsultation" => go!(approve_consultation, ApproveConsultationRequest),
        "RejectConsultation" => go!(reject_consultation, RejectConsultationRequest),
        "ListSurveyAnswers" => go!(list_survey_answers, ListSurveyAnswersRequest),
        "ExportSurveyAnswers" => go!(export_survey_answers, ExportSurveyAnswersRequest),
        "ListModerationQueue" => go!(list_moderation_queue, ListModerationQueueRequest),
        "AddQuestion" => go!(add_question, AddQuestionRequest),
        "SubmitResponse" => go!(submit_response, SubmitResponseRequest),
        "GetMyResponse" => go!(get_my_response, GetMyResponseRequest),
        "GetResults" => go!(get_results, GetResultsRequest),
        "SubmitProposal" => go!(submit_proposal, SubmitProposalRequest),
        "SupportProposal" => go!(support_proposal, SupportProposalRequest),
        "AnswerProposal" => go!(answer_proposal, AnswerProposalRequest),
        "GetProposal" => go!(get_proposal, GetProposalRequest),
        "ListProposals" => go!(list_proposals, ListProposalsRequest),
        "PostComment" => go!(post_comment, PostCommentRequest),
        "ListComments" => go!(list_comments, ListCommentsRequest),
        "GetComment" => go!(get_comment, GetCommentRequest),
        "ReportComment" => go!(report_comment, ReportCommentRequest),
        "HideComment" => go!(hide_comment, HideCommentRequest),
        "RestoreComment" => go!(restore_comment, RestoreCommentRequest),
        "DraftOpinion" => go!(draft_opinion, DraftOpinionRequest),
        "AdoptOpinion" => go!(adopt_opinion, AdoptOpinionRequest),
        "UpdateOpinionDraft" => go!(update_opinion_draft, UpdateOpinionDraftRequest),
        "CastOpinionVote" => go!(cast_opinion_vote, CastOpinionVoteRequest),
        "ListOpinionVotes" => go!(list_opinion_votes, ListOpinionVotesRequest),
        "AnswerRecommendation" => go!(answer_recommendation, AnswerRecommendationRequest),
        "SetRecommendationFollowUp" => go!(
            set_recommendation_follow_up,
            SetRecommendationFollowUpRequest
        ),
        "GetOpinion" => go!(get_opinion, GetOpinionRequest),
        "ListOpinions" => go!(list_opinions, ListOpinionsRequest),
        "CreateForumEdition" => go!(create_forum_edition, CreateForumEditionRequest),
        "AddForumTheme" => go!(add_forum_theme, AddForumThemeRequest),
        "AddForumWorkshop" => go!(add_forum_workshop, AddForumWorkshopRequest),
        "UpdateForumTheme" => go!(update_forum_theme, UpdateForumThemeRequest),
        "UpdateForumWorkshop" => go!(update_forum_workshop, UpdateForumWorkshopRequest),
        "AddForumContribution" => go!(add_forum_contribution, AddForumContributionRequest),
        "AddForumRecommendation" => go!(add_forum_recommendation, AddForumRecommendationRequest),
        "GetForumEdition" => go!(get_forum_edition, GetForumEditionRequest),
        "ListForumContributions" => go!(list_forum_contributions, ListForumContributionsRequest),
        "ListForumEditions" => go!(list_forum_editions, ListForumEditionsRequest),
        "AnswerForumRecommendation" => go!(
            answer_forum_recommendation,
            AnswerForumRecommendationRequest
        ),
        "SetForumRecommendationFollowUp" => go!(
            set_forum_recommendation_follow_up,
            SetForumRecommendationFollowUpRequest
        ),
        "ReportForumContribution" => go!(report_forum_contribution, ReportForumContributionRequest),
        "HideForumContribution" => go!(hide_forum_contribution, HideForumContributionRequest),
        "RestoreForumContribution" => {
            go!(restore_forum_contribution, RestoreForumContributionRequest)
        }
        "GetPetitionRules" => go!(get_petition_rules, GetPetitionRulesRequest),
        "CreatePetition" => go!(create_petition, CreatePetitionRequest),
        "StartCollecting" => go!(start_collecting, StartCollectingRequest),
        "SignPetition" => go!(sign_petition, SignPetitionRequest),
        "WithdrawSignature" => go!(withdraw_signature, WithdrawSignatureRequest),
        "RecordPaperSignature" => go!(record_paper_signature, RecordPaperSignatureRequest),
        "DepositPetition" => go!(deposit_petition, DepositPetitionRequest),
        "AdmitPetition" => go!(admit_petition, AdmitPetitionRequest),
        "RejectPetition" => go!(reject_petition, RejectPetitionRequest),
        "ClosePetition" => go!(close_petition, ClosePetitionRequest),
        "GetPetition" => go!(get_petition, GetPetitionRequest),
        "ListPetitions" => go!(list_petitions, ListPetitionsRequest),
        "ListSignatures" => go!(list_signatures, ListSignaturesRequest),
        "ExportMyData" => go!(export_my_data, ExportMyDataRequest),
        "ListAuditLog" => go!(list_audit_log, ListAuditLogRequest),
        "CreateArticle" => go!(create_article, CreateArticleRequest),
        "UpdateArticle" => go!(update_article, UpdateArticleRequest),
        "PublishArticle" => go!(publish_article, PublishArticleRequest),
        "UnpublishArticle" => go!(unpublish_article, UnpublishArticleRequest),
        "GetArticle" => go!(get_article, GetArticleRequest),
        "ListArticles" => go!(list_articles, ListArticlesRequest),
        other => panic!("no such RPC in the matrix: {other}"),
    }
}

/// RPC, who may call it, and the fields an empty request is refused for (none: it is valid).
const MATRIX: &[(&str, Who, &[&str])] = &[
    (
        "CreateConsultation",
        Staff,
        &[
            "title.ar",
            "title.fr",
            "body.ar",
            "body.fr",
            "organizer.kind",
            "audience",
        ],
    ),
    ("OpenConsultation", Staff, &["consultation_id", "closes_at"]),
    ("CloseConsultation", Staff, &["consultation_id"]),
    (
        "AnswerConsultation",
        Staff,
        &["consultation_id", "synthesis.ar", "synthesis.fr"],
    ),
    ("GetConsultation", Public, &["consultation_id"]),
    ("ListConsultations", Public, &[]),
    (
        "UpdateConsultation",
        Staff,
        &[
            "consultation_id",
            "title.ar",
            "title.fr",
            "body.ar",
            "body.fr",
            "organizer.kind",
            "audience",
        ],
    ),
    (
        "ProposeConsultation",
        Person,
        &[
            "instance_id",
            "title.ar",
            "title.fr",
            "body.ar",
            "body.fr",
            "audience",
        ],
    ),
    ("ApproveConsultation", Staff, &["consultation_id"]),
    ("RejectConsultation", Staff, &["consultation_id", "reason"]),
    ("ListSurveyAnswers", StaffRead, &["consultation_id"]),
    ("ExportSurveyAnswers", StaffRead, &["consultation_id"]),
    ("ListModerationQueue", StaffRead, &[]),
    (
        "AddQuestion",
        Staff,
        &["consultation_id", "kind", "prompt.ar", "prompt.fr"],
    ),
    ("SubmitResponse", Person, &["consultation_id", "answers"]),
    ("GetMyResponse", Person, &["consultation_id"]),
    ("GetResults", Public, &["consultation_id"]),
    (
        "SubmitProposal",
        Person,
        &["consultation_id", "title", "body"],
    ),
    ("SupportProposal", Person, &["proposal_id"]),
    (
        "AnswerProposal",
        Staff,
        &["proposal_id", "answer", "reasons"],
    ),
    ("GetProposal", Public, &["proposal_id"]),
    ("ListProposals", Public, &["consultation_id"]),
    ("PostComment", Person, &["consultation_id", "body"]),
    ("ListComments", Public, &["consultation_id"]),
    ("GetComment", Public, &["comment_id"]),
    ("ReportComment", Person, &["comment_id", "reason"]),
    ("HideComment", Staff, &["comment_id", "reason"]),
    ("RestoreComment", Staff, &["comment_id"]),
    (
        "DraftOpinion",
        Person,
        &[
            "instance_id",
            "matter",
            "referral",
            "body",
            "recommendations",
        ],
    ),
    ("AdoptOpinion", Person, &["opinion_id"]),
    (
        "UpdateOpinionDraft",
        Person,
        &[
            "opinion_id",
            "matter",
            "referral",
            "body",
            "recommendations",
        ],
    ),
    ("CastOpinionVote", Person, &["opinion_id", "choice"]),
    ("ListOpinionVotes", Person, &["opinion_id"]),
    (
        "AnswerRecommendation",
        Staff,
        &["recommendation_id", "answer", "reasons"],
    ),
    (
        "SetRecommendationFollowUp",
        Staff,
        &["recommendation_id", "follow_up"],
    ),
    ("GetOpinion", Public, &["opinion_id"]),
    ("ListOpinions", Public, &[]),
    (
        "CreateForumEdition",
        Staff,
        &["year", "title.ar", "title.fr", "starts_on", "ends_on"],
    ),
    (
        "AddForumTheme",
        Staff,
        &["edition_id", "title.ar", "title.fr"],
    ),
    (
        "AddForumWorkshop",
        Staff,
        &["theme_id", "title.ar", "title.fr", "province_code"],
    ),
    (
        "UpdateForumTheme",
        Staff,
        &["theme_id", "title.ar", "title.fr"],
    ),
    (
        "UpdateForumWorkshop",
        Staff,
        &["workshop_id", "title.ar", "title.fr", "province_code"],
    ),
    ("AddForumContribution", Person, &["workshop_id", "body"]),
    ("AddForumRecommendation", Staff, &["workshop_id", "text"]),
    ("GetForumEdition", Public, &["edition_id"]),
    ("ListForumContributions", Public, &["workshop_id"]),
    ("ListForumEditions", Public, &[]),
    (
        "AnswerForumRecommendation",
        Staff,
        &["forum_recommendation_id", "answer", "reasons"],
    ),
    (
        "SetForumRecommendationFollowUp",
        Staff,
        &["forum_recommendation_id", "follow_up"],
    ),
    (
        "ReportForumContribution",
        Person,
        &["contribution_id", "reason"],
    ),
    (
        "HideForumContribution",
        Staff,
        &["contribution_id", "reason"],
    ),
    ("RestoreForumContribution", Staff, &["contribution_id"]),
    ("GetPetitionRules", Public, &[]),
    (
        "CreatePetition",
        Person,
        &["kind", "title", "object", "subject_field"],
    ),
    ("StartCollecting", Person, &["petition_id"]),
    ("SignPetition", Person, &["petition_id"]),
    ("WithdrawSignature", Person, &["petition_id"]),
    (
        "RecordPaperSignature",
        Staff,
        &["petition_id", "account_id"],
    ),
    ("DepositPetition", Person, &["petition_id"]),
    ("AdmitPetition", Staff, &["petition_id", "session"]),
    ("RejectPetition", Staff, &["petition_id", "reasons"]),
    ("ClosePetition", Staff, &["petition_id"]),
    ("GetPetition", Public, &["petition_id"]),
    ("ListPetitions", Public, &[]),
    ("ListSignatures", StaffRead, &["petition_id"]),
    ("ExportMyData", Person, &[]),
    ("ListAuditLog", StaffRead, &[]),
    ("CreateArticle", Staff, &["slug", "kind", "translations"]),
    ("UpdateArticle", Staff, &["article_id", "translations"]),
    ("PublishArticle", Staff, &["article_id"]),
    ("UnpublishArticle", Staff, &["article_id"]),
    ("GetArticle", Public, &["article_id"]),
    ("ListArticles", Public, &[]),
];

matrix! {
    async fn every_rpc_by_every_caller(app: TestApp) {
        let citizen = app.citizen().await;
        let staff = app.staff().await;
        let admin = app.admin().await;
        let observer = app.observer().await;
        let mut callers = [
            ("anonymous", app.anonymous()),
            ("citizen", app.client(&citizen)),
            ("staff", app.client(&staff)),
            ("administrator", app.client(&admin)),
            ("observer", app.client(&observer)),
            ("service", app.service().await),
        ];
        for (rpc, who, bad_fields) in MATRIX {
            for (name, client) in callers.iter_mut() {
                let answer = call(client, rpc).await;
                let code = answer.as_ref().err().map(|s| s.code());
                let expected = match (who, *name) {
                    (Public, _) => None,
                    (_, "anonymous") => Some(Code::Unauthenticated),
                    (_, "service") => Some(Code::PermissionDenied),
                    (Staff | StaffRead, "citizen") => Some(Code::PermissionDenied),
                    (Staff, "observer") => Some(Code::PermissionDenied),
                    _ => None,
                };
                match expected {
                    Some(code_expected) => assert_eq!(code, Some(code_expected), "{rpc} as {name}: {answer:?}"),
                    None if bad_fields.is_empty() => assert!(answer.is_ok(), "{rpc} as {name}: {answer:?}"),
                    None => {
                        let status = answer.expect_err(rpc);
                        let listed = fields(&status);
                        for f in *bad_fields {
                            assert!(listed.iter().any(|l| l == f), "{rpc} as {name}: {f} not in {listed:?}");
                        }
                    }
                }
            }
        }
        for table in TABLES {
            assert_eq!(app.count(table).await, 0, "{table} was written");
        }
    }
}

//! The gRPC surface: one module per area, each function an RPC.
//!
//! The generated `ConsultationService` trait is implemented once, here, by forwarding each call
//! to its module function with the caller and the request message; the function's `Error`
//! becomes the gRPC status in one place (`tachawor_errors`).

mod access;
mod answers;
mod articles;
mod attachments;
mod audit;
mod comments;
mod consultations;
mod export;
mod forum;
mod forum_moderation;
mod launches;
mod moderation_queue;
mod opinions;
mod participants;
mod petitions;
mod proposals;
mod surveys;

use tachawor_proto::consultation::{consultation_service_server::ConsultationService, *};

use crate::context::Context;

pub use consultations::fill_listed;

tachawor_runtime::rpcs! {
    /// The consultation service's RPC handlers.
    Consultation(Context) implements ConsultationService {
        create_consultation(CreateConsultationRequest) -> CreateConsultationResponse => consultations;
        open_consultation(OpenConsultationRequest) -> OpenConsultationResponse => consultations;
        close_consultation(CloseConsultationRequest) -> CloseConsultationResponse => consultations;
        answer_consultation(AnswerConsultationRequest) -> AnswerConsultationResponse => consultations;
        get_consultation(GetConsultationRequest) -> GetConsultationResponse => consultations;
        list_consultations(ListConsultationsRequest) -> ListConsultationsResponse => consultations;
        update_consultation(UpdateConsultationRequest) -> UpdateConsultationResponse => consultations;
        propose_consultation(ProposeConsultationRequest) -> ProposeConsultationResponse => launches;
        approve_consultation(ApproveConsultationRequest) -> ApproveConsultationResponse => launches;
        reject_consultation(RejectConsultationRequest) -> RejectConsultationResponse => launches;
        add_question(AddQuestionRequest) -> AddQuestionResponse => surveys;
        submit_response(SubmitResponseRequest) -> SubmitResponseResponse => surveys;
        get_my_response(GetMyResponseRequest) -> GetMyResponseResponse => surveys;
        get_results(GetResultsRequest) -> GetResultsResponse => surveys;
        list_survey_answers(ListSurveyAnswersRequest) -> ListSurveyAnswersResponse => surveys;
        export_survey_answers(ExportSurveyAnswersRequest) -> ExportSurveyAnswersResponse => surveys;
        submit_proposal(SubmitProposalRequest) -> SubmitProposalResponse => proposals;
        support_proposal(SupportProposalRequest) -> SupportProposalResponse => proposals;
        answer_proposal(AnswerProposalRequest) -> AnswerProposalResponse => proposals;
        get_proposal(GetProposalRequest) -> GetProposalResponse => proposals;
        list_proposals(ListProposalsRequest) -> ListProposalsResponse => proposals;
        post_comment(PostCommentRequest) -> PostCommentResponse => comments;
        list_comments(ListCommentsRequest) -> ListCommentsResponse => comments;
        get_comment(GetCommentRequest) -> GetCommentResponse => comments;
        report_comment(ReportCommentRequest) -> ReportCommentResponse => comments;
        hide_comment(HideCommentRequest) -> HideCommentResponse => comments;
        restore_comment(RestoreCommentRequest) -> RestoreCommentResponse => comments;
        list_moderation_queue(ListModerationQueueRequest) -> ListModerationQueueResponse => moderation_queue;
        draft_opinion(DraftOpinionRequest) -> DraftOpinionResponse => opinions;
        adopt_opinion(AdoptOpinionRequest) -> AdoptOpinionResponse => opinions;
        update_opinion_draft(UpdateOpinionDraftRequest) -> UpdateOpinionDraftResponse => opinions;
        cast_opinion_vote(CastOpinionVoteRequest) -> CastOpinionVoteResponse => opinions;
        list_opinion_votes(ListOpinionVotesRequest) -> ListOpinionVotesResponse => opinions;
        answer_recommendation(AnswerRecommendationRequest) -> AnswerRecommendationResponse => opinions;
        set_recommendation_follow_up(SetRecommendationFollowUpRequest) -> SetRecommendationFollowUpResponse => opinions;
        get_opinion(GetOpinionRequest) -> GetOpinionResponse => opinions;
        list_opinions(ListOpinionsRequest) -> ListOpinionsResponse => opinions;
        create_forum_edition(CreateForumEditionRequest) -> CreateForumEditionResponse => forum;
        add_forum_theme(AddForumThemeRequest) -> AddForumThemeResponse => forum;
        add_forum_workshop(AddForumWorkshopRequest) -> AddForumWorkshopResponse => forum;
        add_forum_contribution(AddForumContributionRequest) -> AddForumContributionResponse => forum;
        add_forum_recommendation(AddForumRecommendationRequest) -> AddForumRecommendationResponse => forum;
        update_forum_theme(UpdateForumThemeRequest) -> UpdateForumThemeResponse => forum;
        update_forum_workshop(UpdateForumWorkshopRequest) -> UpdateForumWorkshopResponse => forum;
        get_forum_edition(GetForumEditionRequest) -> GetForumEditionResponse => forum;
        list_forum_editions(ListForumEditionsRequest) -> ListForumEditionsResponse => forum;
        list_forum_contributions(ListForumContributionsRequest) -> ListForumContributionsResponse => forum;
        answer_forum_recommendation(AnswerForumRecommendationRequest) -> AnswerForumRecommendationResponse => forum;
        set_forum_recommendation_follow_up(SetForumRecommendationFollowUpRequest) -> SetForumRecommendationFollowUpResponse => forum;
        report_forum_contribution(ReportForumContributionRequest) -> ReportForumContributionResponse => forum_moderation;
        hide_forum_contribution(HideForumContributionRequest) -> HideForumContributionResponse => forum_moderation;
        restore_forum_contribution(RestoreForumContributionRequest) -> RestoreForumContributionResponse => forum_moderation;
        get_petition_rules(GetPetitionRulesRequest) -> GetPetitionRulesResponse => petitions;
        create_petition(CreatePetitionRequest) -> CreatePetitionResponse => petitions;
        start_collecting(StartCollectingRequest) -> StartCollectingResponse => petitions;
        sign_petition(SignPetitionRequest) -> SignPetitionResponse => petitions;
        withdraw_signature(WithdrawSignatureRequest) -> WithdrawSignatureResponse => petitions;
        record_paper_signature(RecordPaperSignatureRequest) -> RecordPaperSignatureResponse => petitions;
        deposit_petition(DepositPetitionRequest) -> DepositPetitionResponse => petitions;
        admit_petition(AdmitPetitionRequest) -> AdmitPetitionResponse => petitions;
        reject_petition(RejectPetitionRequest) -> RejectPetitionResponse => petitions;
        close_petition(ClosePetitionRequest) -> ClosePetitionResponse => petitions;
        get_petition(GetPetitionRequest) -> GetPetitionResponse => petitions;
        list_petitions(ListPetitionsRequest) -> ListPetitionsResponse => petitions;
        list_signatures(ListSignaturesRequest) -> ListSignaturesResponse => petitions;
        export_my_data(ExportMyDataRequest) -> ExportMyDataResponse => export;
        list_audit_log(ListAuditLogRequest) -> ListAuditLogResponse => audit;
        create_article(CreateArticleRequest) -> CreateArticleResponse => articles;
        update_article(UpdateArticleRequest) -> UpdateArticleResponse => articles;
        publish_article(PublishArticleRequest) -> PublishArticleResponse => articles;
        unpublish_article(UnpublishArticleRequest) -> UnpublishArticleResponse => articles;
        get_article(GetArticleRequest) -> GetArticleResponse => articles;
        list_articles(ListArticlesRequest) -> ListArticlesResponse => articles;
        add_attachment(AddAttachmentRequest) -> AddAttachmentResponse => attachments;
        list_attachments(ListAttachmentsRequest) -> ListAttachmentsResponse => attachments;
        get_attachment_content(GetAttachmentContentRequest) -> GetAttachmentContentResponse => attachments;
        remove_attachment(RemoveAttachmentRequest) -> RemoveAttachmentResponse => attachments;
    }
}

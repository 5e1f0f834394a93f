//! The council's answer to a recommendation and its follow-up, checked, decided and audited
//! the same way for an instance's recommendations and the Regional Forum's: staff answer
//! (under study first, or a decision at once; a decision is final) and follow up an accepted
//! one forward only (`domain::opinion`).

use serde_json::json;
use sqlx::AnyConnection;
use tachawor_errors::{Error, Violations};
use tachawor_runtime::audit;

use crate::{
    domain::opinion::{self as rules, FollowUp, RecommendationAnswer},
    store::answers::{self as rows, Recommendations},
    validate,
};

const REASONS_MAX: usize = 5000;
const ANSWER: &str = "must be accepted, rejected or under_study";
const FOLLOW_UP: &str = "must be not_started, in_progress or implemented";

/// An answer request's fields checked: the answer, or INVALID_ARGUMENT naming each bad field
/// (`id_field` for the recommendation's id).
pub(crate) fn answer_request(
    id_field: &str,
    id: &str,
    answer: i32,
    reasons: &str,
) -> Result<RecommendationAnswer, Error> {
    let answer = RecommendationAnswer::from_proto(answer);
    let mut v = Violations::new();
    validate::uuid(&mut v, id_field, id);
    v.check(answer.is_some(), "answer", ANSWER);
    v.check(
        validate::is_text(reasons, REASONS_MAX),
        "reasons",
        "are required (at most 5000 characters)",
    );
    validate::finish_with(v, answer, "answer", ANSWER)
}

/// A follow-up request's fields checked: the follow-up, or INVALID_ARGUMENT naming each bad
/// field.
pub(crate) fn follow_up_request(
    id_field: &str,
    id: &str,
    follow_up: i32,
    note: &str,
) -> Result<FollowUp, Error> {
    let follow_up = FollowUp::from_proto(follow_up);
    let mut v = Violations::new();
    validate::uuid(&mut v, id_field, id);
    v.check(follow_up.is_some(), "follow_up", FOLLOW_UP);
    v.check(
        validate::is_optional_text(note, REASONS_MAX),
        "note",
        "at most 5000 characters",
    );
    validate::finish_with(v, follow_up, "follow_up", FOLLOW_UP)
}

/// What a staff member asks of a locked recommendation: who, which one, and what it holds now.
pub(crate) struct Answering<'a> {
    pub kind: &'a Recommendations,
    /// The audit log's name for it: `recommendation`, `forum_recommendation`.
    pub target_type: &'a str,
    pub actor_id: &'a str,
    pub id: &'a str,
    /// The answer stored now (`None`: not answered).
    pub answer: Option<&'a str>,
    /// The follow-up stored now.
    pub follow_up: &'a str,
}

impl Answering<'_> {
    fn current_answer(&self) -> Result<Option<RecommendationAnswer>, Error> {
        Ok(self
            .answer
            .map(RecommendationAnswer::from_sql)
            .transpose()?)
    }

    /// Answers the recommendation if the rules allow it, audited; the answer as spelled.
    pub async fn answer(
        &self,
        tx: &mut AnyConnection,
        next: RecommendationAnswer,
        reasons: &str,
        now: i64,
    ) -> Result<&'static str, Error> {
        let spelled = rules::answer(self.current_answer()?, next)?.as_sql();
        rows::answer(tx, self.kind, self.id, spelled, reasons, now).await?;
        let action = format!("{}.answer", self.target_type);
        audit::record(
            tx,
            audit::Change {
                actor_id: self.actor_id,
                action: &action,
                target_type: self.target_type,
                target_id: self.id,
                before: json!({ "answer": self.answer }),
                after: json!({ "answer": spelled, "reasons": reasons }),
            },
            now,
        )
        .await?;
        Ok(spelled)
    }

    /// Sets the follow-up if the rules allow it, audited; the follow-up as spelled.
    pub async fn follow_up(
        &self,
        tx: &mut AnyConnection,
        next: FollowUp,
        note: &str,
        now: i64,
    ) -> Result<&'static str, Error> {
        let current = FollowUp::from_sql(self.follow_up)?;
        let spelled = rules::follow_up(self.current_answer()?, current, next)?.as_sql();
        rows::set_follow_up(tx, self.kind, self.id, spelled, note).await?;
        let action = format!("{}.follow_up", self.target_type);
        audit::record(
            tx,
            audit::Change {
                actor_id: self.actor_id,
                action: &action,
                target_type: self.target_type,
                target_id: self.id,
                before: json!({ "follow_up": self.follow_up }),
                after: json!({ "follow_up": spelled, "note": note }),
            },
            now,
        )
        .await?;
        Ok(spelled)
    }
}

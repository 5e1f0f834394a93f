//! Moderation of a comment: hidden by enough reports pending review, hidden by a moderator
//! (who may confirm a pending one), restored after review.

use super::Rule;

/// The reason shown on a comment hidden by reports, until a moderator decides.
pub const PENDING_REVIEW: &str = "pending_review";

/// Whether the report that brings the count to `reports_after` hides a visible comment.
pub fn hidden_by_reports(hidden: bool, reports_after: i64, reports_to_hide: i64) -> bool {
    !hidden && reports_after >= reports_to_hide
}

/// A moderator hides a visible comment, or confirms one hidden by reports.
pub fn check_hide(hidden: bool, hidden_reason: &str) -> Result<(), Rule> {
    if hidden && hidden_reason != PENDING_REVIEW {
        Err(Rule::CommentAlreadyHidden)
    } else {
        Ok(())
    }
}

/// Only a hidden comment is restored.
pub fn check_restore(hidden: bool) -> Result<(), Rule> {
    if hidden {
        Ok(())
    } else {
        Err(Rule::CommentNotHidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_reports_hide_a_visible_comment() {
        assert!(hidden_by_reports(false, 3, 3));
        assert!(!hidden_by_reports(false, 2, 3));
        assert!(!hidden_by_reports(true, 5, 3));
    }

    #[test]
    fn a_moderator_hides_once_but_confirms_a_pending_one() {
        assert_eq!(check_hide(false, ""), Ok(()));
        assert_eq!(check_hide(true, PENDING_REVIEW), Ok(()));
        assert_eq!(check_hide(true, "insult"), Err(Rule::CommentAlreadyHidden));
    }

    #[test]
    fn only_a_hidden_comment_is_restored() {
        assert_eq!(check_restore(true), Ok(()));
        assert_eq!(check_restore(false), Err(Rule::CommentNotHidden));
    }
}

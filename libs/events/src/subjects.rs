//! Names on the bus: event types, their subjects, and the stream of each producer.
//!
//! An event type is `<producer>.<aggregate>.<event>` (`identity.account.registered`); its subject
//! is `<prefix>.<event type>`; each producer has one stream, `<PREFIX>_<PRODUCER>`, holding
//! `<prefix>.<producer>.>`.

/// The subject an event type is published on.
pub fn subject(prefix: &str, event_type: &str) -> String {
    format!("{prefix}.{event_type}")
}

/// The stream that holds a producer's events: `<PREFIX>_<PRODUCER>`, upper case, with every
/// character JetStream does not allow in a name turned into `_`.
pub fn stream_name(prefix: &str, producer: &str) -> String {
    format!("{prefix}_{producer}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The subjects a producer's stream captures.
pub fn stream_subjects(prefix: &str, producer: &str) -> String {
    format!("{prefix}.{producer}.>")
}

fn is_token(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Checks that `event_type` is `<producer>.<aggregate>.<event>` for this producer, each token
/// lower-case letters, digits, `_` or `-`.
pub(crate) fn validate_event_type(producer: &str, event_type: &str) -> Result<(), String> {
    let tokens: Vec<&str> = event_type.split('.').collect();
    if tokens.len() != 3 || !tokens.iter().all(|t| is_token(t)) {
        return Err(format!(
            "event type {event_type:?} is not <producer>.<aggregate>.<event> in lower case"
        ));
    }
    if tokens[0] != producer {
        return Err(format!(
            "event type {event_type:?} does not belong to producer {producer:?}"
        ));
    }
    Ok(())
}

/// Checks a subject prefix: dot-separated tokens without wildcards or spaces.
pub(crate) fn validate_prefix(prefix: &str) -> Result<(), String> {
    let ok = !prefix.is_empty()
        && prefix.split('.').all(|t| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "subject prefix {prefix:?} must be dot-separated alphanumeric tokens"
        ))
    }
}

/// The producer an event-type pattern (`identity.>`, `identity.account.*`) reads from. Its
/// first token must name the producer: patterns spanning several streams are several patterns.
pub(crate) fn producer_of_pattern(pattern: &str) -> Result<&str, String> {
    let first = pattern.split('.').next().unwrap_or_default();
    let valid_rest = pattern
        .split('.')
        .skip(1)
        .all(|t| t == "*" || t == ">" || is_token(t));
    if is_token(first) && valid_rest && !pattern.ends_with('.') {
        Ok(first)
    } else {
        Err(format!(
            "filter {pattern:?} must start with a producer name, as in \"identity.>\""
        ))
    }
}

/// The producer whose stream holds `subject` (`<prefix>.<producer>.…`).
pub(crate) fn producer_of_subject<'a>(prefix: &str, subject: &'a str) -> Option<&'a str> {
    let rest = subject.strip_prefix(prefix)?.strip_prefix('.')?;
    let producer = rest.split('.').next()?;
    (!producer.is_empty()).then_some(producer)
}

/// NATS subject matching: `*` matches one token, a final `>` one or more.
pub(crate) fn subject_matches(pattern: &str, subject: &str) -> bool {
    let mut subject_tokens = subject.split('.');
    let mut pattern_tokens = pattern.split('.').peekable();
    while let Some(p) = pattern_tokens.next() {
        if p == ">" && pattern_tokens.peek().is_none() {
            return subject_tokens.next().is_some();
        }
        match subject_tokens.next() {
            Some(s) if p == "*" || p == s => {}
            _ => return false,
        }
    }
    subject_tokens.next().is_none()
}

/// Whether every subject `specific` matches is matched by `general` as well.
pub(crate) fn pattern_covers(general: &str, specific: &str) -> bool {
    let mut specific_tokens = specific.split('.').peekable();
    let mut general_tokens = general.split('.').peekable();
    while let Some(g) = general_tokens.next() {
        if g == ">" && general_tokens.peek().is_none() {
            return specific_tokens.next().is_some();
        }
        match specific_tokens.next() {
            Some(">") => return false,
            Some(s) if g == "*" || g == s => {}
            _ => return false,
        }
    }
    specific_tokens.next().is_none()
}

/// Whether a consumer filtered by `existing` already takes everything `wanted` asks for (an
/// empty list is the whole stream, `whole`).
pub(crate) fn filters_cover(existing: &[String], wanted: &[String], whole: &str) -> bool {
    let all = [whole.to_string()];
    let existing = if existing.is_empty() {
        &all[..]
    } else {
        existing
    };
    let wanted = if wanted.is_empty() { &all[..] } else { wanted };
    wanted
        .iter()
        .all(|w| existing.iter().any(|e| pattern_covers(e, w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_covers_what_every_subject_it_matches_includes() {
        assert!(pattern_covers(
            "t.identity.>",
            "t.identity.account.registered"
        ));
        assert!(pattern_covers("t.identity.>", "t.identity.*.registered"));
        assert!(pattern_covers("t.identity.>", "t.identity.account.>"));
        assert!(pattern_covers(
            "t.*.account.*",
            "t.identity.account.registered"
        ));
        assert!(pattern_covers("t.a.b", "t.a.b"));
        assert!(!pattern_covers(
            "t.identity.account.registered",
            "t.identity.>"
        ));
        assert!(!pattern_covers("t.*.account.*", "t.identity.account.>"));
        assert!(!pattern_covers("t.a.b", "t.a.c"));
        assert!(!pattern_covers("t.a.b", "t.a.b.c"));
        assert!(!pattern_covers("t.a.>", "t.a"));
    }

    #[test]
    fn filters_cover_when_each_wanted_one_is_covered() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let whole = "t.training.>";
        let (held, attended) = ("t.training.session.held", "t.training.attendance.recorded");
        assert!(filters_cover(&v(&[held, attended]), &v(&[held]), whole));
        assert!(!filters_cover(&v(&[held]), &v(&[held, attended]), whole));
        assert!(
            filters_cover(&[], &v(&[held]), whole),
            "no filter is the whole stream"
        );
        assert!(!filters_cover(&v(&[held]), &[], whole));
        assert!(filters_cover(&v(&[whole]), &v(&[held, attended]), whole));
    }

    #[test]
    fn subjects_and_streams_follow_the_naming_rules() {
        assert_eq!(
            subject("tachawor", "identity.account.registered"),
            "tachawor.identity.account.registered"
        );
        assert_eq!(stream_name("tachawor", "identity"), "TACHAWOR_IDENTITY");
        assert_eq!(stream_name("t-1a.b", "all-in"), "T_1A_B_ALL_IN");
        assert_eq!(
            stream_subjects("tachawor", "identity"),
            "tachawor.identity.>"
        );
    }

    #[test]
    fn event_types_have_three_tokens_and_belong_to_their_producer() {
        assert!(validate_event_type("identity", "identity.account.registered").is_ok());
        assert!(validate_event_type("identity", "identity.account").is_err());
        assert!(validate_event_type("identity", "identity.account.registered.x").is_err());
        assert!(validate_event_type("identity", "training.session.held").is_err());
        assert!(validate_event_type("identity", "identity.Account.registered").is_err());
        assert!(validate_event_type("identity", "identity.*.registered").is_err());
        assert!(validate_event_type("identity", "identity..registered").is_err());
    }

    #[test]
    fn prefixes_are_plain_tokens() {
        assert!(validate_prefix("tachawor").is_ok());
        assert!(validate_prefix("t_0a1b.x").is_ok());
        assert!(validate_prefix("").is_err());
        assert!(validate_prefix("a.>").is_err());
        assert!(validate_prefix("a b").is_err());
    }

    #[test]
    fn patterns_name_their_producer() {
        assert_eq!(producer_of_pattern("identity.>"), Ok("identity"));
        assert_eq!(producer_of_pattern("identity.account.*"), Ok("identity"));
        assert_eq!(producer_of_pattern("identity"), Ok("identity"));
        assert!(producer_of_pattern(">").is_err());
        assert!(producer_of_pattern("*.account.registered").is_err());
        assert!(producer_of_pattern("identity.").is_err());
    }

    #[test]
    fn subjects_map_back_to_their_producer() {
        assert_eq!(
            producer_of_subject("tachawor", "tachawor.identity.account.registered"),
            Some("identity")
        );
        assert_eq!(producer_of_subject("tachawor", "other.identity.a.b"), None);
        assert_eq!(producer_of_subject("tacha", "tachawor.identity.a.b"), None);
    }

    #[test]
    fn wildcards_match_like_nats() {
        assert!(subject_matches(
            "p.identity.>",
            "p.identity.account.registered"
        ));
        assert!(!subject_matches("p.identity.>", "p.identity"));
        assert!(subject_matches(
            "p.identity.*.registered",
            "p.identity.account.registered"
        ));
        assert!(!subject_matches(
            "p.identity.*.registered",
            "p.identity.account.deleted"
        ));
        assert!(subject_matches(
            "p.identity.account.deleted",
            "p.identity.account.deleted"
        ));
        assert!(!subject_matches(
            "p.identity.account",
            "p.identity.account.deleted"
        ));
        assert!(!subject_matches(
            "p.identity.account.deleted.x",
            "p.identity.account.deleted"
        ));
        assert!(!subject_matches(
            "p.training.>",
            "p.identity.account.deleted"
        ));
    }
}

//! The portal's inbox, driven as a browser without script would: staff answer a person's
//! proposal and cancel the session they registered for, and the messages appear in that
//! person's inbox page in Arabic and French (unread marked by a word, a link to what each is
//! about); marking one and then all read changes the count the service gives and the header
//! shows; preferences saved through the page are read back through the gRPC API; anonymous
//! visitors are sent to sign in; another person never sees the messages nor marks them; a
//! reader follows and unfollows a consultation from its page.
//! Also the portal without notification (no inbox) and with notification down (pages still
//! render, without the count).

use std::time::Duration;

use tachawor_proto::{
    consultation as c,
    notification::{self as n, Channel, NotificationKind},
    training as t,
};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    training_pages,
    web::{Browser, Page},
};

/// What the check made: the person told, and what they were told about.
pub struct Told {
    pub person: Person,
    pub consultation: String,
    pub proposal: String,
    pub session: String,
}

/// The person's messages, through the service's API.
pub async fn messages(p: &Platform, person: &Person) -> n::ListMyNotificationsResponse {
    p.notification_as(&person.token)
        .list_my_notifications(n::ListMyNotificationsRequest::default())
        .await
        .expect("list my notifications")
        .into_inner()
}

/// Waits until `person` has `count` messages (the events travel through the bus).
async fn wait_for(p: &Platform, person: &Person, count: usize) -> n::ListMyNotificationsResponse {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let answer = messages(p, person).await;
        if answer.notifications.len() >= count {
            return answer;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{count} messages reach the inbox: {answer:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Staff answer the person's proposal and cancel the session the person registered for.
pub async fn tell(p: &Platform) -> Told {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let person = p.resident(&staff, "laayoune").await;
    let (consultation, _) = crate::scenario::open_consultation(p, &staff).await;
    let proposal = crate::scenario::submit_proposal(
        p,
        &person.token,
        &consultation,
        "Une ligne de bus vers la plage",
        "Un bus régulier en été.",
    )
    .await;
    p.consultation_as(&staff.token)
        .answer_proposal(c::AnswerProposalRequest {
            proposal_id: proposal.clone(),
            answer: c::ProposalAnswer::Accepted as i32,
            reasons: "Inscrite au programme de l’été.".into(),
        })
        .await
        .expect("answer proposal");
    // The cancellation happens later than the answer, on a shared manual clock too.
    if let Some(clock) = &p.manual {
        clock.advance(Duration::from_secs(60));
    }
    let session = training_pages::schedule(p, &staff, 10, false).await;
    training_pages::register_via_api(p, &person, &session).await;
    p.training_as(&staff.token)
        .cancel_session(t::CancelSessionRequest {
            session_id: session.clone(),
            reason: "Salle indisponible".into(),
        })
        .await
        .expect("cancel session");
    let told = wait_for(p, &person, 2).await;
    assert_eq!(told.unread, 2, "{told:?}");
    Told {
        person,
        consultation,
        proposal,
        session,
    }
}

fn assert_no_store(page: &Page, what: &str) {
    assert_eq!(page.header("cache-control"), "no-store", "{what}");
}

/// Anonymous visitors are sent to sign in, and brought back.
pub async fn check_anonymous(p: &Platform) {
    for path in [
        "/ar/account/notifications",
        "/fr/account/notifications/preferences",
    ] {
        let page = crate::web::get(p.portal, path, &[]).await;
        assert_eq!(page.status, 303, "{path}: {}", page.body);
        let lang = &path[1..3];
        assert!(
            page.header("location").starts_with(&format!(
                "/{lang}/sign-in?next=%2F{lang}%2Faccount%2Fnotifications"
            )),
            "{path}: {:?}",
            page.headers
        );
    }
}

/// The inbox in both languages: the two messages, newest first, unread marked by a word, each
/// with its link; the header's count; a proposal's link leading to its consultation.
pub async fn check_inbox(p: &Platform, told: &Told) {
    let mut ar = sign_in(p, &told.person, "ar").await;
    let page = ar.get("/ar/account/notifications").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    assert_no_store(&page, "the inbox");
    let text = page.plain();
    let proposal_at = text
        .find("ردّ المجلس على مقترحك: مقبول.")
        .unwrap_or_else(|| panic!("the answer, in Arabic: {text}"));
    let session_at = text
        .find("أُلغيت دورة كنت مسجلا فيها.")
        .unwrap_or_else(|| panic!("the cancelled session, in Arabic: {text}"));
    assert!(session_at < proposal_at, "newest first");
    assert_eq!(
        text.matches("<span class=\"tag tag-unread\">جديدة</span>")
            .count(),
        2,
        "both unread, said in words"
    );
    assert!(
        text.contains("<span class=\"count-badge\">رسالتان غير مقروءتين</span>"),
        "the header's count: {text}"
    );
    assert!(
        text.contains(&format!(
            "href=\"/ar/account/notifications/proposals/{}\"",
            told.proposal
        )),
        "a link to the proposal"
    );
    assert!(
        text.contains(&format!("href=\"/ar/training/sessions/{}\"", told.session)),
        "a link to the session"
    );
    assert!(text.contains("href=\"/ar/account/notifications\" aria-current=\"page\""));

    let to_proposal = ar
        .get(&format!(
            "/ar/account/notifications/proposals/{}",
            told.proposal
        ))
        .await;
    assert_eq!(to_proposal.status, 303, "{}", to_proposal.body);
    assert_eq!(
        to_proposal.header("location"),
        format!(
            "/ar/consultations/{}#proposal-{}",
            told.consultation, told.proposal
        )
    );

    let mut fr = sign_in(p, &told.person, "fr").await;
    let page = fr.get("/fr/account/notifications").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "fr");
    let text = page.plain();
    for expected in [
        "Le Conseil a répondu à votre proposition : Acceptée.",
        "Une séance à laquelle vous étiez inscrit est annulée.",
        "Réponse à votre proposition",
        "Séance annulée",
        "Voir la proposition",
        "Voir la séance",
        "2 non lus",
        "Tout marquer comme lu",
    ] {
        assert!(text.contains(expected), "fr shows {expected:?}: {text}");
    }
    let account = fr.get("/fr/account").await;
    assert_eq!(account.status, 200);
    assert!(
        account
            .plain()
            .contains("<span class=\"count-badge\">2 non lus</span>"),
        "the account page's header counts the unread: {}",
        account.body
    );
    assert!(account.body.contains("href=\"/fr/account/notifications\""));
    // A public page read by the person carries the link and count in its header, in a copy
    // never stored; the anonymous copy, which shared caches keep, carries nothing of them.
    let public = fr.get("/fr/consultations").await;
    assert_eq!(public.status, 200);
    assert_eq!(public.header("cache-control"), "no-store");
    assert!(
        public
            .plain()
            .contains("<span class=\"count-badge\">2 non lus</span>"),
        "{}",
        public.body
    );
    let anonymous = crate::web::get(p.portal, "/fr/consultations", &[("Cookie", "lang=fr")]).await;
    assert!(anonymous.header("cache-control").starts_with("public"));
    assert!(
        !anonymous.body.contains("count-badge")
            && !anonymous.body.contains("/fr/account/notifications"),
        "no inbox link or count on the anonymous copy"
    );
}

/// Marking read: one message, then a forged form refused, then all; the count follows, through
/// the API and in the header.
pub async fn check_marking_read(p: &Platform, told: &Told) {
    let mut fr = sign_in(p, &told.person, "fr").await;
    let before = messages(p, &told.person).await;
    let first = before.notifications[0].notification_id.clone();

    // Another person cannot mark it, and sees nothing of it.
    let other = p.citizen().await;
    let mut as_other = sign_in(p, &other, "fr").await;
    let theirs = as_other.get("/fr/account/notifications").await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    assert!(theirs.plain().contains("Aucun message pour l’instant."));
    assert!(!theirs.body.contains(&first) && !theirs.body.contains(&told.proposal));
    assert!(
        !theirs.body.contains("count-badge"),
        "nothing unread for them"
    );
    let action = format!("/fr/account/notifications/{first}/read");
    // Their inbox is empty, so shows no form: the token comes from their preferences page.
    let tried = as_other
        .submit("/fr/account/notifications/preferences", &action, &[])
        .await;
    assert_eq!(tried.status, 303, "{}", tried.body);
    assert_eq!(
        tried.header("location"),
        "/fr/account/notifications?done=nothing"
    );
    assert_eq!(
        messages(p, &told.person).await.unread,
        2,
        "not theirs to mark"
    );
    assert!(messages(p, &other).await.notifications.is_empty());

    // Without the form's token: refused, nothing marked.
    let forged = fr.post_raw(&action, &[("csrf", "x")]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(messages(p, &told.person).await.unread, 2);

    let marked = fr.submit("/fr/account/notifications", &action, &[]).await;
    assert_eq!(marked.status, 303, "{}", marked.body);
    assert_eq!(
        marked.header("location"),
        "/fr/account/notifications?done=read"
    );
    let after = messages(p, &told.person).await;
    assert_eq!(after.unread, 1);
    let read = after
        .notifications
        .iter()
        .find(|m| m.notification_id == first)
        .expect("still listed");
    assert!(read.read_at.is_some(), "marked read");
    let page = fr.follow(&marked).await;
    let text = page.plain();
    assert!(text.contains("Le message est marqué comme lu."), "{text}");
    // A second click marks nothing more, and says so.
    let again = fr.submit("/fr/account/notifications", &action, &[]).await;
    assert_eq!(
        again.header("location"),
        "/fr/account/notifications?done=nothing"
    );
    let again = fr.follow(&again).await;
    assert!(again.plain().contains("Ce message était déjà lu."));
    assert_eq!(messages(p, &told.person).await.unread, 1);
    assert!(text.contains("<span class=\"count-badge\">1 non lu</span>"));
    assert_eq!(text.matches("tag-unread").count(), 1, "one still unread");
    assert!(
        !text.contains(&format!("/fr/account/notifications/{first}/read")),
        "no mark-read button on a read message"
    );

    let all = fr
        .submit(
            "/fr/account/notifications",
            "/fr/account/notifications/read",
            &[],
        )
        .await;
    assert_eq!(all.status, 303, "{}", all.body);
    assert_eq!(messages(p, &told.person).await.unread, 0);
    let page = fr.follow(&all).await;
    let text = page.plain();
    assert!(text.contains("Tous vos messages sont marqués comme lus."));
    assert!(text.contains("Vous avez tout lu."));
    assert!(!text.contains("count-badge") && !text.contains("tag-unread"));
    assert!(
        !text.contains("Tout marquer comme lu"),
        "nothing left to mark"
    );
    assert_eq!(
        text.matches("class=\"card message").count(),
        2,
        "both still listed"
    );
}

/// The checkboxes a preferences page shows, as `channel.kind`.
fn shown(page: &Page) -> Vec<String> {
    let marker = "name=\"shown\" value=\"";
    page.body
        .match_indices(marker)
        .map(|(at, _)| {
            let start = at + marker.len();
            let end = page.body[start..].find('"').expect("a closing quote") + start;
            page.body[start..end].to_string()
        })
        .collect()
}

fn enabled(prefs: &[n::Preference], channel: Channel, kind: NotificationKind) -> bool {
    prefs
        .iter()
        .find(|p| p.channel == channel as i32 && p.kind == kind as i32)
        .unwrap_or_else(|| panic!("{channel:?} {kind:?} in {prefs:?}"))
        .enabled
}

async fn preferences(p: &Platform, person: &Person) -> Vec<n::Preference> {
    p.notification_as(&person.token)
        .get_my_preferences(n::GetMyPreferencesRequest {})
        .await
        .expect("get my preferences")
        .into_inner()
        .preferences
}

/// Preferences: every kind and channel shown (defaults ticked), saved as ticked and read back
/// through the API; a value not on the page refused beside the list, nothing written.
pub async fn check_preferences(p: &Platform) {
    let person = p.citizen().await;
    let path = "/ar/account/notifications/preferences";
    let mut ar = sign_in(p, &person, "ar").await;
    let page = ar.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    assert_no_store(&page, "the preferences");
    let boxes = shown(&page);
    assert_eq!(boxes.len(), 30, "3 channels × 10 kinds: {boxes:?}");
    assert!(page.body.contains(
        "id=\"pref-inbox.proposal_answered\" name=\"on\" value=\"inbox.proposal_answered\" checked"
    ));
    assert!(page.body.contains(
        "id=\"pref-sms.proposal_answered\" name=\"on\" value=\"sms.proposal_answered\">"
    ));
    assert!(page.plain().contains("حين يرد المجلس على مقترح قدمته."));
    // Every new consultation: asked for, never by default.
    for channel in ["inbox", "email", "sms"] {
        assert!(
            page.body.contains(&format!(
                "id=\"pref-{channel}.new_consultation\" name=\"on\" value=\"{channel}.new_consultation\">"
            )),
            "{channel} unticked for new consultations"
        );
    }
    assert!(page.plain().contains("استشارة جديدة"));
    assert!(
        page.plain()
            .contains("حين تُفتح أي استشارة جديدة، ولو لم تتابعها")
    );

    // A value the page never showed: refused beside the list, nothing written.
    let mut fields: Vec<(&str, &str)> = boxes.iter().map(|b| ("shown", b.as_str())).collect();
    fields.push(("on", "fax.proposal_answered"));
    let refused = ar.submit(path, path, &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "ar");
    assert!(refused.plain().contains("<title>خطأ:"));
    assert_beside(&refused, "preferences", "تعذر حفظ هذه الاختيارات.");
    assert!(enabled(
        &preferences(p, &person).await,
        Channel::Inbox,
        NotificationKind::SessionCancelled
    ));

    // Untick the inbox for cancelled sessions and email for answered proposals, tick SMS for
    // answered proposals, and the inbox and email for every new consultation.
    let mut fields: Vec<(&str, &str)> = boxes.iter().map(|b| ("shown", b.as_str())).collect();
    let ticked: Vec<&str> = boxes
        .iter()
        .map(String::as_str)
        .filter(|b| !b.starts_with("sms.") || *b == "sms.proposal_answered")
        .filter(|b| *b != "inbox.session_cancelled" && *b != "email.proposal_answered")
        .collect();
    fields.extend(ticked.iter().map(|b| ("on", *b)));
    let saved = ar.submit(path, path, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), format!("{path}?done=saved"));
    let prefs = preferences(p, &person).await;
    assert!(!enabled(
        &prefs,
        Channel::Inbox,
        NotificationKind::SessionCancelled
    ));
    assert!(!enabled(
        &prefs,
        Channel::Email,
        NotificationKind::ProposalAnswered
    ));
    assert!(enabled(
        &prefs,
        Channel::Sms,
        NotificationKind::ProposalAnswered
    ));
    assert!(enabled(
        &prefs,
        Channel::Inbox,
        NotificationKind::ProposalAnswered
    ));
    assert!(!enabled(
        &prefs,
        Channel::Sms,
        NotificationKind::CertificateIssued
    ));
    for (channel, on) in [
        (Channel::Inbox, true),
        (Channel::Email, true),
        (Channel::Sms, false),
    ] {
        assert_eq!(
            enabled(&prefs, channel, NotificationKind::NewConsultation),
            on,
            "{channel:?} for new consultations"
        );
    }
    let page = ar.follow(&saved).await;
    assert!(page.plain().contains("حُفظت اختياراتك."));
    assert!(page.body.contains(
        "id=\"pref-inbox.session_cancelled\" name=\"on\" value=\"inbox.session_cancelled\">"
    ));
    assert!(page.body.contains(
        "id=\"pref-sms.proposal_answered\" name=\"on\" value=\"sms.proposal_answered\" checked"
    ));

    assert!(page.body.contains(
        "id=\"pref-inbox.new_consultation\" name=\"on\" value=\"inbox.new_consultation\" checked"
    ));

    // Another person's preferences are untouched.
    let other = p.citizen().await;
    let theirs = preferences(p, &other).await;
    assert!(enabled(
        &theirs,
        Channel::Inbox,
        NotificationKind::SessionCancelled
    ));
    assert!(!enabled(
        &theirs,
        Channel::Inbox,
        NotificationKind::NewConsultation
    ));
}

/// The consultations `person` follows, through the service's API.
async fn follows(p: &Platform, person: &Person) -> Vec<n::Follow> {
    p.notification_as(&person.token)
        .list_my_follows(n::ListMyFollowsRequest::default())
        .await
        .expect("list my follows")
        .into_inner()
        .follows
}

/// Following from a consultation's page: anonymous readers see no button (the copy shared
/// caches keep stays the same for all); the person who took part follows it already; another
/// reader follows it in French and stops in Arabic, the service agreeing each time; a forged
/// form changes nothing.
pub async fn check_following(p: &Platform, told: &Told) {
    let id = &told.consultation;
    let fr_path = format!("/fr/consultations/{id}");
    let ar_path = format!("/ar/consultations/{id}");
    let anonymous = crate::web::get(p.portal, &fr_path, &[("Cookie", "lang=fr")]).await;
    assert_eq!(anonymous.status, 200, "{}", anonymous.body);
    assert!(anonymous.header("cache-control").starts_with("public"));
    assert!(
        !anonymous.body.contains("id=\"follow\""),
        "no button for anonymous readers"
    );

    // The author took part: they follow it already, and are offered to stop.
    let mut author = sign_in(p, &told.person, "fr").await;
    let page = author.get(&fr_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.plain().contains("Vous suivez cette consultation"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("action=\"/fr/consultations/{id}/unfollow\""))
    );

    let reader = p.citizen().await;
    let mut fr = sign_in(p, &reader, "fr").await;
    let page = fr.get(&fr_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_no_store(&page, "a consultation with the reader's button");
    let follow = format!("/fr/consultations/{id}/follow");
    assert!(
        page.body.contains(&format!("action=\"{follow}\"")),
        "{}",
        page.body
    );
    let text = page.plain();
    assert!(text.contains("Suivre cette consultation"), "{text}");
    assert!(text.contains("Suivez-la pour être prévenu"), "{text}");
    assert!(follows(p, &reader).await.is_empty());

    let forged = fr.post_raw(&follow, &[("csrf", "x")]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(follows(p, &reader).await.is_empty(), "nothing followed");

    let done = fr.submit(&fr_path, &follow, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), format!("{fr_path}#follow"));
    let followed = follows(p, &reader).await;
    assert_eq!(followed.len(), 1, "{followed:?}");
    assert_eq!(&followed[0].consultation_id, id);
    assert!(followed[0].by_choice);

    let mut ar = sign_in(p, &reader, "ar").await;
    let page = ar.get(&ar_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    let text = page.plain();
    assert!(text.contains("أنت تتابع هذه الاستشارة"), "{text}");
    assert!(text.contains("توقف عن المتابعة"), "{text}");
    let unfollow = format!("/ar/consultations/{id}/unfollow");
    let done = ar.submit(&ar_path, &unfollow, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), format!("{ar_path}#follow"));
    assert!(follows(p, &reader).await.is_empty(), "no longer followed");
    let page = ar.get(&ar_path).await;
    assert!(page.plain().contains("تابع هذه الاستشارة"));
    assert!(
        page.body
            .contains(&format!("action=\"/ar/consultations/{id}/follow\""))
    );
    // The author's follow is theirs: untouched.
    assert_eq!(follows(p, &told.person).await.len(), 1);
}

/// A portal without notification: no inbox link, no inbox pages; the account page works.
pub async fn check_without_notification(p: &Platform) {
    let person = p.citizen().await;
    let mut browser: Browser = sign_in(p, &person, "fr").await;
    let account = browser.get("/fr/account").await;
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(
        !account.body.contains("/fr/account/notifications"),
        "no inbox link"
    );
    let inbox = browser.get("/fr/account/notifications").await;
    assert_eq!(inbox.status, 404, "{}", inbox.body);
}

/// A portal whose notification service is down: the account page renders with the inbox link
/// and without a count; the inbox itself says the service is unavailable.
pub async fn check_notification_down(p: &Platform) {
    let person = p.citizen().await;
    let mut browser = sign_in(p, &person, "ar").await;
    let started = std::time::Instant::now();
    let account = browser.get("/ar/account").await;
    assert_eq!(account.status, 200, "{}", account.body);
    assert!(started.elapsed() < Duration::from_secs(3), "not held up");
    assert!(account.body.contains("href=\"/ar/account/notifications\""));
    assert!(!account.body.contains("count-badge"));
    let inbox = browser.get("/ar/account/notifications").await;
    assert_eq!(inbox.status, 503, "{}", inbox.body);
    assert_localized(&inbox, "ar");
}

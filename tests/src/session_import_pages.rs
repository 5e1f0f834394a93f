//! Sessions held before the platform, imported on the staff desk: a file with bad rows lists
//! them and writes nothing; a good one is checked, imported, and importing it again changes
//! nothing; the sessions show as held and recorded after the fact, with how many attended, in
//! Arabic and French.

use tachawor_proto::training::{ListSessionsRequest, Session, SessionStatus};

use crate::{
    Person, Platform,
    import_pages::{confirm, upload},
    signed_in::sign_in,
    take_part_pages::assert_localized,
    training_pages::create_program,
};

const HEADER: &str = "program_id,title_ar,title_fr,kind,province_code,address,days,start,end,\
                      attended_count,attendee_account_ids\n";

async fn sessions(p: &Platform, staff: &Person, program_id: &str) -> Vec<Session> {
    p.training_as(&staff.token)
        .list_sessions(ListSessionsRequest {
            program_id: program_id.into(),
            ..Default::default()
        })
        .await
        .expect("sessions")
        .into_inner()
        .sessions
}

pub async fn check_past_sessions(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let attendee = p.citizen().await;
    let program = create_program(p, &staff).await;
    let day = |offset: i64| tachawor_proto::dates::date_of_millis(p.now() + offset * 86_400_000);
    let mut browser = sign_in(p, &staff, "fr").await;

    let unknown = uuid::Uuid::now_v7().to_string();
    let bad = format!(
        "{HEADER}{program},لقاء,Rencontre,regional_meeting,laayoune,Siège,{},09:00,12:00,40,\n\
         {unknown},لقاء,Rencontre,regional_meeting,laayoune,Siège,{},09:00,12:00,40,\n\
         {program},لقاء,Rencontre,regional_meeting,laayoune,Siège,{},12:00,09:00,-1,\n",
        day(5),
        day(-20),
        day(-21)
    );
    for lang in ["fr", "ar"] {
        let checked = upload(&mut browser, lang, "sessions", &bad).await;
        assert_eq!(checked.status, 422, "{}", checked.body);
        assert_localized(&checked, lang);
        let text = checked.plain();
        for (line, column) in [
            (2, "days"),
            (3, "program_id"),
            (4, "end"),
            (4, "attended_count"),
        ] {
            assert!(
                text.contains(&format!(
                    "<tr><td>{line}</td><td><code dir=\"ltr\">{column}</code></td>"
                )),
                "line {line}, {column}: {text}"
            );
        }
        assert_eq!(text.matches("<tr><td>").count(), 4, "{text}");
    }
    assert!(
        sessions(p, &staff, &program).await.is_empty(),
        "nothing written"
    );

    let good = format!(
        "{HEADER}{program},لقاء جهوي,Rencontre régionale,regional_meeting,laayoune,\
         Siège du Conseil régional,{},09:00,13:00,64,\n\
         {program},دورة تكوينية,\"Formation, associations\",training_session,boujdour,\
         Maison des jeunes,{};{},09:30,16:00,27,{}\n",
        day(-60),
        day(-30),
        day(-29),
        attendee.id
    );
    let checked = upload(&mut browser, "fr", "sessions", &good).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert!(checked.plain().contains("2 à ajouter"), "{}", checked.body);
    assert!(
        sessions(p, &staff, &program).await.is_empty(),
        "a check writes nothing"
    );
    let run = confirm(&mut browser, "fr", "sessions", &checked).await;
    assert_eq!(run.status, 200, "{}", run.body);
    assert!(
        run.plain().contains("2 ajoutées, 0 déjà enregistrées"),
        "{}",
        run.body
    );

    let imported = sessions(p, &staff, &program).await;
    assert_eq!(imported.len(), 2);
    assert!(
        imported
            .iter()
            .all(|s| s.recorded_after_the_fact && s.status == SessionStatus::Held as i32)
    );
    let meeting = imported
        .iter()
        .find(|s| s.recorded_attended_count == 64)
        .expect("the first row");

    // Shown held and recorded after the fact, with how many came, and no registration.
    for (lang, tag, attended) in [
        ("fr", "Enregistré après coup", "64 personnes présentes"),
        ("ar", "سُجّل لاحقا", "64"),
    ] {
        let mut reader = sign_in(p, &attendee, lang).await;
        let page = reader
            .get(&format!("/{lang}/training/sessions/{}", meeting.session_id))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_localized(&page, lang);
        let text = page.plain();
        assert!(text.contains(tag) && text.contains(attended), "{text}");
        assert!(!text.contains("/register\""), "{text}");
        let list = browser.get(&format!("/{lang}/staff/sessions")).await;
        assert!(list.plain().contains(tag), "{}", list.body);
    }

    // Again: all already recorded, nothing changes.
    let checked = upload(&mut browser, "fr", "sessions", &good).await;
    assert!(checked.plain().contains("0 à ajouter"), "{}", checked.body);
    let run = confirm(&mut browser, "fr", "sessions", &checked).await;
    assert!(
        run.plain().contains("0 ajoutées, 2 déjà enregistrées"),
        "{}",
        run.body
    );
    assert_eq!(sessions(p, &staff, &program).await.len(), 2);
}

//! Lists a desk needs whole are read past the services' first page: with more programs than
//! a page of the training service holds (200), the sessions desk's form still offers every
//! one of them, the newest and the oldest.

use tachawor_proto::training as t;

use crate::{Person, Platform, signed_in::sign_in};

/// More than one page of the service's largest.
const PROGRAMS: usize = 201;

pub async fn check_programs_past_a_page(p: &Platform, staff: &Person) {
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let mut ids = Vec::new();
    for n in 0..PROGRAMS {
        let title = tachawor_proto::common::LocalizedText {
            ar: format!("برنامج {n} {run}"),
            fr: format!("Programme {n} {run}"),
            en: String::new(),
            zgh: String::new(),
        };
        let program = p
            .training_as(&staff.token)
            .create_program(t::CreateProgramRequest {
                title: Some(title.clone()),
                objectives: Some(title),
                audiences: vec![t::Audience::Associations as i32],
                milestone_ref: "MALAA0004-3".into(),
                province_codes: Vec::new(),
                idempotency_key: String::new(),
            })
            .await
            .expect("create program")
            .into_inner()
            .program
            .expect("program");
        ids.push(program.program_id);
    }
    let mut as_staff = sign_in(p, staff, "ar").await;
    let form = as_staff.get("/ar/staff/sessions/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let missing: Vec<_> = ids
        .iter()
        .filter(|id| !form.body.contains(&format!("<option value=\"{id}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {PROGRAMS} programs not offered",
        missing.len()
    );
}

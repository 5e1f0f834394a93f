//! Deleting accounts does not rewrite what happened: after the reporting scenario in the
//! all-in-one, every citizen who took part deletes their account; consultation and training
//! erase what they held of them (their own export comes back without their texts and
//! certificate names), and reporting's figures stay exactly the same, also after a rebuild.
//! Nothing was still collecting or to come (the petition was answered, the session held), so
//! nothing had to be withdrawn or cancelled.

use std::time::Duration;

use tachawor_identity::testing::PASSWORD;
use tachawor_proto::{consultation, identity::DeleteMyAccountRequest, training};
use tachawor_system_tests::{
    Person, Platform,
    all_in_one::{Running, SCENARIO_CONFIG},
    figures, scenario,
};

/// Whether consultation and training have erased `person` (read with their still valid token).
async fn erased(p: &Platform, person: &Person) -> bool {
    let texts = p
        .consultation_as(&person.token)
        .export_my_data(consultation::ExportMyDataRequest { page: None })
        .await
        .expect("consultation export")
        .into_inner();
    let held = p
        .training_as(&person.token)
        .export_my_data(training::ExportMyDataRequest { page: None })
        .await
        .expect("training export")
        .into_inner();
    texts.comments.is_empty()
        && texts.proposals.is_empty()
        && held.certificates.iter().all(|c| c.holder_name.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleted_accounts_leave_reportings_figures_unchanged() {
    let running = Running::start(SCENARIO_CONFIG).await;
    let p = &running.platform;
    let expected = scenario::run(p).await;
    let staff = p.staff(&p.admin().await).await;
    figures::wait_for(p, &staff, &expected).await;

    let mut had_texts = 0;
    for person in &expected.people {
        if !erased(p, person).await {
            had_texts += 1;
        }
        p.identity_as(&person.token)
            .delete_my_account(DeleteMyAccountRequest {
                password: PASSWORD.into(),
            })
            .await
            .expect("delete account");
    }
    assert!(
        had_texts > 0,
        "the scenario's people wrote and were certified"
    );
    for person in &expected.people {
        let mut waited = 0;
        while !erased(p, person).await {
            assert!(
                waited < 400,
                "consultation and training erase a deleted account"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 1;
        }
    }

    figures::wait_for(p, &staff, &expected).await;
    figures::rebuild_and_wait(p, &staff, &expected).await;
    running.stop().await;
}

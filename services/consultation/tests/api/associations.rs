//! Association-only consultations are for representatives of *verified* associations: creating
//! an association (pending) opens nothing until staff verify it.

use tachawor_proto::{
    consultation::*,
    identity::{AssociationStatus, CreateAssociationRequest, VerifyAssociationRequest},
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, rule, text, ts};

matrix! {
    async fn a_pending_association_opens_no_association_consultation(app: TestApp) {
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let consultation_id = s
            .create_consultation(CreateConsultationRequest {
                title: text("Associations and the budget"),
                body: text("What should the associations' fund support?"),
                organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: String::new() }),
                audience: Audience::Associations as i32,
                province_codes: Vec::new(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap()
            .consultation_id;
        s.open_consultation(OpenConsultationRequest {
            consultation_id: consultation_id.clone(),
            closes_at: ts(tachawor_storage::Clock::now_millis(&app.clock) + 86_400_000),
        })
        .await
        .unwrap();

        let founder = app.verified("laayoune").await;
        let association_id = app
            .identity_as(&founder)
            .create_association(CreateAssociationRequest {
                name: text("Association Al Amal"),
                registration_number: format!("RC-{}", uuid::Uuid::new_v4().simple()),
                founded_on: Some(tachawor_proto::common::Date { year: 2015, month: 3, day: 10 }),
                province_code: "laayoune".into(),
                fields_of_activity: vec!["youth".into()],
            })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap()
            .association_id;
        let founder = app.login(founder).await;
        let eligibility = app.eligibility(&founder.id).await;
        assert_eq!(eligibility.associations[0].status(), AssociationStatus::Pending);
        let proposal = |association_id: &str| SubmitProposalRequest {
            consultation_id: consultation_id.clone(),
            title: "A fund for youth clubs".into(),
            body: "Open the fund to youth clubs in every province.".into(),
            association_id: association_id.into(),
            idempotency_key: String::new(),
        };
        let mut pending = app.client(&founder);
        assert_code(
            pending.get_consultation(GetConsultationRequest { consultation_id: consultation_id.clone() }).await,
            Code::NotFound,
            "pending: not in the audience",
        );
        let e = pending.submit_proposal(proposal(&association_id)).await.unwrap_err();
        assert_eq!(rule(&e), "proposal.association_representative", "pending: not in its name");
        assert_code(pending.submit_proposal(proposal("")).await, Code::NotFound, "pending: not in the audience");
        assert_eq!(app.count("proposals").await, 0);

        app.identity_staff()
            .verify_association(VerifyAssociationRequest { association_id: association_id.clone() })
            .await
            .unwrap();
        let founder = app.login(founder).await;
        let mut verified = app.client(&founder);
        verified
            .get_consultation(GetConsultationRequest { consultation_id: consultation_id.clone() })
            .await
            .expect("verified: in the audience");
        let p = verified.submit_proposal(proposal(&association_id)).await.unwrap().into_inner();
        assert_eq!(p.proposal.unwrap().association_id, association_id);
    }
}

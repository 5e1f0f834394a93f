//! Documents attached to consultations, petitions and opinions: staff attach and remove
//! (audited), members of an instance attach to its opinions, whoever reads the parent reads
//! and downloads; the type is told by the content, not the name; bad input is named and
//! writes nothing; each change announced once, with ids only.

use std::collections::HashMap;

use tachawor_proto::{
    common::PageRequest,
    consultation::*,
    events::{ConsultationAttachmentAdded, ConsultationAttachmentRemoved},
};
use tachawor_testkit::{Backend, Harness, matrix};
use tonic::Code;

use crate::helpers::{Client, Person, TestApp, assert_code, assert_fields, payloads};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";

fn add(
    parent: AttachmentParent,
    parent_id: &str,
    name: &str,
    content: &[u8],
) -> AddAttachmentRequest {
    AddAttachmentRequest {
        parent: parent as i32,
        parent_id: parent_id.into(),
        name: name.into(),
        content: content.to_vec(),
    }
}

fn list(parent: AttachmentParent, parent_id: &str) -> ListAttachmentsRequest {
    ListAttachmentsRequest {
        parent: parent as i32,
        parent_id: parent_id.into(),
        page: None,
    }
}

async fn names(
    client: &mut Client,
    parent: AttachmentParent,
    parent_id: &str,
) -> Result<Vec<String>, tonic::Status> {
    let listed = client
        .list_attachments(list(parent, parent_id))
        .await?
        .into_inner();
    Ok(listed.attachments.into_iter().map(|a| a.name).collect())
}

async fn content(client: &mut Client, attachment_id: &str) -> Result<Vec<u8>, tonic::Status> {
    let got = client
        .get_attachment_content(GetAttachmentContentRequest {
            attachment_id: attachment_id.into(),
        })
        .await?
        .into_inner();
    Ok(got.content)
}

async fn draft_opinion(app: &TestApp, member: &Person, instance: &str) -> String {
    app.client(member)
        .draft_opinion(DraftOpinionRequest {
            instance_id: instance.into(),
            matter: "Youth employment in the program".into(),
            referral: Referral::Council as i32,
            consultation_id: String::new(),
            body: "The instance recommends...".into(),
            recommendations: vec!["Apprenticeships".into()],
        })
        .await
        .expect("draft opinion")
        .into_inner()
        .opinion
        .unwrap()
        .opinion_id
}

matrix! {
    async fn staff_attach_a_program_that_whoever_reads_the_consultation_downloads(app: TestApp) {
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let (mut s, mut me) = (app.client(&staff), app.client(&citizen));
        let consultation = app.open_consultation(&staff).await;
        let draft = app.draft_consultation(&staff).await;
        use AttachmentParent::Consultation as C;

        let program = s.add_attachment(add(C, &consultation, "Programme de développement régional.pdf", PDF))
            .await.unwrap().into_inner().attachment.unwrap();
        assert_eq!(program.content_type, "application/pdf");
        assert_eq!(program.size_bytes, PDF.len() as i64);
        assert_eq!(program.sha256.len(), 64);
        // Named as a PDF, it is a picture: it is recorded as what it is.
        let map = s.add_attachment(add(C, &consultation, "carte.pdf", PNG)).await.unwrap().into_inner().attachment.unwrap();
        assert_eq!(map.content_type, "image/png");
        let hidden = s.add_attachment(add(C, &draft, "brouillon.pdf", PDF)).await.unwrap().into_inner().attachment.unwrap();

        // Anyone reads an open consultation's documents, a page at a time, oldest first.
        let mut anyone = app.anonymous();
        assert_eq!(names(&mut anyone, C, &consultation).await.unwrap(), ["Programme de développement régional.pdf", "carte.pdf"]);
        let first = anyone.list_attachments(ListAttachmentsRequest {
            page: Some(PageRequest { page_size: 1, page_token: String::new() }),
            ..list(C, &consultation)
        }).await.unwrap().into_inner();
        assert_eq!(first.attachments.len(), 1);
        let rest = anyone.list_attachments(ListAttachmentsRequest {
            page: Some(PageRequest { page_size: 1, page_token: first.next_page_token }),
            ..list(C, &consultation)
        }).await.unwrap().into_inner();
        assert_eq!(rest.attachments[0].attachment_id, map.attachment_id);
        assert!(rest.next_page_token.is_empty());
        assert_eq!(content(&mut anyone, &program.attachment_id).await.unwrap(), PDF);
        assert_eq!(content(&mut me, &map.attachment_id).await.unwrap(), PNG);
        // A draft's documents are staff's only, like the draft.
        assert_code(names(&mut anyone, C, &draft).await, Code::NotFound, "anonymous, a draft's list");
        assert_code(content(&mut me, &hidden.attachment_id).await, Code::NotFound, "citizen, a draft's document");
        assert_eq!(content(&mut s, &hidden.attachment_id).await.unwrap(), PDF);

        // Removal: staff only, audited, announced; the bytes are gone with the row.
        s.remove_attachment(RemoveAttachmentRequest { attachment_id: map.attachment_id.clone() }).await.unwrap();
        assert_code(content(&mut s, &map.attachment_id).await, Code::NotFound, "a removed document");
        assert_code(
            s.remove_attachment(RemoveAttachmentRequest { attachment_id: map.attachment_id.clone() }).await,
            Code::NotFound,
            "removed twice",
        );
        assert_eq!(names(&mut s, C, &consultation).await.unwrap(), ["Programme de développement régional.pdf"]);
        let audit: Vec<(String, String)> = app.audit(&map.attachment_id).await.into_iter().map(|(actor, action, _)| (actor, action)).collect();
        assert_eq!(audit, [(staff.id.clone(), "attachment.add".to_string()), (staff.id.clone(), "attachment.remove".to_string())]);

        let events = app.events().await;
        let added: Vec<ConsultationAttachmentAdded> = payloads(&events, "consultation.attachment.added");
        assert_eq!(added.len(), 3);
        assert_eq!(added[0], ConsultationAttachmentAdded {
            attachment_id: program.attachment_id.clone(),
            parent_type: "consultation".into(),
            parent_id: consultation.clone(),
            content_type: "application/pdf".into(),
            size_bytes: PDF.len() as i64,
        });
        let removed: Vec<ConsultationAttachmentRemoved> = payloads(&events, "consultation.attachment.removed");
        assert_eq!(removed, [ConsultationAttachmentRemoved {
            attachment_id: map.attachment_id.clone(),
            parent_type: "consultation".into(),
            parent_id: consultation.clone(),
        }]);
        app.assert_no_personal_data(&[&staff, &citizen]).await;
    }

    async fn who_attaches_and_who_removes(app: TestApp) {
        let (staff, admin, observer, citizen) = tokio::join!(app.staff(), app.admin(), app.observer(), app.citizen());
        let (instance, other) = tokio::join!(app.instance(), app.instance());
        let (member, outsider) = tokio::join!(app.member(&instance), app.member(&other));
        let consultation = app.open_consultation(&staff).await;
        let opinion = draft_opinion(&app, &member, &instance).await;
        let agent = app.verified("laayoune").await;
        let petition = app.client(&agent).create_petition(CreatePetitionRequest {
            kind: PetitionKind::Citizen as i32,
            title: "Bus line to the hospital".into(),
            object: "Put a new bus line on the council's agenda".into(),
            subject_field: "transport".into(),
            association_id: String::new(),
        }).await.unwrap().into_inner().petition.unwrap().petition_id;
        use AttachmentParent::{Consultation as C, Opinion as O, Petition as P};

        // Consultations and petitions: staff and administrators attach; no one else.
        let before = app.written().await;
        let refused = [
            (None, Code::Unauthenticated, "anonymous"),
            (Some(&citizen), Code::PermissionDenied, "citizen"),
            (Some(&observer), Code::PermissionDenied, "observer"),
            (Some(&member), Code::PermissionDenied, "instance member"),
        ];
        for (who, code, what) in refused {
            let mut client = who.map_or_else(|| app.anonymous(), |p| app.client(p));
            assert_code(client.add_attachment(add(C, &consultation, "a.pdf", PDF)).await, code, what);
        }
        // The petition's agent does not attach to it (the council's answer is staff's).
        assert_code(app.client(&agent).add_attachment(add(P, &petition, "a.pdf", PDF)).await, Code::PermissionDenied, "agent");
        // A draft opinion does not exist for those outside its instance.
        assert_code(app.client(&outsider).add_attachment(add(O, &opinion, "a.pdf", PDF)).await, Code::NotFound, "another instance's member");
        assert_code(app.client(&citizen).add_attachment(add(O, &opinion, "a.pdf", PDF)).await, Code::NotFound, "citizen, a draft opinion");
        assert_eq!(app.written().await, before, "a refused attachment writes nothing");

        let by_admin = app.client(&admin).add_attachment(add(C, &consultation, "a.pdf", PDF)).await.unwrap().into_inner().attachment.unwrap();
        app.client(&staff).add_attachment(add(P, &petition, "answer.pdf", PDF)).await.unwrap();
        // A draft petition's documents are its agent's and staff's to read.
        assert_eq!(names(&mut app.client(&agent), P, &petition).await.unwrap(), ["answer.pdf"]);
        assert_code(names(&mut app.client(&citizen), P, &petition).await, Code::NotFound, "citizen, a draft petition");
        // Members attach to their instance's opinions; they and staff read them while a draft.
        let annex = app.client(&member).add_attachment(add(O, &opinion, "annexe.pdf", PDF)).await.unwrap().into_inner().attachment.unwrap();
        assert_eq!(names(&mut app.client(&staff), O, &opinion).await.unwrap(), ["annexe.pdf"]);
        assert_code(names(&mut app.anonymous(), O, &opinion).await, Code::NotFound, "anonymous, a draft opinion");

        // Removal is staff's, even of a member's own attachment.
        let before = app.written().await;
        for (who, code, what) in [
            (None, Code::Unauthenticated, "anonymous"),
            (Some(&citizen), Code::PermissionDenied, "citizen"),
            (Some(&observer), Code::PermissionDenied, "observer"),
            (Some(&member), Code::PermissionDenied, "the member who attached it"),
        ] {
            let mut client = who.map_or_else(|| app.anonymous(), |p| app.client(p));
            let answer = client.remove_attachment(RemoveAttachmentRequest { attachment_id: annex.attachment_id.clone() }).await;
            assert_code(answer, code, what);
        }
        assert_eq!(app.written().await, before, "a refused removal writes nothing");
        app.client(&staff).remove_attachment(RemoveAttachmentRequest { attachment_id: annex.attachment_id }).await.unwrap();
        app.client(&admin).remove_attachment(RemoveAttachmentRequest { attachment_id: by_admin.attachment_id }).await.unwrap();
        let counts = app.event_counts().await;
        assert_eq!(counts.get("consultation.attachment.added"), Some(&3));
        assert_eq!(counts.get("consultation.attachment.removed"), Some(&2));
    }

    async fn bad_uploads_are_named_and_write_nothing(small: SmallDocuments) {
        let app = small.0;
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let consultation = app.open_consultation(&staff).await;
        use AttachmentParent::Consultation as C;
        let before = app.written().await;

        assert_fields(s.add_attachment(add(C, &consultation, "", b"")).await, &["name", "content"]);
        assert_fields(s.add_attachment(add(C, &consultation, "  ", PDF)).await, &["name"]);
        assert_fields(s.add_attachment(add(C, &consultation, "../../etc/passwd", PDF)).await, &["name"]);
        assert_fields(
            s.add_attachment(AddAttachmentRequest { parent: 0, parent_id: "not-a-uuid".into(), name: "a.pdf".into(), content: PDF.to_vec() }).await,
            &["parent", "parent_id"],
        );
        // Disguised by its name: a program, a web page, a script.
        for (name, bytes) in [
            ("programme.pdf", b"MZ\x90\0\x03\0\0\0 This program cannot be run in DOS mode".as_slice()),
            ("photo.png", b"<html><script>alert(1)</script></html>".as_slice()),
            ("budget.docx", b"#!/bin/sh\necho pwned\n".as_slice()),
        ] {
            assert_fields(s.add_attachment(add(C, &consultation, name, bytes)).await, &["content"]);
        }
        // Over the configured limit (1 KiB here).
        let mut big = PDF.to_vec();
        big.resize(1025, b' ');
        assert_fields(s.add_attachment(add(C, &consultation, "big.pdf", &big)).await, &["content"]);
        // Over the message limit: refused by the transport before it is read whole.
        let mut huge = PDF.to_vec();
        huge.resize(5 * 1024 * 1024, b' ');
        let answer = s.add_attachment(add(C, &consultation, "huge.pdf", &huge)).await.unwrap_err();
        assert_eq!(answer.code(), Code::OutOfRange, "{answer:?}");
        // A parent that does not exist.
        let missing = uuid::Uuid::now_v7().to_string();
        assert_code(s.add_attachment(add(C, &missing, "a.pdf", PDF)).await, Code::NotFound, "a missing consultation");
        assert_code(s.add_attachment(add(AttachmentParent::Opinion, &missing, "a.pdf", PDF)).await, Code::NotFound, "a missing opinion");
        assert_fields(s.list_attachments(list(AttachmentParent::Unspecified, "x")).await, &["parent", "parent_id"]);
        assert_fields(s.get_attachment_content(GetAttachmentContentRequest { attachment_id: "x".into() }).await, &["attachment_id"]);
        assert_fields(s.remove_attachment(RemoveAttachmentRequest { attachment_id: String::new() }).await, &["attachment_id"]);
        assert_code(content(&mut s, &missing).await, Code::NotFound, "a missing attachment");
        assert_eq!(app.written().await, before, "bad input writes nothing");
        let exactly = {
            let mut b = PDF.to_vec();
            b.resize(1024, b' ');
            b
        };
        s.add_attachment(add(C, &consultation, "exactly.pdf", &exactly)).await.unwrap();
    }
}

/// A server accepting documents of 1 KiB at most.
struct SmallDocuments(TestApp);

impl Harness for SmallDocuments {
    async fn start(backend: Backend) -> Self {
        let overrides = HashMap::from([("documents.max_bytes", "1024".to_string())]);
        Self(TestApp::start_with(backend, overrides).await)
    }
}

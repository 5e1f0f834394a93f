//! A session's material: staff attach and remove (audited, announced with ids only); anyone
//! lists and downloads; the type is told by the content; bad input is named and writes nothing.

use prost::Message;
use tachawor_proto::{
    events::{TrainingAttachmentAdded, TrainingAttachmentRemoved},
    training::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, fields};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01";

fn add(session_id: &str, name: &str, content: &[u8]) -> AddAttachmentRequest {
    AddAttachmentRequest {
        session_id: session_id.into(),
        name: name.into(),
        content: content.to_vec(),
    }
}

fn remove(attachment_id: &str) -> RemoveAttachmentRequest {
    RemoveAttachmentRequest {
        attachment_id: attachment_id.into(),
    }
}

fn get(attachment_id: &str) -> GetAttachmentContentRequest {
    GetAttachmentContentRequest {
        attachment_id: attachment_id.into(),
    }
}

fn list(session_id: &str) -> ListAttachmentsRequest {
    ListAttachmentsRequest {
        session_id: session_id.into(),
        page: None,
    }
}

fn payloads<M: Message + Default>(
    events: &[(String, tachawor_events::Envelope)],
    t: &str,
) -> Vec<M> {
    events
        .iter()
        .filter(|(_, e)| e.r#type == t)
        .map(|(_, e)| M::decode(e.payload.as_ref().unwrap().value.as_slice()).unwrap())
        .collect()
}

matrix! {
    async fn staff_attach_material_that_anyone_downloads(app: TestApp) {
        let (mut staff, mut admin, mut observer, mut citizen, mut member) =
            tokio::join!(app.staff(), app.admin(), app.observer(), app.citizen(), app.instance_member());
        let session = app.session(&staff, 10, &[3]).await.session_id;

        // Only staff and administrators attach and remove.
        let before = (app.count("attachments").await, app.count("outbox").await, app.count("audit_log").await);
        assert_eq!(app.anonymous().add_attachment(add(&session, "a.pdf", PDF)).await.unwrap_err().code(), Code::Unauthenticated);
        for (who, client) in [("citizen", &mut citizen.client), ("observer", &mut observer.client), ("instance member", &mut member.client)] {
            let answer = client.add_attachment(add(&session, "a.pdf", PDF)).await.unwrap_err();
            assert_eq!(answer.code(), Code::PermissionDenied, "{who}");
        }
        let slides = staff.client.add_attachment(add(&session, "Diapositives — الشرائح.pdf", PDF)).await.unwrap().into_inner().attachment.unwrap();
        assert_eq!((slides.content_type.as_str(), slides.size_bytes), ("application/pdf", PDF.len() as i64));
        // Named as a PDF, it is a photograph, and is recorded as one.
        let photo = admin.client.add_attachment(add(&session, "liste.pdf", JPEG)).await.unwrap().into_inner().attachment.unwrap();
        assert_eq!(photo.content_type, "image/jpeg");

        // Anyone lists and downloads them, oldest first.
        let mut anyone = app.anonymous();
        let listed = anyone.list_attachments(list(&session)).await.unwrap().into_inner().attachments;
        let names: Vec<_> = listed.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Diapositives — الشرائح.pdf", "liste.pdf"]);
        let got = anyone.get_attachment_content(get(&slides.attachment_id)).await.unwrap().into_inner();
        assert_eq!(got.content, PDF);
        assert_eq!(got.attachment.unwrap().sha256, slides.sha256);
        assert_eq!(citizen.client.get_attachment_content(get(&photo.attachment_id)).await.unwrap().into_inner().content, JPEG);

        for (who, client, code) in [
            ("citizen", &mut citizen.client, Code::PermissionDenied),
            ("observer", &mut observer.client, Code::PermissionDenied),
            ("anonymous", &mut anyone, Code::Unauthenticated),
        ] {
            assert_eq!(client.remove_attachment(remove(&photo.attachment_id)).await.unwrap_err().code(), code, "{who}");
        }
        let after_adds = (app.count("attachments").await, app.count("outbox").await, app.count("audit_log").await);
        assert_eq!(after_adds, (before.0 + 2, before.1 + 2, before.2 + 2), "refused calls write nothing");
        staff.client.remove_attachment(remove(&photo.attachment_id)).await.unwrap();
        assert_eq!(anyone.get_attachment_content(get(&photo.attachment_id)).await.unwrap_err().code(), Code::NotFound);
        assert_eq!(staff.client.remove_attachment(remove(&photo.attachment_id)).await.unwrap_err().code(), Code::NotFound);

        let events = app.events().await;
        let added: Vec<TrainingAttachmentAdded> = payloads(&events, "training.attachment.added");
        assert_eq!(added, [
            TrainingAttachmentAdded { attachment_id: slides.attachment_id.clone(), session_id: session.clone(), content_type: "application/pdf".into(), size_bytes: PDF.len() as i64 },
            TrainingAttachmentAdded { attachment_id: photo.attachment_id.clone(), session_id: session.clone(), content_type: "image/jpeg".into(), size_bytes: JPEG.len() as i64 },
        ]);
        let removed: Vec<TrainingAttachmentRemoved> = payloads(&events, "training.attachment.removed");
        assert_eq!(removed, [TrainingAttachmentRemoved { attachment_id: photo.attachment_id.clone(), session_id: session.clone() }]);
    }

    async fn bad_material_is_named_and_writes_nothing(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 10, &[3]).await.session_id;
        let before = (app.count("attachments").await, app.count("outbox").await);
        let c = &mut staff.client;
        let named = |answer: Result<tonic::Response<AddAttachmentResponse>, tonic::Status>| fields(&answer.unwrap_err());
        assert_eq!(named(c.add_attachment(add("nope", "", b"")).await), ["session_id", "name", "content"]);
        assert_eq!(named(c.add_attachment(add(&session, "setup.pdf", b"MZ\x90\0\x03 program")).await), ["content"]);
        assert_eq!(named(c.add_attachment(add(&session, "notes.odt", b"PK\x03\x04 not really")).await), ["content"]);
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        assert_eq!(named(c.add_attachment(add(&session, "big.pdf", &big)).await), ["content"]);
        assert_eq!(fields(&c.list_attachments(list("x")).await.unwrap_err()), ["session_id"]);
        assert_eq!(fields(&c.get_attachment_content(get("")).await.unwrap_err()), ["attachment_id"]);
        let missing = uuid::Uuid::now_v7().to_string();
        assert_eq!(c.add_attachment(add(&missing, "a.pdf", PDF)).await.unwrap_err().code(), Code::NotFound);
        assert_eq!(c.list_attachments(list(&missing)).await.unwrap_err().code(), Code::NotFound);
        assert_eq!((app.count("attachments").await, app.count("outbox").await), before);
    }
}

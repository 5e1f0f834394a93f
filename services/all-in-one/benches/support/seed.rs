//! Content recorded through the gRPC API as people would: open consultations with their
//! survey, sessions, petitions collecting signatures, and citizens answering and registering.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use tachawor_proto::{
    common::{Date, LocalizedText},
    consultation::{
        AddQuestionRequest, Answer, Audience, CreateConsultationRequest, CreatePetitionRequest,
        OpenConsultationRequest, Organizer, OrganizerKind, PetitionKind, QuestionKind,
        StartCollectingRequest, SubmitResponseRequest,
        consultation_service_client::ConsultationServiceClient,
    },
    identity::{LoginRequest, RegisterRequest, identity_service_client::IdentityServiceClient},
    training::{
        CreateProgramRequest, Eligibility, RegisterRequest as SessionRegisterRequest,
        ScheduleSessionRequest, SessionDetails, SessionKind, Venue,
        training_service_client::TrainingServiceClient,
    },
};
use tonic::{metadata::MetadataValue, transport::Channel};

pub fn text(s: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: format!("{s} (ar)"),
        fr: s.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

pub fn authed<T>(token: &str, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    let value: MetadataValue<_> = format!("Bearer {token}").parse().expect("a header value");
    request.metadata_mut().insert("authorization", value);
    request
}

pub async fn channel(port: u16) -> Channel {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Channel::from_shared(format!("http://127.0.0.1:{port}"))
            .expect("url")
            .connect()
            .await
        {
            Ok(c) => return c,
            Err(e) if Instant::now() > deadline => panic!("port {port}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

const DAY: i64 = 86_400_000;

/// The generated administrator's access token (identity answering means the first start has
/// written its password).
pub async fn admin_token(identity_port: u16, data: &Path) -> String {
    let identity = channel(identity_port).await;
    let password = std::fs::read_to_string(data.join("admin-password.txt")).expect("password");
    login(identity, "admin@tachawor.local", password.trim()).await
}

/// The access token of `identifier` signed in with `password`.
pub async fn sign_in(identity_port: u16, identifier: &str, password: &str) -> String {
    login(channel(identity_port).await, identifier, password).await
}

async fn login(identity: Channel, identifier: &str, password: &str) -> String {
    IdentityServiceClient::new(identity)
        .login(LoginRequest {
            identifier: identifier.into(),
            password: password.into(),
        })
        .await
        .expect("login")
        .into_inner()
        .tokens
        .expect("tokens")
        .access_token
}

/// `n` open public consultations with `questions` survey questions each; their ids.
pub async fn consultations(port: u16, token: &str, n: usize, questions: usize) -> Vec<String> {
    let mut consultation = ConsultationServiceClient::new(channel(port).await);
    let now = now_millis();
    let mut ids = Vec::new();
    for i in 0..n {
        let id = consultation
            .create_consultation(authed(
                token,
                CreateConsultationRequest {
                    title: text(&format!("Consultation {i}")),
                    body: text("Quelles priorités pour la région ?"),
                    organizer: Some(Organizer {
                        kind: OrganizerKind::Council as i32,
                        instance_id: String::new(),
                    }),
                    audience: Audience::Public as i32,
                    province_codes: vec!["laayoune".into()],
                    ..Default::default()
                },
            ))
            .await
            .expect("create consultation")
            .into_inner()
            .consultation
            .expect("consultation")
            .consultation_id;
        for q in 0..questions {
            let kind = [
                QuestionKind::SingleChoice,
                QuestionKind::MultipleChoice,
                QuestionKind::Scale,
                QuestionKind::FreeText,
            ][q % 4];
            let options = match kind {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                    ["Eau", "Routes", "Écoles"]
                        .map(|o| text(o).expect("text"))
                        .to_vec()
                }
                _ => Vec::new(),
            };
            let (scale_min, scale_max) = if kind == QuestionKind::Scale {
                (1, 5)
            } else {
                (0, 0)
            };
            consultation
                .add_question(authed(
                    token,
                    AddQuestionRequest {
                        consultation_id: id.clone(),
                        kind: kind as i32,
                        prompt: text(&format!("Question {q}")),
                        options,
                        scale_min,
                        scale_max,
                        required: false,
                        idempotency_key: String::new(),
                    },
                ))
                .await
                .expect("add question");
        }
        consultation
            .open_consultation(authed(
                token,
                OpenConsultationRequest {
                    consultation_id: id.clone(),
                    closes_at: Some(tachawor_proto::dates::timestamp(now + 30 * DAY)),
                },
            ))
            .await
            .expect("open consultation");
        ids.push(id);
    }
    ids
}

/// `n` sessions of one program, open for registration; their ids.
pub async fn sessions(port: u16, token: &str, n: usize) -> Vec<String> {
    let mut training = TrainingServiceClient::new(channel(port).await);
    let now = now_millis();
    let program = training
        .create_program(authed(
            token,
            CreateProgramRequest {
                title: text("Formation"),
                objectives: text("Objectifs"),
                audiences: vec![1],
                milestone_ref: "MALAA0004-1".into(),
                province_codes: vec!["laayoune".into()],
                idempotency_key: String::new(),
            },
        ))
        .await
        .expect("create program")
        .into_inner()
        .program
        .expect("program")
        .program_id;
    let day = tachawor_proto::dates::date_of_millis(now + 40 * DAY);
    let day: Date = tachawor_proto::dates::date_from_str(&day).expect("a date");
    let mut ids = Vec::new();
    for i in 0..n {
        let session = training
            .schedule_session(authed(
                token,
                ScheduleSessionRequest {
                    program_id: program.clone(),
                    details: Some(SessionDetails {
                        kind: SessionKind::TrainingSession as i32,
                        title: text(&format!("Session {i}")),
                        days: vec![day],
                        venue: Some(Venue {
                            province_code: "laayoune".into(),
                            address: "Siège du Conseil".into(),
                        }),
                        capacity: 30,
                        registration_opens_at: Some(tachawor_proto::dates::timestamp(now)),
                        registration_closes_at: Some(tachawor_proto::dates::timestamp(
                            now + 30 * DAY,
                        )),
                        eligibility: Eligibility::Open as i32,
                        ..Default::default()
                    }),
                    idempotency_key: String::new(),
                },
            ))
            .await
            .expect("schedule session")
            .into_inner()
            .session
            .expect("session");
        ids.push(session.session_id);
    }
    ids
}

/// `n` citizen petitions collecting signatures, their agent `token`'s holder; their ids.
pub async fn petitions(port: u16, token: &str, n: usize) -> Vec<String> {
    let mut consultation = ConsultationServiceClient::new(channel(port).await);
    let mut ids = Vec::new();
    for i in 0..n {
        let id = consultation
            .create_petition(authed(
                token,
                CreatePetitionRequest {
                    kind: PetitionKind::Citizen as i32,
                    title: format!("Pétition {i}"),
                    object: "Inscrire l'éclairage public à l'ordre du jour.".into(),
                    subject_field: "infrastructure".into(),
                    association_id: String::new(),
                },
            ))
            .await
            .expect("create petition")
            .into_inner()
            .petition
            .expect("petition")
            .petition_id;
        consultation
            .start_collecting(authed(
                token,
                StartCollectingRequest {
                    petition_id: id.clone(),
                },
            ))
            .await
            .expect("start collecting");
        ids.push(id);
    }
    ids
}

/// `n` citizens registered and signed in; their access tokens.
pub async fn citizens(identity_port: u16, n: usize) -> Vec<String> {
    let identity = channel(identity_port).await;
    let mut client = IdentityServiceClient::new(identity.clone());
    let mut tokens = Vec::new();
    for i in 0..n {
        let email = format!("citizen{i}@example.org");
        let password = "a long enough password";
        client
            .register(RegisterRequest {
                email: email.clone(),
                phone: String::new(),
                password: password.into(),
                display_name: format!("Citizen {i}"),
                locale: 0,
            })
            .await
            .expect("register");
        tokens.push(login(identity.clone(), &email, password).await);
    }
    tokens
}

/// Every citizen answers every consultation's survey and registers for every session: the
/// actions reporting counts.
pub async fn actions(
    ports: &[u16; 4],
    citizens: &[String],
    consultations: &[String],
    sessions: &[String],
) {
    let mut consultation = ConsultationServiceClient::new(channel(ports[1]).await);
    let mut training = TrainingServiceClient::new(channel(ports[2]).await);
    for token in citizens {
        for id in consultations {
            let survey = consultation
                .get_consultation(authed(
                    token,
                    tachawor_proto::consultation::GetConsultationRequest {
                        consultation_id: id.clone(),
                    },
                ))
                .await
                .expect("get consultation")
                .into_inner()
                .consultation
                .expect("consultation")
                .questions;
            let answers = survey
                .iter()
                .map(|q| Answer {
                    question_id: q.question_id.clone(),
                    option_indexes: match QuestionKind::try_from(q.kind) {
                        Ok(QuestionKind::SingleChoice) => vec![0],
                        Ok(QuestionKind::MultipleChoice) => vec![0, 2],
                        _ => Vec::new(),
                    },
                    scale_value: if q.kind == QuestionKind::Scale as i32 {
                        4
                    } else {
                        0
                    },
                    text: if q.kind == QuestionKind::FreeText as i32 {
                        "Plus de transports.".into()
                    } else {
                        String::new()
                    },
                })
                .collect();
            consultation
                .submit_response(authed(
                    token,
                    SubmitResponseRequest {
                        consultation_id: id.clone(),
                        answers,
                        idempotency_key: String::new(),
                    },
                ))
                .await
                .expect("submit response");
        }
        for id in sessions {
            training
                .register(authed(
                    token,
                    SessionRegisterRequest {
                        session_id: id.clone(),
                        idempotency_key: String::new(),
                    },
                ))
                .await
                .expect("register for a session");
        }
    }
}

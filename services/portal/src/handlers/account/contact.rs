//! The person's email address and phone number: whether each is verified, sending the
//! verification (a link by email, a code by text message), typing the phone's code, replacing
//! either (password asked again; the new one starts unverified), and the consent to receive
//! messages about their participation on each channel. Only verified contacts receive them.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::identity::{
    ChangeContactRequest, ConfirmContactRequest, ContactChannel, RecordConsentRequest,
    RequestContactVerificationRequest,
};
use tonic::Code;

use super::{consented, my_account, my_consents};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
};

/// The consents' purposes at identity, read by its `GetDeliveryContact`.
const EMAIL_PURPOSE: &str = "messages.email";
const SMS_PURPOSE: &str = "messages.sms";
/// The version of the explanation this page shows (`contact-messages-explain`): change it
/// whenever that text changes, so each consent records what the person read.
const NOTICE_VERSION: &str = "1";

/// `email` or `phone`, as forms name a channel.
fn channel_of(name: &str) -> Option<ContactChannel> {
    match name {
        "email" => Some(ContactChannel::Email),
        "phone" => Some(ContactChannel::Phone),
        _ => None,
    }
}

/// What the forms typed, kept when the page is shown again with errors (never a password or
/// a code).
#[derive(Debug, Default)]
struct Typed {
    new_email: String,
    new_phone: String,
}

#[derive(Template)]
#[template(path = "account_contact.html")]
struct ContactPage {
    frame: Frame,
    csrf: String,
    email: String,
    email_verified: bool,
    phone: String,
    phone_verified: bool,
    messages_email: bool,
    messages_sms: bool,
    typed: Typed,
    errors: FormErrors,
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    typed: Typed,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (account, consents) = tokio::try_join!(
        my_account(state, person, lang),
        my_consents(state, person, lang)
    )?;
    let frame = Frame::new(
        lang,
        tr.t("contact-title"),
        Section::Account,
        "account/contact",
    )
    .with_errors(&errors);
    let status = errors.status();
    let page = ContactPage {
        frame,
        csrf: person.visitor.form_token(),
        email: account.email,
        email_verified: account.email_verified,
        phone: account.phone,
        phone_verified: account.phone_verified,
        messages_email: consented(&consents, EMAIL_PURPOSE),
        messages_sms: consented(&consents, SMS_PURPOSE),
        typed,
        errors,
        notice,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

#[derive(Debug, Default, Deserialize)]
pub struct ContactQuery {
    /// What was just done: `sent-email`, `sent-phone`, `confirmed`, `changed-email`,
    /// `changed-phone`, `messages`.
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ContactQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let notice = query
        .done
        .filter(|d| {
            [
                "sent-email",
                "sent-phone",
                "confirmed",
                "changed-email",
                "changed-phone",
                "messages",
            ]
            .contains(&d.as_str())
        })
        .map(|d| tr.t(&format!("contact-done-{d}")));
    render(
        &state,
        &person,
        lang,
        Typed::default(),
        FormErrors::new(),
        notice,
    )
    .await
}

fn done(lang: Lang, what: &str) -> Response {
    Redirect::to(&format!("/{}/account/contact?done={what}", lang.code())).into_response()
}

/// The page again with the refusal of a service call.
async fn refused(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    typed: Typed,
    errors: Result<FormErrors, PageError>,
) -> Result<Response, PageError> {
    render(state, person, lang, typed, errors?, None).await
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    channel: String,
}

/// Sends the verification of one contact: a link to the email, a code to the phone.
pub async fn send(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<SendForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let Some(channel) = channel_of(&form.channel) else {
        return Err(PageError::new(crate::error::ErrorKind::BadRequest, lang));
    };
    let request = RequestContactVerificationRequest {
        channel: channel as i32,
    };
    match state
        .services
        .identity()
        .request_contact_verification(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(done(lang, &format!("sent-{}", form.channel))),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "contact", &[]);
            refused(&state, &person, lang, Typed::default(), errors).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
}

/// Confirms the phone with the code it received.
pub async fn confirm(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<ConfirmForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    errors.require(tr, "contact", "code", &form.code);
    if errors.has_errors() {
        return render(&state, &person, lang, Typed::default(), errors, None).await;
    }
    let request = ConfirmContactRequest {
        channel: ContactChannel::Phone as i32,
        secret: form.code.trim().to_string(),
    };
    match state
        .services
        .identity()
        .confirm_contact(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(done(lang, "confirmed")),
        Err(status) => {
            let errors = FormErrors::from_status_beside(
                &status,
                tr,
                "contact",
                &[("secret", "code")],
                &[("contact-secret-invalid", "code")],
            );
            refused(&state, &person, lang, Typed::default(), errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    email_password: String,
    #[serde(default)]
    new_phone: String,
    #[serde(default)]
    phone_password: String,
}

/// Replaces the email or the phone, with the password asked again.
pub async fn change(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<ChangeForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let Some(channel) = channel_of(&form.channel) else {
        return Err(PageError::new(crate::error::ErrorKind::BadRequest, lang));
    };
    // Each channel's form has its own fields, so errors sit beside the form that was sent.
    let (value_field, password_field, value, password) = match channel {
        ContactChannel::Phone => (
            "new_phone",
            "phone_password",
            &form.new_phone,
            &form.phone_password,
        ),
        _ => (
            "new_email",
            "email_password",
            &form.new_email,
            &form.email_password,
        ),
    };
    let typed = Typed {
        new_email: form.new_email.clone(),
        new_phone: form.new_phone.clone(),
    };
    let mut errors = FormErrors::new();
    errors.require(tr, "contact", value_field, value).require(
        tr,
        "contact",
        password_field,
        password,
    );
    if errors.has_errors() {
        return render(&state, &person, lang, typed, errors, None).await;
    }
    let request = ChangeContactRequest {
        channel: channel as i32,
        value: value.trim().to_string(),
        password: password.clone(),
    };
    match state
        .services
        .identity()
        .change_contact(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(done(lang, &format!("changed-{}", form.channel))),
        // A wrong password is the person's to fix, not a lost session.
        Err(status)
            if matches!(
                status.code(),
                Code::Unauthenticated | Code::PermissionDenied
            ) =>
        {
            let mut errors = FormErrors::new();
            errors.field(password_field, tr.t("contact-wrong-password"));
            render(&state, &person, lang, typed, errors, None).await
        }
        Err(status) => {
            let errors = FormErrors::from_status_beside(
                &status,
                tr,
                "contact",
                &[("value", value_field), ("password", password_field)],
                &[("password-wrong", password_field)],
            );
            refused(&state, &person, lang, typed, errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct MessagesForm {
    /// `yes` when the box is ticked; a browser sends nothing for an empty box.
    #[serde(default)]
    email: String,
    #[serde(default)]
    sms: String,
}

/// Records the consent to messages by email and by SMS, both as the form shows them.
pub async fn messages(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<MessagesForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let record = |purpose: &str, granted: bool| {
        let request = RecordConsentRequest {
            purpose: purpose.into(),
            version: NOTICE_VERSION.into(),
            granted,
        };
        let mut identity = state.services.identity();
        let request = as_person(&person.session, request);
        async move { identity.record_consent(request).await }
    };
    let answers = tokio::try_join!(
        record(EMAIL_PURPOSE, form.email == "yes"),
        record(SMS_PURPOSE, form.sms == "yes"),
    );
    match answers {
        Ok(_) => Ok(done(lang, "messages")),
        Err(status) => {
            let errors = FormErrors::from_status(&status, tr, "contact", &[]);
            refused(&state, &person, lang, Typed::default(), errors).await
        }
    }
}

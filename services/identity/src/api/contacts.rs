//! Contacts and passwords: verifying an email or phone, changing them, changing and resetting
//! the password, and the contact the notification service sends to.

use tachawor_errors::Error;
use tachawor_proto::identity::*;

use crate::context::{Call, Context};

fn not_built() -> Error {
    Error::internal(anyhow::anyhow!("not built yet"))
}

pub async fn request_contact_verification(
    _ctx: &Context,
    _call: &Call,
    _req: RequestContactVerificationRequest,
) -> Result<RequestContactVerificationResponse, Error> {
    Err(not_built())
}

pub async fn confirm_contact(
    _ctx: &Context,
    _call: &Call,
    _req: ConfirmContactRequest,
) -> Result<ConfirmContactResponse, Error> {
    Err(not_built())
}

pub async fn change_contact(
    _ctx: &Context,
    _call: &Call,
    _req: ChangeContactRequest,
) -> Result<ChangeContactResponse, Error> {
    Err(not_built())
}

pub async fn change_password(
    _ctx: &Context,
    _call: &Call,
    _req: ChangePasswordRequest,
) -> Result<ChangePasswordResponse, Error> {
    Err(not_built())
}

pub async fn request_password_reset(
    _ctx: &Context,
    _call: &Call,
    _req: RequestPasswordResetRequest,
) -> Result<RequestPasswordResetResponse, Error> {
    Err(not_built())
}

pub async fn reset_password(
    _ctx: &Context,
    _call: &Call,
    _req: ResetPasswordRequest,
) -> Result<ResetPasswordResponse, Error> {
    Err(not_built())
}

pub async fn get_delivery_contact(
    _ctx: &Context,
    _call: &Call,
    _req: GetDeliveryContactRequest,
) -> Result<GetDeliveryContactResponse, Error> {
    Err(not_built())
}

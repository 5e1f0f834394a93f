//! The signed-in person's own account: read it, update the profile, consents, export, delete.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    common::{AgeBand, Gender, Locale},
    events::{AccountDeleted, AccountProfileUpdated},
    identity::{
        Consent, DeleteMyAccountRequest, DeleteMyAccountResponse, ExportMyDataRequest,
        ExportMyDataResponse, GetMyAccountRequest, GetMyAccountResponse, RecordConsentRequest,
        RecordConsentResponse, UpdateMyProfileRequest, UpdateMyProfileResponse,
    },
};

use crate::{
    context::{Call, Context},
    domain::{
        self,
        account::{self, STATISTICS_PURPOSE},
    },
    store::{
        accounts::{self, AccountRecord, ConsentRow, StoredProfile},
        associations, instances, tokens,
    },
    validate,
};

/// The caller's own active account, inside `conn`.
pub(crate) async fn me(
    ctx: &Context,
    call: &Call,
    conn: &mut sqlx::AnyConnection,
) -> Result<AccountRecord, Error> {
    let caller = call.account()?;
    accounts::load(conn, &caller.account_id, &ctx.today())
        .await?
        .filter(AccountRecord::is_active)
        .ok_or_else(|| Error::Unauthenticated("this account no longer exists".into()))
}

pub async fn get_my_account(
    ctx: &Context,
    call: &Call,
    _req: GetMyAccountRequest,
) -> Result<GetMyAccountResponse, Error> {
    call.account()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    Ok(GetMyAccountResponse {
        account: Some(record.to_proto()),
    })
}

pub async fn update_my_profile(
    ctx: &Context,
    call: &Call,
    req: UpdateMyProfileRequest,
) -> Result<UpdateMyProfileResponse, Error> {
    call.account()?;
    let profile = req.profile.unwrap_or_default();
    let mut v = Violations::new();
    v.check(
        req.display_name.is_empty() || validate::is_display_name(&req.display_name),
        "display_name",
        "must have 2 to 100 characters",
    );
    v.check(
        Locale::try_from(req.locale).is_ok(),
        "locale",
        "is not a known locale",
    );
    v.check(
        Gender::try_from(profile.gender).is_ok(),
        "profile.gender",
        "is not a known value",
    );
    v.check(
        AgeBand::try_from(profile.age_band).is_ok(),
        "profile.age_band",
        "is not a known value",
    );
    v.check(
        profile.province_code.is_empty() || ctx.region.has_province(&profile.province_code),
        "profile.province_code",
        "is not a province of this region",
    );
    let sets_profile =
        profile.gender != 0 || profile.age_band != 0 || !profile.province_code.is_empty();
    v.check(
        !(req.clear_profile && sets_profile),
        "clear_profile",
        "cannot be combined with profile values",
    );
    v.finish()?;

    let mut tx = ctx.begin().await?;
    let record = me(ctx, call, &mut tx).await?;
    let id = record.row.account_id.clone();
    // The consent is read only when the profile is shared.
    let consented =
        !sets_profile || accounts::has_consent(&mut tx, &id, STATISTICS_PURPOSE).await?;
    account::check_profile_shared(sets_profile, consented)?;
    let now = ctx.now();
    if !req.display_name.is_empty() {
        accounts::set_display_name(&mut tx, &id, req.display_name.trim(), now).await?;
    }
    if req.locale != 0 {
        let locale = domain::locale_str(Locale::try_from(req.locale).unwrap_or_default());
        accounts::set_locale(&mut tx, &id, locale, now).await?;
    }
    if sets_profile || req.clear_profile {
        let keep = |new: Option<&'static str>, old: &Option<String>| {
            if req.clear_profile {
                None
            } else {
                new.map(str::to_string).or_else(|| old.clone())
            }
        };
        let gender = keep(
            domain::gender_str(Gender::try_from(profile.gender).unwrap_or_default()),
            &record.row.gender,
        );
        let age_band = keep(
            domain::age_band_str(AgeBand::try_from(profile.age_band).unwrap_or_default()),
            &record.row.age_band,
        );
        let province = if req.clear_profile {
            None
        } else if profile.province_code.is_empty() {
            record.row.province_code.clone()
        } else {
            Some(profile.province_code.clone())
        };
        let profile = StoredProfile {
            gender,
            age_band,
            province_code: province,
        };
        accounts::set_profile(&mut tx, &id, &profile, now).await?;
        ctx.emit(
            &mut tx,
            catalogue::ACCOUNT_PROFILE_UPDATED,
            &id,
            &AccountProfileUpdated {
                account_id: id.clone(),
                province_code: profile.province_code.unwrap_or_default(),
                gender: domain::gender_from_str(profile.gender.as_deref()) as i32,
                age_band: domain::age_band_from_str(profile.age_band.as_deref()) as i32,
                actor_kind: domain::actor_kind(&record.roles) as i32,
            },
        )
        .await?;
    }
    let updated = accounts::load(&mut tx, &id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    ctx.commit(tx).await?;
    Ok(UpdateMyProfileResponse {
        account: Some(updated.to_proto()),
    })
}

pub async fn record_consent(
    ctx: &Context,
    call: &Call,
    req: RecordConsentRequest,
) -> Result<RecordConsentResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    v.check(
        validate::is_purpose(&req.purpose),
        "purpose",
        "must be short lowercase words joined by dots (messages.email)",
    );
    v.check(
        !req.version.trim().is_empty() && req.version.len() <= 32,
        "version",
        "is required (at most 32 characters)",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let record = me(ctx, call, &mut tx).await?;
    let now = ctx.now();
    let consent = ConsentRow {
        purpose: req.purpose,
        version: req.version.trim().to_string(),
        granted: i32::from(req.granted),
        recorded_at: now,
    };
    accounts::insert_consent(&mut tx, &record.row.account_id, &consent).await?;
    // Withdrawing the statistics consent erases what it covered.
    if consent.purpose == STATISTICS_PURPOSE && !req.granted && has_profile(&record) {
        let erased = StoredProfile::default();
        accounts::set_profile(&mut tx, &record.row.account_id, &erased, now).await?;
        ctx.emit(
            &mut tx,
            catalogue::ACCOUNT_PROFILE_UPDATED,
            &record.row.account_id,
            &AccountProfileUpdated {
                account_id: record.row.account_id.clone(),
                actor_kind: domain::actor_kind(&record.roles) as i32,
                ..Default::default()
            },
        )
        .await?;
    }
    ctx.commit(tx).await?;
    Ok(RecordConsentResponse {
        consent: Some(Consent {
            purpose: consent.purpose,
            version: consent.version,
            granted: req.granted,
            recorded_at: Some(domain::timestamp(now)),
        }),
    })
}

fn has_profile(record: &AccountRecord) -> bool {
    record.row.gender.is_some()
        || record.row.age_band.is_some()
        || record.row.province_code.is_some()
}

pub async fn export_my_data(
    ctx: &Context,
    call: &Call,
    _req: ExportMyDataRequest,
) -> Result<ExportMyDataResponse, Error> {
    call.account()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    let id = &record.row.account_id;
    let consents = accounts::consents_of(&mut conn, id).await?;
    let sessions = tokens::families_opened_at(&mut conn, id).await?;
    let associations = associations::represented_by(&mut conn, id).await?;
    let memberships = instances::memberships_of(&mut conn, id).await?;
    Ok(ExportMyDataResponse {
        account: Some(record.to_proto()),
        consents: consents
            .into_iter()
            .map(|c| Consent {
                purpose: c.purpose,
                version: c.version,
                granted: c.granted != 0,
                recorded_at: Some(domain::timestamp(c.recorded_at)),
            })
            .collect(),
        associations,
        memberships,
        sessions_opened_at: sessions.into_iter().map(domain::timestamp).collect(),
    })
}

pub async fn delete_my_account(
    ctx: &Context,
    call: &Call,
    req: DeleteMyAccountRequest,
) -> Result<DeleteMyAccountResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    v.check(!req.password.is_empty(), "password", "is required");
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    drop(conn);
    if !ctx
        .passwords
        .verify(req.password, record.row.password_hash.clone())
        .await?
    {
        return Err(Error::PermissionDenied("wrong password".into()));
    }
    let id = record.row.account_id.clone();
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    // Personal data goes, and with it every role the account held.
    accounts::erase(&mut tx, &id, now).await?;
    associations::remove_representations_of(&mut tx, &id).await?;
    instances::end_memberships_of(&mut tx, &id, &ctx.today()).await?;
    tokens::revoke_all(&mut tx, &id, now).await?;
    ctx.emit(
        &mut tx,
        catalogue::ACCOUNT_DELETED,
        &id,
        &AccountDeleted {
            account_id: id.clone(),
        },
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(DeleteMyAccountResponse {})
}

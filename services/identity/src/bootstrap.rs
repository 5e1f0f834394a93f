//! First start: the region's consultative instances and the first administrator.

use secrecy::ExposeSecret;
use tachawor_errors::Error;
use tachawor_proto::catalogue;
use tachawor_proto::{events::AccountRegistered, identity::Role};
use tachawor_region::Region;

use crate::{
    context::Context,
    domain::{self, account},
    store::{
        accounts::{self, AccountRow},
        instances::{self, InstanceRow},
    },
    validate,
};

/// Creates each of the region's reference instances that does not exist yet (by kind).
/// Instances older than vote rules get the region's default first.
pub async fn reference_instances(ctx: &Context, region: &Region) -> Result<usize, Error> {
    let mut tx = ctx.begin().await?;
    instances::set_missing_vote_rules(&mut tx, region.instance_vote).await?;
    ctx.commit(tx).await?;
    let mut created = 0;
    for template in &region.instances {
        let mut tx = ctx.begin().await?;
        if instances::find_by_kind(&mut tx, &template.kind)
            .await?
            .is_some()
        {
            continue;
        }
        let id = uuid::Uuid::now_v7().to_string();
        let mut row = InstanceRow {
            instance_id: id.clone(),
            name_ar: template.name.ar.clone(),
            name_fr: template.name.fr.clone(),
            name_en: template.name.en.clone(),
            kind: template.kind.clone(),
            mandate_start: None,
            mandate_end: None,
            created_at: ctx.now(),
            level: "regional".into(),
            province_code: String::new(),
            remit_ar: String::new(),
            remit_fr: String::new(),
            remit_en: String::new(),
            quorum_percent: None,
            majority: None,
        };
        row.set_vote_rule(region.instance_vote);
        instances::insert(&mut tx, &row).await?;
        ctx.emit(
            &mut tx,
            catalogue::INSTANCE_CREATED,
            &id,
            &crate::api::instance_created(&row),
        )
        .await?;
        ctx.commit(tx).await?;
        created += 1;
    }
    Ok(created)
}

/// Creates an administrator account unless one with this email exists. Returns its id.
pub async fn administrator(
    ctx: &Context,
    email: &str,
    password: &secrecy::SecretString,
) -> Result<String, Error> {
    let email = validate::normalise_email(email);
    if !validate::is_email(&email) {
        return Err(Error::field(
            "bootstrap.admin_email",
            "is not an email address",
        ));
    }
    let password = password.expose_secret();
    if !validate::is_password(password, ctx.settings.passwords.min_length) {
        return Err(Error::field(
            "bootstrap.admin_password",
            format!(
                "must have at least {} characters",
                ctx.settings.passwords.min_length
            ),
        ));
    }
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    if let Some(existing) = accounts::find_by_identifier(&mut conn, &email).await? {
        return Ok(existing.account_id);
    }
    drop(conn);
    let hash = ctx.passwords.hash(password.to_string()).await?;
    let now = ctx.now();
    let row = AccountRow {
        account_id: uuid::Uuid::now_v7().to_string(),
        email: Some(email),
        phone: None,
        password_hash: Some(hash),
        display_name: Some("Administrator".into()),
        locale: "ar".into(),
        status: account::Status::Active.as_sql().into(),
        verified: 0,
        verification_method: None,
        verified_at: None,
        residence_province_code: None,
        gender: None,
        age_band: None,
        province_code: None,
        created_at: now,
        person_key: None,
        legal_name: None,
        email_verified: 0,
        phone_verified: 0,
    };
    let mut tx = ctx.begin().await?;
    let roles = [Role::Citizen, Role::Administrator];
    accounts::insert(&mut tx, &row, &roles).await?;
    tachawor_runtime::audit::record(
        &mut tx,
        tachawor_runtime::audit::Change {
            actor_id: "system",
            action: "account.bootstrap_administrator",
            target_type: "account",
            target_id: &row.account_id,
            before: serde_json::Value::Null,
            after: serde_json::json!({ "roles": ["citizen", "administrator"] }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::ACCOUNT_REGISTERED,
        &row.account_id,
        &AccountRegistered {
            account_id: row.account_id.clone(),
            actor_kind: domain::actor_kind(&roles) as i32,
        },
    )
    .await?;
    ctx.commit(tx).await?;
    tracing::info!(account_id = %row.account_id, "first administrator created");
    Ok(row.account_id)
}

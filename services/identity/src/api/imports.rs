//! Imports of the council's records from before the platform: associations and instance
//! memberships, a batch of rows a call.
//!
//! Every row is checked, against the file (duplicates) and the database, inside one
//! transaction that writes as it goes so later rows see earlier ones (a membership overlapping
//! another of the same file); the transaction is committed only when no row is bad and the
//! call is not a dry run. A row whose natural key is already recorded is counted unchanged, so
//! running a file twice changes nothing.

use std::collections::HashMap;

use serde_json::json;
use tachawor_errors::Error;
use tachawor_proto::catalogue;
use tachawor_proto::imports::{Problems, code};
use tachawor_proto::{
    events::AssociationVerified,
    identity::{
        AssociationImportRow, ImportAssociationsRequest, ImportAssociationsResponse,
        ImportInstanceMembersRequest, ImportInstanceMembersResponse, InstanceMemberImportRow,
    },
};
use tachawor_runtime::imports::{self, parse_batch, past_date, required, text_fits};

use super::associations::{FIELDS_MAX, NAME_MAX, REGISTRATION_NUMBER_MAX};
use super::staff::STAFF;
use crate::{
    context::{Call, Context},
    domain::association::Status,
    store::{
        accounts::{self, AccountRecord},
        associations::{self, AssociationRow},
        instances::{self, MembershipRow},
    },
    validate,
};

/// An association row as it would be stored, or `None` with its problems added.
fn parse_association(
    ctx: &Context,
    today: &str,
    line: u32,
    row: &AssociationImportRow,
    problems: &mut Problems,
) -> Option<AssociationRow> {
    let before = problems.on_line(line);
    let number = row.registration_number.trim();
    required(
        problems,
        line,
        "registration_number",
        number,
        REGISTRATION_NUMBER_MAX,
    );
    required(problems, line, "name_ar", &row.name_ar, NAME_MAX);
    required(problems, line, "name_fr", &row.name_fr, NAME_MAX);
    problems.check(
        text_fits(row.name_en.trim(), NAME_MAX),
        line,
        "name_en",
        code::INVALID,
        "is too long or spans lines",
    );
    let founded_on = past_date(problems, line, "founded_on", &row.founded_on, today);
    let province = row.province_code.trim();
    if province.is_empty() {
        problems.add(line, "province_code", code::REQUIRED, "is required");
    } else {
        problems.check(
            ctx.region.has_province(province),
            line,
            "province_code",
            code::UNKNOWN,
            "is not a province of this region",
        );
    }
    let mut fields: Vec<String> = Vec::new();
    for f in &row.fields_of_activity {
        let f = f.trim().to_string();
        if !f.is_empty() && !fields.contains(&f) {
            fields.push(f);
        }
    }
    if fields.is_empty() {
        problems.add(line, "fields_of_activity", code::REQUIRED, "is required");
    } else {
        problems.check(
            fields.len() <= FIELDS_MAX && fields.iter().all(|f| validate::is_slug(f)),
            line,
            "fields_of_activity",
            code::INVALID,
            "at most 20, each a short lowercase word",
        );
    }
    if problems.on_line(line) > before {
        return None;
    }
    Some(AssociationRow {
        association_id: uuid::Uuid::now_v7().to_string(),
        name_ar: row.name_ar.trim().to_string(),
        name_fr: row.name_fr.trim().to_string(),
        name_en: row.name_en.trim().to_string(),
        registration_number: number.to_string(),
        founded_on: founded_on?,
        province_code: province.to_string(),
        fields_of_activity: associations::fields_json(&fields),
        // From the council's own register: checked when it was registered there.
        status: Status::Verified.as_sql().into(),
        created_at: ctx.now(),
        recorded_after_the_fact: 1,
    })
}

pub async fn import_associations(
    ctx: &Context,
    call: &Call,
    req: ImportAssociationsRequest,
) -> Result<ImportAssociationsResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let today = ctx.today();
    let (parsed, problems) = parse_batch(
        &req.rows,
        |row| row.line,
        "registration_number",
        |line, row, problems| {
            let key = row.registration_number.trim();
            let key = (!key.is_empty()).then(|| key.to_string());
            (key, parse_association(ctx, &today, line, row, problems))
        },
    )?;

    let (mut created, mut unchanged) = (0u32, 0u32);
    let mut tx = ctx.begin().await?;
    for row in &parsed {
        if associations::find_by_registration_number(&mut tx, &row.registration_number)
            .await?
            .is_some()
        {
            unchanged += 1;
            continue;
        }
        created += 1;
        if !problems.is_empty() || req.dry_run {
            continue;
        }
        associations::insert(&mut tx, row).await?;
        record_association(ctx, &mut tx, &staff.account_id, row).await?;
    }
    let write = problems.is_empty() && !req.dry_run;
    if write {
        ctx.commit(tx).await?;
    }
    Ok(ImportAssociationsResponse {
        summary: Some(problems.summary(created, unchanged, write)),
    })
}

/// Audits an imported association and tells the other services, as registering and
/// verifying it would.
async fn record_association(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    actor_id: &str,
    row: &AssociationRow,
) -> Result<(), Error> {
    let after = json!({
        "registration_number": row.registration_number,
        "founded_on": row.founded_on,
        "province_code": row.province_code,
        "fields_of_activity": row.fields(),
        "status": row.status,
    });
    let target = (
        "association.import",
        "association",
        row.association_id.as_str(),
    );
    imports::audit(tx, actor_id, target, after, row.created_at).await?;
    super::associations::emit_created(ctx, tx, row).await?;
    let verified = AssociationVerified {
        association_id: row.association_id.clone(),
    };
    ctx.emit(
        tx,
        catalogue::ASSOCIATION_VERIFIED,
        &row.association_id,
        &verified,
    )
    .await?;
    Ok(())
}

/// A membership row's columns once parsed, before the database is asked about them.
struct MemberLine {
    line: u32,
    instance_id: String,
    account_id: String,
    role: &'static str,
    association: Option<String>,
    started_on: String,
    ended_on: Option<String>,
}

fn parse_member(
    today: &str,
    line: u32,
    row: &InstanceMemberImportRow,
    problems: &mut Problems,
) -> Option<MemberLine> {
    let before = problems.on_line(line);
    for (field, value) in [
        ("instance_id", row.instance_id.trim()),
        ("account_id", row.account_id.trim()),
    ] {
        if value.is_empty() {
            problems.add(line, field, code::REQUIRED, "is required");
        } else {
            problems.check(
                validate::is_uuid(value),
                line,
                field,
                code::INVALID,
                "is not an id (UUID)",
            );
        }
    }
    let role = match row.role.trim() {
        "" => {
            problems.add(line, "role", code::REQUIRED, "is required");
            None
        }
        "president" => Some("president"),
        "vice_president" => Some("vice_president"),
        "rapporteur" => Some("rapporteur"),
        "member" => Some("member"),
        _ => {
            problems.add(
                line,
                "role",
                code::INVALID,
                "must be president, vice_president, rapporteur or member",
            );
            None
        }
    };
    let association = row.association_registration_number.trim();
    problems.check(
        text_fits(association, REGISTRATION_NUMBER_MAX),
        line,
        "association_registration_number",
        code::INVALID,
        "is too long or spans lines",
    );
    let started_on = past_date(problems, line, "started_on", &row.started_on, today);
    let ended_on = match row.ended_on.trim() {
        "" => None,
        text => past_date(problems, line, "ended_on", text, today),
    };
    if let (Some(start), Some(end)) = (&started_on, &ended_on) {
        problems.check(
            start < end,
            line,
            "ended_on",
            code::BEFORE_START,
            "must be after started_on",
        );
    }
    if problems.on_line(line) > before {
        return None;
    }
    Some(MemberLine {
        line,
        instance_id: row.instance_id.trim().to_string(),
        account_id: row.account_id.trim().to_string(),
        role: role?,
        association: (!association.is_empty()).then(|| association.to_string()),
        started_on: started_on?,
        ended_on,
    })
}

/// What the database says of the instances, accounts and associations a batch names, each
/// looked up once.
#[derive(Default)]
struct Known {
    /// Instance id → exists (its lock taken).
    instances: HashMap<String, bool>,
    /// Account id → the active account as before the import.
    accounts: HashMap<String, Option<AccountRecord>>,
    /// Registration number → (association id, verified).
    associations: HashMap<String, Option<(String, bool)>>,
}

impl Known {
    async fn instance(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        instance_id: &str,
    ) -> Result<bool, Error> {
        if let Some(found) = self.instances.get(instance_id) {
            return Ok(*found);
        }
        // Under the instance's lock, as add_instance_member, so its rules hold.
        let found = instances::lock(conn, instance_id).await?;
        self.instances.insert(instance_id.to_string(), found);
        Ok(found)
    }

    async fn account(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        account_id: &str,
        today: &str,
    ) -> Result<bool, Error> {
        if !self.accounts.contains_key(account_id) {
            let found = accounts::load(conn, account_id, today)
                .await?
                .filter(AccountRecord::is_active);
            self.accounts.insert(account_id.to_string(), found);
        }
        Ok(matches!(self.accounts.get(account_id), Some(Some(_))))
    }

    async fn association(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        registration_number: &str,
    ) -> Result<Option<(String, bool)>, Error> {
        if !self.associations.contains_key(registration_number) {
            let found = associations::find_by_registration_number(conn, registration_number)
                .await?
                .map(|a| {
                    let verified = Status::from_sql(&a.status) == Some(Status::Verified);
                    (a.association_id, verified)
                });
            self.associations
                .insert(registration_number.to_string(), found);
        }
        Ok(self
            .associations
            .get(registration_number)
            .cloned()
            .flatten())
    }
}

/// Checks a parsed membership against the database; the row to insert, `Ok(None)` when it is
/// already recorded (unchanged) or has problems (added).
async fn check_member(
    conn: &mut sqlx::AnyConnection,
    known: &mut Known,
    today: &str,
    m: &MemberLine,
    problems: &mut Problems,
) -> Result<Option<MembershipRow>, Error> {
    let before = problems.on_line(m.line);
    if !known.instance(conn, &m.instance_id).await? {
        problems.add(m.line, "instance_id", code::UNKNOWN, "no such instance");
    }
    if !known.account(conn, &m.account_id, today).await? {
        problems.add(
            m.line,
            "account_id",
            code::UNKNOWN,
            "no such active account",
        );
    }
    let mut association_id = None;
    if let Some(number) = &m.association {
        match known.association(conn, number).await? {
            None => problems.add(
                m.line,
                "association_registration_number",
                code::UNKNOWN,
                "no association has this registration number",
            ),
            Some((_, false)) => problems.add(
                m.line,
                "association_registration_number",
                code::NOT_VERIFIED,
                "a member represents only a verified association",
            ),
            Some((id, true)) => association_id = Some(id),
        }
    }
    if problems.on_line(m.line) > before {
        return Ok(None);
    }
    if instances::find_membership_by_key(conn, &m.instance_id, &m.account_id, &m.started_on)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let until = m.ended_on.as_deref();
    if instances::overlaps(
        conn,
        &m.instance_id,
        &m.account_id,
        "",
        &m.started_on,
        until,
    )
    .await?
    {
        problems.add(
            m.line,
            "started_on",
            code::OVERLAP,
            "overlaps another membership of this account in this instance",
        );
    }
    if m.role == "president"
        && instances::overlaps(conn, &m.instance_id, "", "president", &m.started_on, until).await?
    {
        problems.add(
            m.line,
            "role",
            code::PRESIDENT_TAKEN,
            "the instance has another president at that time",
        );
    }
    if problems.on_line(m.line) > before {
        return Ok(None);
    }
    Ok(Some(MembershipRow {
        membership_id: uuid::Uuid::now_v7().to_string(),
        instance_id: m.instance_id.clone(),
        account_id: m.account_id.clone(),
        role: m.role.to_string(),
        association_id,
        started_on: m.started_on.clone(),
        ended_on: m.ended_on.clone(),
        recorded_after_the_fact: 1,
    }))
}

pub async fn import_instance_members(
    ctx: &Context,
    call: &Call,
    req: ImportInstanceMembersRequest,
) -> Result<ImportInstanceMembersResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let today = ctx.today();
    let (parsed, mut problems) = parse_batch(
        &req.rows,
        |row| row.line,
        "started_on",
        |line, row, problems| {
            let m = parse_member(&today, line, row, problems);
            let key = m
                .as_ref()
                .map(|m| format!("{} {} {}", m.instance_id, m.account_id, m.started_on));
            (key, m)
        },
    )?;

    let (mut created, mut unchanged) = (0u32, 0u32);
    let mut known = Known::default();
    let mut tx = ctx.begin().await?;
    for m in &parsed {
        let before = problems.on_line(m.line);
        let Some(row) = check_member(&mut tx, &mut known, &today, m, &mut problems).await? else {
            if problems.on_line(m.line) == before {
                unchanged += 1;
            }
            continue;
        };
        created += 1;
        // Inserted even on a dry run (rolled back below) so the file's later rows are checked
        // against it.
        instances::insert_membership(&mut tx, &row).await?;
        record_member(ctx, &mut tx, &staff.account_id, &row).await?;
    }
    let write = problems.is_empty() && !req.dry_run;
    if write {
        for before in known.accounts.values().flatten() {
            super::staff::emit_if_roles_changed(ctx, &mut tx, before).await?;
        }
        ctx.commit(tx).await?;
    }
    Ok(ImportInstanceMembersResponse {
        summary: Some(problems.summary(created, unchanged, write)),
    })
}

/// Audits an imported membership and tells the other services, as adding (and ending) it
/// would.
async fn record_member(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    actor_id: &str,
    row: &MembershipRow,
) -> Result<(), Error> {
    let after = json!({
        "membership_id": row.membership_id,
        "account_id": row.account_id,
        "role": row.role,
        "association_id": row.association_id,
        "started_on": row.started_on,
        "ended_on": row.ended_on,
    });
    let target = (
        "instance.import_member",
        "instance",
        row.instance_id.as_str(),
    );
    imports::audit(tx, actor_id, target, after, ctx.now()).await?;
    super::instances::emit_member_added(ctx, tx, row).await?;
    if row.ended_on.is_some() {
        super::instances::emit_membership_ended(ctx, tx, row).await?;
    }
    Ok(())
}

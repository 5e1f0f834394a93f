//! The caller's preferences: whether each kind of message goes through each channel.

use tachawor_errors::{Error, Violations};
use tachawor_proto::notification::{
    GetMyPreferencesRequest, GetMyPreferencesResponse, Preference, SetMyPreferencesRequest,
    SetMyPreferencesResponse,
};

use crate::{
    context::{Call, Context},
    kinds::{Channel, Kind},
    store::preferences,
};

pub async fn get_my_preferences(
    ctx: &Context,
    call: &Call,
    _req: GetMyPreferencesRequest,
) -> Result<GetMyPreferencesResponse, Error> {
    let caller = call.account()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let set = preferences::of(&mut conn, &caller.account_id).await?;
    Ok(GetMyPreferencesResponse {
        preferences: every_preference(&set),
    })
}

pub async fn set_my_preferences(
    ctx: &Context,
    call: &Call,
    req: SetMyPreferencesRequest,
) -> Result<SetMyPreferencesResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    v.check(!req.preferences.is_empty(), "preferences", "at least one");
    let mut chosen: Vec<(Channel, Kind, bool)> = Vec::new();
    for (i, p) in req.preferences.iter().enumerate() {
        let channel = Channel::from_proto(p.channel);
        let kind = Kind::from_proto(p.kind);
        if channel.is_none() {
            v.add(
                &format!("preferences[{i}].channel"),
                "is not a known channel",
            );
        }
        match kind {
            None => {
                v.add(&format!("preferences[{i}].kind"), "is not a known kind");
            }
            Some(k) if !k.is_chosen() => {
                v.add(
                    &format!("preferences[{i}].kind"),
                    "is a security notice, always sent",
                );
            }
            Some(_) => {}
        }
        if let (Some(c), Some(k)) = (channel, kind) {
            if chosen.iter().any(|(c2, k2, _)| (*c2, *k2) == (c, k)) {
                v.add(&format!("preferences[{i}]"), "repeats a channel and kind");
            }
            chosen.push((c, k, p.enabled));
        }
    }
    v.finish()?;
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    for (channel, kind, enabled) in &chosen {
        preferences::set(&mut tx, &caller.account_id, *channel, *kind, *enabled, now).await?;
    }
    let set = preferences::of(&mut tx, &caller.account_id).await?;
    ctx.commit(tx).await?;
    Ok(SetMyPreferencesResponse {
        preferences: every_preference(&set),
    })
}

/// Every channel and kind, with the value set where there is one, else the default.
fn every_preference(set: &[(Channel, Kind, bool)]) -> Vec<Preference> {
    Channel::ALL
        .iter()
        .flat_map(|&channel| {
            Kind::ALL
                .iter()
                .filter(|k| k.is_chosen())
                .map(move |&kind| {
                    let enabled = set
                        .iter()
                        .find(|(c, k, _)| (*c, *k) == (channel, kind))
                        .map_or(kind.enabled_by_default(channel), |(_, _, e)| *e);
                    Preference {
                        channel: channel.to_proto() as i32,
                        kind: kind.to_proto() as i32,
                        enabled,
                    }
                })
        })
        .collect()
}

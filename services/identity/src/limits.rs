//! Rate limits on logins, registrations, contact verifications and password resets, shared by every replica through the database.
//!
//! An attempt is counted (reserved) before its password is checked, in one atomic statement,
//! so calls sent at once cannot all slip under a limit. Two kinds of limit:
//!
//! - per identifier (logins): the first `max_failures_per_identifier` attempts go at once; each
//!   further one must wait a delay that doubles with every attempt (`delay_base_ms` up to
//!   `delay_max_secs`), so guessing slows down exponentially while the owner is never locked
//!   out for long. A successful login ends the run.
//! - per client address and overall (failed logins, registrations): a count per window.
//! - per account (verification requests) and per identifier and client address (password
//!   resets): a count per window.
//!
//! Keys are hashes, so the table holds no email, phone or address. An IPv6 client is keyed on
//! its /64, the block one subscriber usually has to themselves.

use std::net::IpAddr;

use sqlx::AnyPool;

use crate::{
    protect::sha256_hex,
    settings::{ContactSettings, LoginLimits, RegisterLimits},
    store::limits::{self as store, Run},
};

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Refused; the next attempt is allowed after this many milliseconds.
    Wait(i64),
}

/// The part of an address a limit keys on: an IPv4 address, or the /64 of an IPv6 one.
pub fn client_block(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

fn client_key(kind: &str, ip: IpAddr) -> String {
    format!("{kind}:peer:{}", sha256_hex(&client_block(ip)))
}

/// The keys one login attempt counts against.
#[derive(Debug, Clone)]
pub struct LoginKeys {
    identifier: String,
    peer: Option<String>,
}

pub fn login_keys(identifier: &str, peer: Option<IpAddr>) -> LoginKeys {
    LoginKeys {
        identifier: format!("login:id:{}", sha256_hex(identifier)),
        peer: peer.map(|ip| client_key("login", ip)),
    }
}

/// The delay before the attempt after the `n`th of a run (1-based).
fn delay_after(limits: &LoginLimits, n: i64) -> i64 {
    let free = limits.max_failures_per_identifier.max(1);
    if n < free {
        return 0;
    }
    let cap = limits.delay_max_secs * 1000;
    let doublings = (n - free).min(40) as u32;
    limits
        .delay_base_ms
        .saturating_mul(1i64 << doublings)
        .min(cap)
}

/// Reserves a login attempt: first against the client's count, then the identifier's delay.
/// A refusal counts nothing.
pub async fn reserve_login(
    pool: &AnyPool,
    limits: &LoginLimits,
    keys: &LoginKeys,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let window = limits.window_secs * 1000;
    if let Some(peer) = &keys.peer {
        let verdict =
            reserve_counted(pool, peer, limits.max_failures_per_peer, window, now).await?;
        if verdict != Verdict::Go {
            refund(pool, peer).await?;
            return Ok(verdict);
        }
    }
    let verdict = reserve_progressive(pool, limits, &keys.identifier, now).await?;
    if verdict != Verdict::Go
        && let Some(peer) = &keys.peer
    {
        refund(pool, peer).await?;
    }
    Ok(verdict)
}

/// The password was right: the identifier's run ends, and the client's attempt is given back
/// (its count is of failures).
pub async fn login_succeeded(pool: &AnyPool, keys: &LoginKeys) -> Result<(), sqlx::Error> {
    store::delete(pool, &keys.identifier).await?;
    if let Some(peer) = &keys.peer {
        refund(pool, peer).await?;
    }
    Ok(())
}

/// Reserves a registration against the client's count and the overall one. A refusal by the
/// client's count counts nothing.
pub async fn reserve_register(
    pool: &AnyPool,
    limits: &RegisterLimits,
    peer: Option<IpAddr>,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let window = limits.window_secs * 1000;
    let peer = peer.map(|ip| client_key("register", ip));
    if let Some(peer) = &peer {
        let verdict = reserve_counted(pool, peer, limits.max_per_peer, window, now).await?;
        if verdict != Verdict::Go {
            refund(pool, peer).await?;
            return Ok(verdict);
        }
    }
    let verdict = reserve_counted(pool, "register:all", limits.max_total, window, now).await?;
    if verdict != Verdict::Go
        && let Some(peer) = &peer
    {
        refund(pool, peer).await?;
    }
    Ok(verdict)
}

/// Counts a request to verify one of an account's contacts.
pub async fn reserve_verification(
    pool: &AnyPool,
    limits: &ContactSettings,
    account_id: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let key = format!("verify:account:{}", sha256_hex(account_id));
    let window = limits.window_secs * 1000;
    reserve_counted(
        pool,
        &key,
        limits.max_verifications_per_account,
        window,
        now,
    )
    .await
}

/// Counts a password reset request from a client address (none: nothing to count).
pub async fn reserve_reset_from(
    pool: &AnyPool,
    limits: &ContactSettings,
    peer: Option<IpAddr>,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let Some(ip) = peer else {
        return Ok(Verdict::Go);
    };
    let window = limits.window_secs * 1000;
    let key = client_key("reset", ip);
    reserve_counted(pool, &key, limits.max_resets_per_peer, window, now).await
}

/// Counts a password reset message for an identifier (normalised email or phone).
pub async fn reserve_reset_for(
    pool: &AnyPool,
    limits: &ContactSettings,
    identifier: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let key = format!("reset:id:{}", sha256_hex(identifier));
    let window = limits.window_secs * 1000;
    reserve_counted(pool, &key, limits.max_resets_per_identifier, window, now).await
}

/// Counts one attempt in `key`'s current window, atomically; more than `max` in the window is
/// refused until it ends.
async fn reserve_counted(
    pool: &AnyPool,
    key: &str,
    max: i64,
    window: i64,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let (attempts, window_start) = store::count(pool, key, now, now - window).await?;
    if attempts > max {
        Ok(Verdict::Wait((window_start + window - now).max(1)))
    } else {
        Ok(Verdict::Go)
    }
}

/// Gives back one counted attempt.
async fn refund(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    store::refund(pool, key).await
}

/// Reserves the next attempt of an identifier's run, if its delay has passed: compare and
/// swap on the row, so of attempts sent at once exactly one takes each turn.
async fn reserve_progressive(
    pool: &AnyPool,
    limits: &LoginLimits,
    key: &str,
    now: i64,
) -> Result<Verdict, sqlx::Error> {
    let window = limits.window_secs * 1000;
    for _ in 0..16 {
        let swapped = match store::find_run(pool, key).await? {
            None => store::start_run(pool, key, now, now + delay_after(limits, 1)).await?,
            Some(seen) => {
                // A run is forgotten after a window without attempts.
                let run = if seen.window_start <= now - window {
                    0
                } else {
                    seen.attempts
                };
                if run > 0 && seen.next_at > now {
                    return Ok(Verdict::Wait(seen.next_at - now));
                }
                let next = Run {
                    attempts: run + 1,
                    window_start: now,
                    next_at: now + delay_after(limits, run + 1),
                };
                store::swap_run(pool, key, seen, next).await?
            }
        };
        if swapped {
            return Ok(Verdict::Go);
        }
    }
    // Others keep taking the turns: this attempt waits like one that came too early.
    Ok(Verdict::Wait(limits.delay_base_ms.max(1)))
}

/// Drops rows whose windows and delays are long over; run now and then.
pub async fn prune(
    pool: &AnyPool,
    login: &LoginLimits,
    register: &RegisterLimits,
    contacts: &ContactSettings,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let longest = login
        .window_secs
        .max(register.window_secs)
        .max(contacts.window_secs)
        * 1000;
    store::prune(pool, now - longest, now).await
}

/// `RESOURCE_EXHAUSTED` naming when to try again.
pub fn refusal(what: &str, wait_ms: i64) -> tachawor_errors::Error {
    let secs = (wait_ms + 999) / 1000;
    tachawor_errors::Error::ResourceExhausted(format!("{what}; try again in {secs} s"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> LoginLimits {
        LoginLimits {
            window_secs: 900,
            max_failures_per_identifier: 5,
            delay_base_ms: 1000,
            delay_max_secs: 300,
            max_failures_per_peer: 50,
        }
    }

    #[test]
    fn the_delay_starts_after_the_free_attempts_and_doubles_up_to_the_cap() {
        let l = limits();
        let delays: Vec<i64> = (1..=16).map(|n| delay_after(&l, n)).collect();
        assert_eq!(
            delays,
            [
                0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000,
                300000, 300000
            ]
        );
        assert_eq!(delay_after(&l, i64::MAX / 2), 300_000, "no overflow");
    }

    #[test]
    fn ipv6_clients_are_keyed_on_their_64_and_ipv4_whole() {
        let key = |s: &str| client_block(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(key("2001:db8:1:2::9"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("192.0.2.1"), "192.0.2.1");
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
        assert_eq!(
            key("::ffff:192.0.2.1"),
            key("192.0.2.1"),
            "IPv4 mapped into IPv6"
        );
    }

    #[test]
    fn refusals_name_the_wait_in_whole_seconds() {
        let e = refusal("too many attempts", 1500);
        assert!(e.to_string().ends_with("try again in 2 s"), "{e}");
    }
}

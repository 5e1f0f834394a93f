//! The consultation service's settings: `config/default.toml`, then a file, then the
//! environment.

use serde::Deserialize;
use tachawor_auth::VerifierSettings;
use tachawor_events::EventsSettings;
use tachawor_server::ServerSettings;
use tachawor_storage::DatabaseSettings;
use tachawor_telemetry::TelemetrySettings;

/// The built-in defaults.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    #[serde(default)]
    pub events: EventsSettings,
    #[serde(default)]
    pub telemetry: TelemetrySettings,
    pub region: tachawor_region::RegionSettings,
    /// Token verification; `identity_url` is also where GetEligibility is called.
    #[serde(default)]
    pub auth: VerifierSettings,
    pub identity: tachawor_auth::IdentityClientSettings,
    pub proposals: ProposalSettings,
    pub comments: CommentSettings,
    pub petitions: PetitionSettings,
    /// Where attachments' bytes are kept, and what is accepted.
    #[serde(default)]
    pub documents: tachawor_documents::DocumentSettings,
}

tachawor_config::settings_loading!(Settings, DEFAULTS);

#[derive(Debug, Clone, Deserialize)]
pub struct ProposalSettings {
    /// Supports past which a proposal must be studied.
    pub support_threshold: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommentSettings {
    /// Distinct reports that hide a comment pending review.
    pub reports_to_hide: i64,
}

/// The petition rules in force.
#[derive(Debug, Clone, Deserialize)]
pub struct PetitionSettings {
    pub small_region_population: u64,
    pub large_region_population: u64,
    pub signatures_small_region: i64,
    pub signatures_medium_region: i64,
    pub signatures_large_region: i64,
    /// 0: computed from the region's population.
    pub minimum_signatures: i64,
    pub province_share_percent: i32,
    pub signer_must_be_verified: bool,
    pub signer_must_reside_or_work_in_region: bool,
    pub declared_activity_accepted: bool,
    pub association_min_years: i32,
    pub association_must_be_in_good_standing: bool,
    pub association_activity_must_match: bool,
    pub answer_period_months: i32,
}

impl PetitionSettings {
    /// Signatures a citizen petition needs in a region of `population` people.
    pub fn minimum_signatures(&self, population: u64) -> i64 {
        if self.minimum_signatures > 0 {
            self.minimum_signatures
        } else if population < self.small_region_population {
            self.signatures_small_region
        } else if population <= self.large_region_population {
            self.signatures_medium_region
        } else {
            self.signatures_large_region
        }
    }

    /// Signatures each province must supply: the share of the minimum, rounded up.
    pub fn province_minimum(&self, population: u64) -> i64 {
        let share = i64::from(self.province_share_percent.max(0));
        (self.minimum_signatures(population) * share + 99) / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Settings {
        tachawor_config::load_from(DEFAULTS, None, Some(Default::default()))
            .expect("defaults are complete")
    }

    #[test]
    fn thresholds_follow_the_population() {
        let p = defaults().petitions;
        assert_eq!(p.minimum_signatures(451_028), 300);
        assert_eq!(p.province_minimum(451_028), 15);
        assert_eq!(p.minimum_signatures(999_999), 300);
        assert_eq!(p.minimum_signatures(1_000_000), 400);
        assert_eq!(p.minimum_signatures(3_000_000), 400);
        assert_eq!(p.minimum_signatures(3_000_001), 500);
        assert_eq!(p.province_minimum(3_000_001), 25);
        assert_eq!(p.answer_period_months, 2);
        assert_eq!(p.association_min_years, 3);
    }

    #[test]
    fn an_imposed_minimum_wins() {
        let mut p = defaults().petitions;
        p.minimum_signatures = 20;
        assert_eq!(p.minimum_signatures(451_028), 20);
        assert_eq!(p.province_minimum(451_028), 1);
    }

    #[test]
    fn defaults_hold_no_secret() {
        use tachawor_config::ExposeSecret;
        let s = defaults();
        assert!(s.identity.client_secret.expose_secret().is_empty());
        assert_eq!(s.server.listen_addr.port(), 50052);
    }
}

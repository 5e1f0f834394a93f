//! A region's reference data, loaded from a TOML file (see `config/regions/`).
//!
//! Nothing about a particular region is compiled in: provinces, population figures, the time
//! zone and the consultative instances to create on first start all come from the file a
//! deployment names.

use std::path::Path;

mod zone;

pub use zone::{Skipped, Zone};

use serde::Deserialize;
use tachawor_proto::common::{
    LocalizedText, Province as ProvinceMessage, VoteMajority, VoteRule as VoteRuleMessage,
};

/// Text in the platform's languages.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Names {
    pub ar: String,
    pub fr: String,
    #[serde(default)]
    pub en: String,
}

impl From<&Names> for LocalizedText {
    fn from(n: &Names) -> Self {
        LocalizedText {
            ar: n.ar.clone(),
            fr: n.fr.clone(),
            en: n.en.clone(),
            zgh: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Province {
    pub code: String,
    pub name: Names,
    pub population: u64,
    pub population_year: u16,
}

/// A consultative instance every council of this region has (Organic Law 111-14, Art. 117).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct InstanceTemplate {
    pub kind: String,
    pub name: Names,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: Names,
    pub capital: String,
    pub population: u64,
    pub population_year: u16,
    /// The IANA time zone of the region's venues (`time_zone = "Africa/Casablanca"`): what
    /// "today" is and when a session's day starts and ends.
    pub time_zone: Zone,
    pub provinces: Vec<Province>,
    #[serde(default)]
    pub instances: Vec<InstanceTemplate>,
    /// Defaults of who takes part (`[participation]`; all false when absent).
    #[serde(default)]
    pub participation: Participation,
    /// How an instance adopts an opinion unless staff set its own rule (`[instance_vote]`).
    #[serde(default)]
    pub instance_vote: VoteRule,
}

/// How a consultative instance adopts an opinion by its members' vote.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VoteRule {
    /// The share of current members who must vote (for, against or abstain), 1..=100.
    pub quorum_percent: u8,
    pub majority: Majority,
}

/// More than half the members present, deciding by a simple majority of the votes cast: how
/// regional councils deliberate (Organic Law 111-14), when the file says nothing.
impl Default for VoteRule {
    fn default() -> Self {
        Self {
            quorum_percent: 50,
            majority: Majority::Simple,
        }
    }
}

impl VoteRule {
    /// A rule from the contract; `None` when the quorum is out of 1..=100 or the majority
    /// unspecified.
    pub fn from_message(m: &VoteRuleMessage) -> Option<Self> {
        let quorum_percent = u8::try_from(m.quorum_percent)
            .ok()
            .filter(|q| (1..=100).contains(q))?;
        let majority = Majority::from_proto(m.majority)?;
        Some(Self {
            quorum_percent,
            majority,
        })
    }

    /// The rule as an event or a table has it (`quorum_percent`, `majority` spelled), falling
    /// back to `default` for what older events or rows leave out.
    pub fn from_parts(quorum_percent: i64, majority: &str, default: Self) -> Self {
        Self {
            quorum_percent: u8::try_from(quorum_percent)
                .ok()
                .filter(|q| (1..=100).contains(q))
                .unwrap_or(default.quorum_percent),
            majority: Majority::parse(majority).unwrap_or(default.majority),
        }
    }

    pub fn to_message(self) -> VoteRuleMessage {
        VoteRuleMessage {
            quorum_percent: i32::from(self.quorum_percent),
            majority: self.majority.to_proto() as i32,
        }
    }
}

/// Which share of the votes adopts an opinion.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Majority {
    /// More votes for than against; abstentions are not votes cast.
    Simple,
    /// At least two thirds of the votes cast (for and against) are for.
    TwoThirds,
    /// More than half of the instance's current members vote for.
    Absolute,
}

impl Majority {
    /// The spelling in files, tables and events.
    pub fn as_str(self) -> &'static str {
        match self {
            Majority::Simple => "simple",
            Majority::TwoThirds => "two_thirds",
            Majority::Absolute => "absolute",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "simple" => Some(Majority::Simple),
            "two_thirds" => Some(Majority::TwoThirds),
            "absolute" => Some(Majority::Absolute),
            _ => None,
        }
    }

    pub fn from_proto(value: i32) -> Option<Self> {
        match VoteMajority::try_from(value).ok()? {
            VoteMajority::Simple => Some(Majority::Simple),
            VoteMajority::TwoThirds => Some(Majority::TwoThirds),
            VoteMajority::Absolute => Some(Majority::Absolute),
            VoteMajority::Unspecified => None,
        }
    }

    pub fn to_proto(self) -> VoteMajority {
        match self {
            Majority::Simple => VoteMajority::Simple,
            Majority::TwoThirds => VoteMajority::TwoThirds,
            Majority::Absolute => VoteMajority::Absolute,
        }
    }
}

/// Who takes part, by default, in what the region's services open to the public.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// A new consultation admits only people whose identity staff have verified (staff may
    /// choose otherwise per consultation).
    #[serde(default)]
    pub verified_only: bool,
}

/// Where a service finds its region: `[region] file = "…"` in every service's settings.
#[derive(Debug, Clone, Deserialize)]
pub struct RegionSettings {
    /// Path of the region's reference data file.
    pub file: String,
}

impl RegionSettings {
    pub fn load(&self) -> Result<Region, RegionError> {
        Region::load(Path::new(&self.file))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    #[error("cannot read region file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid region file {path}: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("invalid region file {path}: {problem}")]
    Invalid { path: String, problem: String },
}

impl Region {
    pub fn load(path: &Path) -> Result<Self, RegionError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RegionError::Read {
            path: display.clone(),
            source,
        })?;
        Self::parse(&text).map_err(|e| match e {
            RegionError::Parse { source, .. } => RegionError::Parse {
                path: display,
                source,
            },
            RegionError::Invalid { problem, .. } => RegionError::Invalid {
                path: display,
                problem,
            },
            other => other,
        })
    }

    pub fn parse(text: &str) -> Result<Self, RegionError> {
        let region: Region = toml::from_str(text).map_err(|source| RegionError::Parse {
            path: String::new(),
            source: Box::new(source),
        })?;
        region.check()?;
        Ok(region)
    }

    fn check(&self) -> Result<(), RegionError> {
        let invalid = |problem: String| RegionError::Invalid {
            path: String::new(),
            problem,
        };
        if self.provinces.is_empty() {
            return Err(invalid("a region needs at least one province".into()));
        }
        let mut codes: Vec<&str> = self.provinces.iter().map(|p| p.code.as_str()).collect();
        codes.sort_unstable();
        if codes.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("province codes must be unique".into()));
        }
        if !(1..=100).contains(&self.instance_vote.quorum_percent) {
            return Err(invalid(
                "instance_vote.quorum_percent must be between 1 and 100".into(),
            ));
        }
        if !self.provinces.iter().any(|p| p.code == self.capital) {
            return Err(invalid(format!(
                "capital {} is not a province",
                self.capital
            )));
        }
        Ok(())
    }

    pub fn province(&self, code: &str) -> Option<&Province> {
        self.provinces.iter().find(|p| p.code == code)
    }

    pub fn has_province(&self, code: &str) -> bool {
        self.province(code).is_some()
    }

    /// The provinces as contract messages.
    pub fn province_messages(&self) -> Vec<ProvinceMessage> {
        self.provinces
            .iter()
            .map(|p| ProvinceMessage {
                code: p.code.clone(),
                name: Some((&p.name).into()),
                population: i64::try_from(p.population).unwrap_or(i64::MAX),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
            code = "x"
            capital = "a"
            population = 10
            population_year = 2024
            time_zone = "Africa/Casablanca"
            name = { ar = "x", fr = "x" }
            [[provinces]]
            code = "a"
            population = 5
            population_year = 2024
            name = { ar = "a", fr = "a" }
        "#;

    fn shipped() -> Region {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../config/regions/laayoune-sakia-el-hamra.toml");
        Region::load(&path).expect("the shipped region file loads")
    }

    #[test]
    fn the_shipped_region_has_its_four_provinces_and_three_instances() {
        let r = shipped();
        let codes: Vec<_> = r.provinces.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["laayoune", "boujdour", "tarfaya", "es-semara"]);
        assert_eq!(r.population, 451_028);
        let sum_2014: u64 = r.provinces.iter().map(|p| p.population).sum();
        assert_eq!(sum_2014, 367_758, "2014 census total");
        assert_eq!(r.instances.len(), 3);
        assert_eq!(r.capital, "laayoune");
        assert_eq!(r.time_zone.name(), "Africa/Casablanca");
    }

    #[test]
    fn participation_defaults_come_from_the_file_and_typos_are_refused() {
        assert!(
            !Region::parse(SMALL)
                .expect("loads")
                .participation
                .verified_only
        );
        let strict = format!("{SMALL}\n[participation]\nverified_only = true\n");
        assert!(
            Region::parse(&strict)
                .expect("loads")
                .participation
                .verified_only
        );
        let typo = format!("{SMALL}\n[participation]\nverified = true\n");
        let e = Region::parse(&typo)
            .expect_err("an unknown key is refused")
            .to_string();
        assert!(e.contains("verified"), "{e}");
        assert!(!shipped().participation.verified_only);
    }

    #[test]
    fn the_instance_vote_rule_defaults_and_is_checked() {
        assert_eq!(
            Region::parse(SMALL).expect("loads").instance_vote,
            VoteRule::default()
        );
        let set =
            format!("{SMALL}\n[instance_vote]\nquorum_percent = 60\nmajority = \"two_thirds\"\n");
        assert_eq!(
            Region::parse(&set).expect("loads").instance_vote,
            VoteRule {
                quorum_percent: 60,
                majority: Majority::TwoThirds
            }
        );
        for bad in [
            "quorum_percent = 0\nmajority = \"simple\"",
            "quorum_percent = 101\nmajority = \"simple\"",
            "quorum_percent = 50\nmajority = \"most\"",
            "quorum_percent = 50\nmajority = \"simple\"\nquorum = 1",
        ] {
            let text = format!("{SMALL}\n[instance_vote]\n{bad}\n");
            assert!(Region::parse(&text).is_err(), "{bad}");
        }
        assert_eq!(
            shipped().instance_vote,
            VoteRule {
                quorum_percent: 50,
                majority: Majority::Simple
            }
        );
    }

    #[test]
    fn vote_rules_convert_with_the_contract_and_fall_back_on_old_parts() {
        let rule = VoteRule {
            quorum_percent: 75,
            majority: Majority::Absolute,
        };
        assert_eq!(VoteRule::from_message(&rule.to_message()), Some(rule));
        for m in [Majority::Simple, Majority::TwoThirds, Majority::Absolute] {
            assert_eq!(Majority::parse(m.as_str()), Some(m));
            assert_eq!(Majority::from_proto(m.to_proto() as i32), Some(m));
        }
        let zero = VoteRuleMessage {
            quorum_percent: 0,
            majority: VoteMajority::Simple as i32,
        };
        assert_eq!(VoteRule::from_message(&zero), None);
        let unspecified = VoteRuleMessage {
            quorum_percent: 10,
            majority: 0,
        };
        assert_eq!(VoteRule::from_message(&unspecified), None);
        assert_eq!(VoteRule::from_parts(0, "", rule), rule);
        assert_eq!(
            VoteRule::from_parts(20, "simple", rule),
            VoteRule {
                quorum_percent: 20,
                majority: Majority::Simple
            }
        );
    }

    #[test]
    fn the_time_zone_is_required_and_must_be_known() {
        assert_eq!(
            Region::parse(SMALL).expect("loads").time_zone.name(),
            "Africa/Casablanca"
        );
        let unknown = SMALL.replace("Africa/Casablanca", "Africa/Atlantis");
        let e = Region::parse(&unknown).unwrap_err().to_string();
        assert!(
            e.contains("time_zone") && e.contains("Africa/Atlantis"),
            "{e}"
        );
        let missing = SMALL.replace("time_zone = \"Africa/Casablanca\"", "");
        let e = Region::parse(&missing).unwrap_err().to_string();
        assert!(e.contains("time_zone"), "{e}");
    }

    #[test]
    fn duplicate_provinces_and_unknown_capital_are_refused() {
        let dup = format!(
            "{SMALL}{}",
            r#"
            [[provinces]]
            code = "a"
            population = 5
            population_year = 2024
            name = { ar = "a", fr = "a" }
        "#
        );
        assert!(matches!(
            Region::parse(&dup),
            Err(RegionError::Invalid { .. })
        ));
        let no_capital = dup.replace("capital = \"a\"", "capital = \"z\"");
        assert!(matches!(
            Region::parse(&no_capital),
            Err(RegionError::Invalid { .. })
        ));
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let e = Region::load(Path::new("/nonexistent/region.toml")).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/region.toml"));
    }
}

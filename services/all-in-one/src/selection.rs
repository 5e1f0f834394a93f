//! Which services one all-in-one process hosts: all of them by default, or a subset for a
//! region that wants only some (`--services identity,training`).
//!
//! Identity is part of every subset, since every other service verifies its tokens and calls
//! it; the portal needs every service whose pages it shows.

use std::{collections::BTreeSet, fmt, str::FromStr};

/// A service the all-in-one can host, in the order it starts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Identity,
    Consultation,
    Training,
    Reporting,
    Notification,
    Portal,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Identity,
        Part::Consultation,
        Part::Training,
        Part::Reporting,
        Part::Notification,
        Part::Portal,
    ];

    /// Its name on the command line, in the platform's addresses and for its database file.
    pub fn name(self) -> &'static str {
        match self {
            Part::Identity => "identity",
            Part::Consultation => "consultation",
            Part::Training => "training",
            Part::Reporting => "reporting",
            Part::Notification => "notification",
            Part::Portal => "portal",
        }
    }

    /// What it cannot run without in the same process.
    fn needs(self) -> &'static [Part] {
        match self {
            Part::Identity => &[],
            Part::Consultation | Part::Training | Part::Reporting | Part::Notification => {
                &[Part::Identity]
            }
            Part::Portal => &[
                Part::Identity,
                Part::Consultation,
                Part::Training,
                Part::Reporting,
            ],
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The services hosted: never empty, and holding what each of them needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(BTreeSet<Part>);

impl Selection {
    pub fn all() -> Self {
        Self(Part::ALL.into_iter().collect())
    }

    /// The given services, or why they cannot run together.
    pub fn of(parts: impl IntoIterator<Item = Part>) -> Result<Self, String> {
        let parts: BTreeSet<Part> = parts.into_iter().collect();
        if parts.is_empty() {
            return Err("no service selected".into());
        }
        let missing: Vec<String> = parts
            .iter()
            .flat_map(|p| p.needs().iter().map(move |n| (p, n)))
            .filter(|(_, n)| !parts.contains(n))
            .map(|(p, n)| format!("{p} needs {n}"))
            .collect();
        if !missing.is_empty() {
            return Err(missing.join(", "));
        }
        Ok(Self(parts))
    }

    pub fn contains(&self, part: Part) -> bool {
        self.0.contains(&part)
    }

    /// The hosted services that keep a database.
    pub fn with_database(&self) -> impl Iterator<Item = Part> + '_ {
        self.0.iter().copied().filter(|p| *p != Part::Portal)
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::all()
    }
}

impl FromStr for Selection {
    type Err = String;

    /// A comma-separated list of service names (`identity,training`).
    fn from_str(list: &str) -> Result<Self, String> {
        let parts = list
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                Part::ALL
                    .into_iter()
                    .find(|p| p.name() == name)
                    .ok_or_else(|| {
                        let known: Vec<&str> = Part::ALL.iter().map(|p| p.name()).collect();
                        format!("unknown service {name:?} (known: {})", known.join(", "))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::of(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subset_holds_what_it_needs() {
        let s: Selection = "identity, training".parse().unwrap();
        assert!(s.contains(Part::Training) && s.contains(Part::Identity));
        assert!(!s.contains(Part::Consultation) && !s.contains(Part::Portal));
        assert_eq!(
            s.with_database().map(Part::name).collect::<Vec<_>>(),
            ["identity", "training"]
        );
        assert_eq!("identity".parse::<Selection>().unwrap().0.len(), 1);
    }

    #[test]
    fn a_subset_missing_a_dependency_is_refused_with_the_reason() {
        assert_eq!(
            "training".parse::<Selection>().unwrap_err(),
            "training needs identity"
        );
        let portal = "identity,training,portal".parse::<Selection>().unwrap_err();
        assert_eq!(portal, "portal needs consultation, portal needs reporting");
        assert!("".parse::<Selection>().unwrap_err().contains("no service"));
        assert!(
            "identity,forum"
                .parse::<Selection>()
                .unwrap_err()
                .contains("unknown service \"forum\"")
        );
    }

    #[test]
    fn all_is_every_service_and_the_default() {
        assert_eq!(Selection::default(), Selection::all());
        assert_eq!(
            "identity,consultation,training,reporting,notification,portal".parse::<Selection>(),
            Ok(Selection::all())
        );
    }
}

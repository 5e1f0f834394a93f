//! A petition's life (draft → collecting → deposited → admissible or rejected → closed), the
//! conditions on its signers and on an association petitioning, the withdrawal window, and its
//! progress towards deposit. The rules in force are the contract's `PetitionRules`, built from
//! settings and the region's population.

use tachawor_proto::{
    consultation::{PetitionProgress, PetitionRules, ProvinceCount},
    identity::{AssociationEligibility, AssociationStatus},
};

use super::{Rule, spelling, spelling::sql_enum};

sql_enum! {
    /// Where a petition stands.
    pub enum Status("petition status") {
        Draft => "draft",
        Collecting => "collecting",
        Deposited => "deposited",
        Admissible => "admissible",
        Rejected => "rejected",
        Closed => "closed",
    }
}

sql_enum! {
    /// Who petitions: citizens, or an association through its representative.
    pub enum Kind("petition kind") {
        Citizen => "citizen",
        Association => "association",
    }
}

impl Status {
    /// The agent opens a draft and deposits it; staff answer a deposited petition and close
    /// an answered one.
    pub fn can_become(self, next: Status) -> bool {
        matches!(
            (self, next),
            (Status::Draft, Status::Collecting)
                | (Status::Collecting, Status::Deposited)
                | (Status::Deposited, Status::Admissible | Status::Rejected)
                | (Status::Admissible | Status::Rejected, Status::Closed)
        )
    }

    pub fn transition(self, to: Status) -> Result<Status, Rule> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Rule::PetitionTransition { from: self, to })
        }
    }

    /// The move into this state, as a refusal names it ("cannot be deposited").
    pub fn becoming(self) -> &'static str {
        match self {
            Status::Draft => "become a draft",
            Status::Collecting => "start collecting",
            Status::Deposited => "be deposited",
            Status::Admissible | Status::Rejected => "be answered",
            Status::Closed => "be closed",
        }
    }

    /// Signatures are taken only while collecting.
    pub fn check_collecting(self) -> Result<(), Rule> {
        if self == Status::Collecting {
            Ok(())
        } else {
            Err(Rule::PetitionNotCollecting)
        }
    }

    /// A signature is withdrawn until the petition is deposited.
    pub fn check_withdrawal(self) -> Result<(), Rule> {
        if self == Status::Collecting {
            Ok(())
        } else {
            Err(Rule::PetitionWithdrawalClosed)
        }
    }

    /// A draft exists only for its agent and staff; past draft a petition is public.
    pub fn visible_to(self, own: bool, staff: bool) -> bool {
        self != Status::Draft || own || staff
    }

    /// The council's answer: admissible or rejected.
    pub fn answered(admissible: bool) -> Status {
        if admissible {
            Status::Admissible
        } else {
            Status::Rejected
        }
    }

    /// The contract's value for this status.
    pub fn to_proto(self) -> tachawor_proto::consultation::PetitionStatus {
        spelling::petition_status(self.as_sql())
    }
}

/// An answer after its due time is late; a petition without one is never late.
pub fn is_late(now: i64, answer_due_at: Option<i64>) -> bool {
    answer_due_at.is_some_and(|due| now > due)
}

/// The receipt given on deposit: the year and the year's sequence number.
pub fn receipt_number(year: &str, seq: i64) -> String {
    format!("PET-{year}-{seq:06}")
}

/// Where a signature counts: the signer's province of residence if in the region, else the
/// declared province of activity (when accepted), else nowhere (when the rules allow it).
/// Returns the province and whether it comes from the declared activity.
pub fn signing_province(
    rules: &PetitionRules,
    verified: bool,
    residence_in_region: Option<&str>,
    declared: &str,
) -> Result<(String, bool), Rule> {
    if rules.signer_must_be_verified && !verified {
        return Err(Rule::PetitionSignerVerified);
    }
    if let Some(residence) = residence_in_region {
        Ok((residence.to_string(), false))
    } else if rules.declared_activity_accepted && !declared.is_empty() {
        Ok((declared.to_string(), true))
    } else if rules.signer_must_reside_or_work_in_region {
        Err(Rule::PetitionSignerResidence)
    } else {
        Ok((String::new(), false))
    }
}

/// The association conditions: the agent represents it, it is in good standing, founded more
/// than the required years before `today`, seated in the region, and active in the petition's
/// field. `represented` is the agent's entry for the association, if any.
pub fn check_association(
    rules: &PetitionRules,
    represented: Option<&AssociationEligibility>,
    today: &str,
    in_region: impl Fn(&str) -> bool,
    subject_field: &str,
) -> Result<(), Rule> {
    let Some(a) = represented else {
        return Err(Rule::PetitionAssociationRepresentative);
    };
    if rules.association_must_be_in_good_standing && a.status != AssociationStatus::Verified as i32
    {
        return Err(Rule::PetitionAssociationGoodStanding);
    }
    let founded = a
        .founded_on
        .as_ref()
        .and_then(spelling::date_str)
        .unwrap_or_default();
    let limit = spelling::years_before(today, rules.association_min_years);
    if founded.is_empty() || founded >= limit {
        return Err(Rule::PetitionAssociationAge {
            min_years: rules.association_min_years,
        });
    }
    if !in_region(&a.province_code) {
        return Err(Rule::PetitionAssociationInRegion);
    }
    if rules.association_activity_must_match
        && !a.fields_of_activity.iter().any(|f| f == subject_field)
    {
        return Err(Rule::PetitionAssociationActivity);
    }
    Ok(())
}

/// Where a petition stands against the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub signatures: i64,
    pub provinces: Vec<ProvinceCount>,
    /// What blocks deposit, in the order it is reported.
    pub unmet: Vec<Rule>,
}

impl Progress {
    /// Deposit is refused by the first unmet rule.
    pub fn check_deposit(&self) -> Result<(), Rule> {
        match self.unmet.first() {
            Some(rule) => Err(rule.clone()),
            None => Ok(()),
        }
    }

    pub fn into_proto(self) -> PetitionProgress {
        PetitionProgress {
            signatures: self.signatures,
            provinces: self.provinces,
            can_deposit: self.unmet.is_empty(),
            unmet_rules: self
                .unmet
                .iter()
                .map(|r| tachawor_errors::DomainRule::id(r).to_string())
                .collect(),
        }
    }
}

/// A petition's progress given its signatures per province (`counts`, by province code) and
/// the region's provinces: a citizen petition needs the minimum in total and each province's
/// share; an association petition only needs to be collecting.
pub fn progress_of<'a>(
    kind: Kind,
    status: Status,
    rules: &PetitionRules,
    provinces: impl IntoIterator<Item = &'a str>,
    counts: &[(String, i64)],
) -> Progress {
    let count_of = |code: &str| {
        counts
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let citizen = kind == Kind::Citizen;
    let provinces: Vec<ProvinceCount> = provinces
        .into_iter()
        .map(|code| ProvinceCount {
            province_code: code.to_string(),
            signatures: count_of(code),
            minimum: if citizen { rules.province_minimum } else { 0 },
        })
        .collect();
    let mut unmet = Vec::new();
    if status != Status::Collecting {
        unmet.push(Rule::PetitionNotCollecting);
    }
    if citizen {
        if total < rules.minimum_signatures {
            unmet.push(Rule::PetitionMinimumSignatures {
                needed: rules.minimum_signatures,
                collected: total,
            });
        }
        if provinces.iter().any(|p| p.signatures < p.minimum) {
            unmet.push(Rule::PetitionProvinceShare {
                minimum: rules.province_minimum,
            });
        }
    }
    Progress {
        signatures: total,
        provinces,
        unmet,
    }
}

#[cfg(test)]
mod tests {
    use tachawor_errors::DomainRule;

    use super::*;
    use tachawor_proto::common::Date;

    fn rules() -> PetitionRules {
        PetitionRules {
            minimum_signatures: 10,
            province_minimum: 2,
            signer_must_be_verified: true,
            signer_must_reside_or_work_in_region: true,
            declared_activity_accepted: true,
            association_min_years: 3,
            association_must_be_in_good_standing: true,
            association_activity_must_match: true,
            ..PetitionRules::default()
        }
    }

    #[test]
    fn a_petition_follows_its_life() {
        assert!(Status::Draft.can_become(Status::Collecting));
        assert!(Status::Collecting.can_become(Status::Deposited));
        assert!(Status::Deposited.can_become(Status::Admissible));
        assert!(Status::Deposited.can_become(Status::Rejected));
        assert!(Status::Rejected.can_become(Status::Closed));
        assert_eq!(
            Status::Admissible.transition(Status::Closed),
            Ok(Status::Closed)
        );
        assert!(!Status::Draft.can_become(Status::Deposited));
        assert!(!Status::Deposited.can_become(Status::Closed));
        let refused = Status::Collecting.transition(Status::Admissible);
        assert_eq!(
            refused,
            Err(Rule::PetitionTransition {
                from: Status::Collecting,
                to: Status::Admissible
            })
        );
        assert_eq!(
            refused.unwrap_err().message(),
            "a petition that is collecting cannot be answered"
        );
        assert_eq!(
            Rule::PetitionTransition {
                from: Status::Collecting,
                to: Status::Collecting
            }
            .message(),
            "a petition that is collecting cannot start collecting"
        );
    }

    #[test]
    fn signatures_and_withdrawals_only_while_collecting() {
        assert_eq!(Status::Collecting.check_collecting(), Ok(()));
        assert_eq!(
            Status::Deposited.check_collecting(),
            Err(Rule::PetitionNotCollecting)
        );
        assert_eq!(Status::Collecting.check_withdrawal(), Ok(()));
        assert_eq!(
            Status::Deposited.check_withdrawal(),
            Err(Rule::PetitionWithdrawalClosed)
        );
    }

    #[test]
    fn drafts_are_seen_by_their_agent_and_staff() {
        assert!(Status::Draft.visible_to(true, false));
        assert!(Status::Draft.visible_to(false, true));
        assert!(!Status::Draft.visible_to(false, false));
        assert!(Status::Collecting.visible_to(false, false));
    }

    #[test]
    fn lateness_and_receipts() {
        assert!(is_late(11, Some(10)));
        assert!(!is_late(10, Some(10)));
        assert!(!is_late(10, None));
        assert_eq!(receipt_number("2026", 7), "PET-2026-000007");
        assert_eq!(Status::answered(true), Status::Admissible);
        assert_eq!(Status::answered(false), Status::Rejected);
    }

    #[test]
    fn a_signer_counts_where_they_live_or_work() {
        let r = rules();
        assert_eq!(
            signing_province(&r, true, Some("p1"), ""),
            Ok(("p1".into(), false))
        );
        assert_eq!(
            signing_province(&r, true, None, "p2"),
            Ok(("p2".into(), true))
        );
        assert_eq!(
            signing_province(&r, false, Some("p1"), ""),
            Err(Rule::PetitionSignerVerified)
        );
        assert_eq!(
            signing_province(&r, true, None, ""),
            Err(Rule::PetitionSignerResidence)
        );
        let lenient = PetitionRules {
            signer_must_reside_or_work_in_region: false,
            ..r
        };
        assert_eq!(
            signing_province(&lenient, true, None, ""),
            Ok((String::new(), false))
        );
    }

    fn association(status: AssociationStatus, year: i32) -> AssociationEligibility {
        AssociationEligibility {
            association_id: "a".into(),
            status: status as i32,
            founded_on: Some(Date {
                year,
                month: 1,
                day: 1,
            }),
            province_code: "p1".into(),
            fields_of_activity: vec!["water".into()],
        }
    }

    #[test]
    fn an_association_petitions_when_it_meets_every_condition() {
        let r = rules();
        let in_region = |p: &str| p == "p1";
        let good = association(AssociationStatus::Verified, 2020);
        let check = |a: Option<&AssociationEligibility>, field: &str| {
            check_association(&r, a, "2026-06-01", in_region, field)
        };
        assert_eq!(check(Some(&good), "water"), Ok(()));
        assert_eq!(
            check(None, "water"),
            Err(Rule::PetitionAssociationRepresentative)
        );
        let pending = association(AssociationStatus::Pending, 2020);
        assert_eq!(
            check(Some(&pending), "water"),
            Err(Rule::PetitionAssociationGoodStanding)
        );
        let young = association(AssociationStatus::Verified, 2024);
        assert_eq!(
            check(Some(&young), "water"),
            Err(Rule::PetitionAssociationAge { min_years: 3 })
        );
        let elsewhere = AssociationEligibility {
            province_code: "p9".into(),
            ..good.clone()
        };
        assert_eq!(
            check(Some(&elsewhere), "water"),
            Err(Rule::PetitionAssociationInRegion)
        );
        assert_eq!(
            check(Some(&good), "roads"),
            Err(Rule::PetitionAssociationActivity)
        );
    }

    #[test]
    fn a_citizen_petition_needs_the_minimum_and_each_province_share() {
        let r = rules();
        let provinces = ["p1", "p2"];
        let short = progress_of(
            Kind::Citizen,
            Status::Collecting,
            &r,
            provinces,
            &[("p1".into(), 9)],
        );
        assert_eq!(short.signatures, 9);
        assert_eq!(short.provinces[1].signatures, 0);
        assert_eq!(
            short.unmet,
            vec![
                Rule::PetitionMinimumSignatures {
                    needed: 10,
                    collected: 9
                },
                Rule::PetitionProvinceShare { minimum: 2 },
            ]
        );
        assert_eq!(
            short.check_deposit(),
            Err(Rule::PetitionMinimumSignatures {
                needed: 10,
                collected: 9
            })
        );
        let proto = short.into_proto();
        assert!(!proto.can_deposit);
        assert_eq!(
            proto.unmet_rules,
            vec!["petition.minimum_signatures", "petition.province_share"]
        );

        let met = progress_of(
            Kind::Citizen,
            Status::Collecting,
            &r,
            provinces,
            &[("p1".into(), 8), ("p2".into(), 2)],
        );
        assert_eq!(met.check_deposit(), Ok(()));
        assert!(met.into_proto().can_deposit);
    }

    #[test]
    fn an_association_petition_only_needs_to_be_collecting() {
        let r = rules();
        let open = progress_of(Kind::Association, Status::Collecting, &r, ["p1"], &[]);
        assert_eq!(open.unmet, vec![]);
        assert_eq!(open.provinces[0].minimum, 0);
        let draft = progress_of(Kind::Association, Status::Draft, &r, ["p1"], &[]);
        assert_eq!(draft.unmet, vec![Rule::PetitionNotCollecting]);
    }
}

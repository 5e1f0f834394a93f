//! The SQL spellings of the contract's enums: the database stores them as lowercase words
//! (`training_session`, `association_representatives`); these functions are the one place that
//! maps them to and from the protobuf enums. Statuses have their own types, in [`super::session`]
//! and [`super::registration`].

use tachawor_proto::training::{Audience, Eligibility, SessionKind};

pub fn audience_str(a: Audience) -> Option<&'static str> {
    Some(match a {
        Audience::InstanceMembers => "instance_members",
        Audience::Associations => "associations",
        Audience::Youth => "youth",
        Audience::Women => "women",
        Audience::Staff => "staff",
        Audience::Public => "public",
        Audience::Unspecified => return None,
    })
}

pub fn audience_from_str(s: &str) -> Audience {
    match s {
        "instance_members" => Audience::InstanceMembers,
        "associations" => Audience::Associations,
        "youth" => Audience::Youth,
        "women" => Audience::Women,
        "staff" => Audience::Staff,
        "public" => Audience::Public,
        _ => Audience::Unspecified,
    }
}

pub fn kind_str(k: SessionKind) -> Option<&'static str> {
    Some(match k {
        SessionKind::TrainingSession => "training_session",
        SessionKind::RegionalMeeting => "regional_meeting",
        SessionKind::Forum => "forum",
        SessionKind::Unspecified => return None,
    })
}

pub fn kind_from_str(s: &str) -> SessionKind {
    match s {
        "training_session" => SessionKind::TrainingSession,
        "regional_meeting" => SessionKind::RegionalMeeting,
        "forum" => SessionKind::Forum,
        _ => SessionKind::Unspecified,
    }
}

pub fn eligibility_str(e: Eligibility) -> Option<&'static str> {
    Some(match e {
        Eligibility::Open => "open",
        Eligibility::InstanceMembers => "instance_members",
        Eligibility::AssociationRepresentatives => "association_representatives",
        Eligibility::CivilSociety => "civil_society",
        Eligibility::Unspecified => return None,
    })
}

pub fn eligibility_from_str(s: &str) -> Eligibility {
    match s {
        "open" => Eligibility::Open,
        "instance_members" => Eligibility::InstanceMembers,
        "association_representatives" => Eligibility::AssociationRepresentatives,
        "civil_society" => Eligibility::CivilSociety,
        _ => Eligibility::Unspecified,
    }
}

//! SQL of the notification service: [`audience`], what it remembers of the events to know
//! whom to tell; [`inbox`], the messages; [`deliveries`], what goes out by email and SMS;
//! [`preferences`], what each person chose.

pub(crate) mod audience;
pub(crate) mod deliveries;
pub(crate) mod inbox;
pub(crate) mod preferences;

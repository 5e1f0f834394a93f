//! SQL of the notification service: [`audience`], what it remembers of the events to know
//! whom to tell; [`inbox`], the messages; [`deliveries`], what goes out by email and SMS;
//! [`preferences`], what each person chose; [`follows`], the consultations they follow;
//! [`broadcasts`], news for everyone who asked for its kind, told a batch at a time;
//! [`news`], what each audience was told, for the people learnt of late.

pub(crate) mod audience;
pub(crate) mod broadcasts;
pub(crate) mod deliveries;
pub(crate) mod follows;
pub(crate) mod inbox;
pub(crate) mod news;
pub(crate) mod preferences;

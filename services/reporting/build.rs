//! `sqlx::migrate!` embeds the migration files it finds; cargo watches those files but not
//! their directory, so without this a migration added to it would be missing from the next
//! build until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

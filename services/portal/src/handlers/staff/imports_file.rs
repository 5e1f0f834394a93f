//! What an import file holds: the uploaded form (multipart, its token checked like any post),
//! the CSV's columns for each kind of import, and its rows as the services' import RPCs take
//! them, in batches of at most [`MAX_ROWS`].

use axum::extract::{FromRequest, Request};
use tachawor_proto::identity::{AssociationImportRow, InstanceMemberImportRow};
use tachawor_proto::imports::MAX_ROWS;
use tachawor_proto::training::PastSessionImportRow;

use crate::{
    error::PageError,
    person::{MultipartPost, Visitor},
};

/// The largest file taken, and so the longest body of an import's posts (the file travels
/// again, as a form field, with the confirmation).
pub const FILE_MAX_BYTES: usize = 3 * 1024 * 1024;
/// The most rows one file may hold: a few dozen batches.
pub const FILE_MAX_ROWS: usize = 20_000;

/// The kinds of import, as their paths spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Associations,
    Members,
    Sessions,
}

/// A column of a kind's file: its header and whether the header (and a value) is required.
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn col(name: &'static str, required: bool) -> Column {
    Column { name, required }
}

const ASSOCIATION_COLUMNS: &[Column] = &[
    col("registration_number", true),
    col("name_ar", true),
    col("name_fr", true),
    col("name_en", false),
    col("founded_on", true),
    col("province_code", true),
    col("fields_of_activity", true),
];

const MEMBER_COLUMNS: &[Column] = &[
    col("instance_id", true),
    col("account_id", true),
    col("role", true),
    col("association_registration_number", false),
    col("started_on", true),
    col("ended_on", false),
];

const SESSION_COLUMNS: &[Column] = &[
    col("program_id", true),
    col("title_ar", true),
    col("title_fr", true),
    col("kind", true),
    col("province_code", true),
    col("address", true),
    col("days", true),
    col("start", true),
    col("end", true),
    col("attended_count", true),
    col("attendee_account_ids", false),
];

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Associations, Kind::Members, Kind::Sessions];

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Associations => "associations",
            Kind::Members => "members",
            Kind::Sessions => "sessions",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Associations => ASSOCIATION_COLUMNS,
            Kind::Members => MEMBER_COLUMNS,
            Kind::Sessions => SESSION_COLUMNS,
        }
    }
}

/// Why a file cannot be read at all (as opposed to bad rows, which the services list).
#[derive(Debug, PartialEq)]
pub enum FileProblem {
    Missing,
    NotText,
    Empty,
    TooLong,
    /// Required columns absent from the header.
    Columns(Vec<&'static str>),
}

impl FileProblem {
    /// The message id of the problem; its arguments.
    pub fn message(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            FileProblem::Missing => ("staff-imports-file-missing", vec![]),
            FileProblem::NotText => ("staff-imports-file-not-text", vec![]),
            FileProblem::Empty => ("staff-imports-file-empty", vec![]),
            FileProblem::TooLong => (
                "staff-imports-file-too-long",
                vec![("max", crate::i18n::number(FILE_MAX_ROWS as i64))],
            ),
            FileProblem::Columns(missing) => (
                "staff-imports-file-columns",
                vec![("columns", missing.join(", "))],
            ),
        }
    }
}

/// A file's rows, ready for its service.
#[derive(Debug, Clone)]
pub enum Rows {
    Associations(Vec<AssociationImportRow>),
    Members(Vec<InstanceMemberImportRow>),
    Sessions(Vec<PastSessionImportRow>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Associations(rows) => rows.len(),
            Rows::Members(rows) => rows.len(),
            Rows::Sessions(rows) => rows.len(),
        }
    }

    /// The rows in batches of at most [`MAX_ROWS`], as the RPCs take them.
    pub fn batches(&self) -> Vec<Rows> {
        match self {
            Rows::Associations(rows) => rows
                .chunks(MAX_ROWS)
                .map(|c| Rows::Associations(c.to_vec()))
                .collect(),
            Rows::Members(rows) => rows
                .chunks(MAX_ROWS)
                .map(|c| Rows::Members(c.to_vec()))
                .collect(),
            Rows::Sessions(rows) => rows
                .chunks(MAX_ROWS)
                .map(|c| Rows::Sessions(c.to_vec()))
                .collect(),
        }
    }
}

/// Reads a CSV file of `kind`: a header naming the columns (in any order; unknown ones are
/// ignored), then one row a record, each with its line in the file.
pub fn read(kind: Kind, text: &str) -> Result<Rows, FileProblem> {
    let mut records = tachawor_proto::csv::records(text).into_iter();
    let Some((_, header)) = records.next() else {
        return Err(FileProblem::Empty);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let position = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&'static str> = kind
        .columns()
        .iter()
        .filter(|c| c.required && position(c.name).is_none())
        .map(|c| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::Columns(missing));
    }
    let records: Vec<(u32, Vec<String>)> = records.collect();
    if records.is_empty() {
        return Err(FileProblem::Empty);
    }
    if records.len() > FILE_MAX_ROWS {
        return Err(FileProblem::TooLong);
    }
    let value = |fields: &[String], name: &str| {
        position(name)
            .and_then(|i| fields.get(i))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    // A column of several values, separated by `;`.
    let list = |fields: &[String], name: &str| -> Vec<String> {
        value(fields, name)
            .split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(match kind {
        Kind::Associations => Rows::Associations(
            records
                .iter()
                .map(|(line, f)| AssociationImportRow {
                    line: *line,
                    registration_number: value(f, "registration_number"),
                    name_ar: value(f, "name_ar"),
                    name_fr: value(f, "name_fr"),
                    name_en: value(f, "name_en"),
                    founded_on: value(f, "founded_on"),
                    province_code: value(f, "province_code"),
                    fields_of_activity: list(f, "fields_of_activity"),
                })
                .collect(),
        ),
        Kind::Members => Rows::Members(
            records
                .iter()
                .map(|(line, f)| InstanceMemberImportRow {
                    line: *line,
                    instance_id: value(f, "instance_id"),
                    account_id: value(f, "account_id"),
                    role: value(f, "role"),
                    association_registration_number: value(f, "association_registration_number"),
                    started_on: value(f, "started_on"),
                    ended_on: value(f, "ended_on"),
                })
                .collect(),
        ),
        Kind::Sessions => Rows::Sessions(
            records
                .iter()
                .map(|(line, f)| PastSessionImportRow {
                    line: *line,
                    program_id: value(f, "program_id"),
                    title_ar: value(f, "title_ar"),
                    title_fr: value(f, "title_fr"),
                    kind: value(f, "kind"),
                    province_code: value(f, "province_code"),
                    address: value(f, "address"),
                    days: list(f, "days"),
                    start: value(f, "start"),
                    end: value(f, "end"),
                    attended_count: value(f, "attended_count"),
                    attendee_account_ids: list(f, "attendee_account_ids"),
                })
                .collect(),
        ),
    })
}

/// An uploaded import file: a `multipart/form-data` post whose `csrf` field is the visitor's
/// form token, and its `file` as text (`Err` when it is missing or not UTF-8).
pub struct Upload {
    pub visitor: Visitor,
    pub file: Result<String, FileProblem>,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let post = MultipartPost::from_request(request, state).await?;
        let file = match post.part("file") {
            None => Err(FileProblem::Missing),
            Some(p) if p.content.is_empty() => Err(FileProblem::Missing),
            Some(p) => String::from_utf8(p.content.to_vec()).map_err(|_| FileProblem::NotText),
        };
        Ok(Self {
            visitor: post.visitor,
            file,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_needs_its_required_columns_and_rows() {
        assert_eq!(
            read(Kind::Members, "instance_id,role\n").unwrap_err(),
            FileProblem::Columns(vec!["account_id", "started_on"])
        );
        assert_eq!(
            read(Kind::Associations, "").unwrap_err(),
            FileProblem::Empty
        );
        let text = "Registration_Number,name_ar,name_fr,founded_on,province_code,fields_of_activity,extra\n\
                    R-1,جمعية,Asso,2001-02-03,laayoune,youth; culture,x\n";
        let Rows::Associations(rows) = read(Kind::Associations, text).unwrap() else {
            panic!("associations");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].registration_number, "R-1");
        assert_eq!(rows[0].fields_of_activity, ["youth", "culture"]);
        assert_eq!(rows[0].name_en, "");
    }

    #[test]
    fn rows_go_in_batches_of_a_thousand() {
        let rows = Rows::Members(vec![InstanceMemberImportRow::default(); 2500]);
        let sizes: Vec<usize> = rows.batches().iter().map(Rows::len).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
    }
}

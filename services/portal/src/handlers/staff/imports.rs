//! The imports desk: CSV files of the council's records from before the platform (associations,
//! members of consultative instances), checked whole by a dry run that lists every bad row, then
//! imported batch by batch with a progress line per batch.
//!
//! Nothing is kept between requests: the checked file travels back with the confirmation, so
//! any replica answers any step. The run checks the whole file again before writing, so a file
//! that has become wrong meanwhile writes nothing; each batch is idempotent on the services'
//! natural keys, so an interrupted run is finished by running the file again.

use askama::Template;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::common::{ImportProblem, ImportSummary};
use tachawor_proto::identity::{ImportAssociationsRequest, ImportInstanceMembersRequest};
use tachawor_proto::training::ImportPastSessionsRequest;

use super::{
    Staff, StaffNav, frame,
    imports_file::{FILE_MAX_BYTES, FileProblem, Kind, Rows, Upload, read},
};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, lang_of},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html},
    person::{Posted, Session},
    services::as_person,
};

/// Where the run page's progress lines go, as the template writes it.
const PROGRESS_MARK: &str = "<!--progress-->";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff/imports", get(desk))
        .route("/{lang}/staff/imports/{kind}/check", post(check))
        .route("/{lang}/staff/imports/{kind}/run", post(run))
        // The file, and on confirmation the file URL-encoded (up to three bytes a byte).
        .layer(DefaultBodyLimit::max(3 * FILE_MAX_BYTES + 64 * 1024))
}

pub struct ColumnView {
    pub name: &'static str,
    pub required: String,
    pub about: String,
}

/// A kind of import as the desk shows it.
pub struct KindView {
    pub code: &'static str,
    pub title: String,
    pub about: String,
    pub columns: Vec<ColumnView>,
}

impl KindView {
    fn of(kind: Kind, tr: Tr) -> Self {
        let code = kind.code();
        Self {
            code,
            title: tr.t(&format!("staff-imports-{code}-title")),
            about: tr.t(&format!("staff-imports-{code}-about")),
            columns: kind
                .columns()
                .iter()
                .map(|c| ColumnView {
                    name: c.name,
                    required: tr.t(if c.required {
                        "staff-imports-required"
                    } else {
                        "staff-imports-optional"
                    }),
                    // A kind may say more of a column than the others (a session's province).
                    about: tr.first_of(&[
                        &format!("staff-imports-column-{code}-{}", c.name),
                        &format!("staff-imports-column-{}", c.name),
                    ]),
                })
                .collect(),
        }
    }
}

/// A bad row as the page lists it, its reason in the page's language.
pub struct ProblemView {
    pub line: String,
    pub column: String,
    pub reason: String,
}

impl ProblemView {
    fn of(problem: &ImportProblem, tr: Tr) -> Self {
        Self {
            line: number(i64::from(problem.line)),
            column: problem.field.clone(),
            reason: tr.first_of(&[
                &format!("staff-imports-problem-{}", problem.code),
                "staff-imports-problem-invalid",
            ]),
        }
    }
}

#[derive(Template)]
#[template(path = "staff_imports.html")]
struct DeskPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    kinds: Vec<KindView>,
    errors: FormErrors,
}

fn desk_page(lang: Lang, csrf: String, errors: FormErrors) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let status = errors.status();
    let page = DeskPage {
        frame: frame(lang, "staff-imports-title", "staff/imports").with_errors(&errors),
        nav: StaffNav::new(lang, "imports"),
        csrf,
        kinds: Kind::ALL.iter().map(|k| KindView::of(*k, tr)).collect(),
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// The desk: one form per kind, each with its columns.
pub async fn desk(Path(lang): Path<String>, staff: Staff) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    desk_page(lang, staff.visitor.form_token(), FormErrors::new())
}

fn kind_of(code: &str, lang: Lang) -> Result<Kind, PageError> {
    Kind::parse(code).ok_or_else(|| PageError::not_found(lang))
}

/// Sends one batch to its service.
async fn send(
    state: &AppState,
    session: &Session,
    rows: Rows,
    dry_run: bool,
) -> Result<ImportSummary, tonic::Status> {
    let answer = match rows {
        Rows::Associations(rows) => {
            state
                .services
                .identity()
                .import_associations(as_person(
                    session,
                    ImportAssociationsRequest { rows, dry_run },
                ))
                .await?
                .into_inner()
                .summary
        }
        Rows::Members(rows) => {
            state
                .services
                .identity()
                .import_instance_members(as_person(
                    session,
                    ImportInstanceMembersRequest { rows, dry_run },
                ))
                .await?
                .into_inner()
                .summary
        }
        Rows::Sessions(rows) => {
            state
                .services
                .training()
                .import_past_sessions(as_person(
                    session,
                    ImportPastSessionsRequest { rows, dry_run },
                ))
                .await?
                .into_inner()
                .summary
        }
    };
    Ok(answer.unwrap_or_default())
}

/// What the dry run of every batch of a file says.
#[derive(Default)]
struct Tally {
    created: u32,
    unchanged: u32,
    problems: Vec<ImportProblem>,
}

async fn dry_run(
    state: &AppState,
    session: &Session,
    batches: &[Rows],
) -> Result<Tally, tonic::Status> {
    let mut tally = Tally::default();
    for batch in batches {
        let summary = send(state, session, batch.clone(), true).await?;
        tally.created += summary.created;
        tally.unchanged += summary.unchanged;
        tally.problems.extend(summary.problems);
    }
    Ok(tally)
}

/// "N rows: X to add, Y already recorded."
fn counts(tr: Tr, id: &str, rows: usize, tally: &Tally) -> String {
    tr.with(
        id,
        &[
            ("rows", number(rows as i64)),
            ("created", number(i64::from(tally.created))),
            ("unchanged", number(i64::from(tally.unchanged))),
        ],
    )
}

#[derive(Template)]
#[template(path = "staff_imports_check.html")]
struct CheckPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    kind: &'static str,
    summary: String,
    problems_title: String,
    problems: Vec<ProblemView>,
    /// The checked file, sent back with the confirmation.
    file: String,
}

/// The dry run of an uploaded file: every bad row, or what importing it would do.
pub async fn check(
    State(state): State<AppState>,
    Path((lang, kind)): Path<(String, String)>,
    staff: Staff,
    upload: Upload,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let kind = kind_of(&kind, lang)?;
    let tr = Tr::new(lang);
    let csrf = upload.visitor.form_token();
    let read = upload
        .file
        .and_then(|text| read(kind, &text).map(|rows| (text, rows)));
    let (file, rows) = match read {
        Ok(read) => read,
        Err(problem) => return desk_page(lang, csrf, file_errors(kind, &problem, tr)),
    };
    let tally = dry_run(&state, &staff.session, &rows.batches())
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    let bad = !tally.problems.is_empty();
    let mut frame = frame(lang, "staff-imports-check-title", "staff/imports");
    frame.has_errors = bad;
    let page = CheckPage {
        frame,
        nav: StaffNav::new(lang, "imports"),
        csrf,
        kind: kind.code(),
        summary: counts(tr, "staff-imports-check-summary", rows.len(), &tally),
        problems_title: tr.count("staff-imports-problems-title", tally.problems.len() as i64),
        problems: tally
            .problems
            .iter()
            .map(|p| ProblemView::of(p, tr))
            .collect(),
        file: if bad { String::new() } else { file },
    };
    let status = if bad {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// A file that cannot be read, shown beside its kind's file field.
fn file_errors(kind: Kind, problem: &FileProblem, tr: Tr) -> FormErrors {
    let (id, args) = problem.message();
    let args: Vec<(&str, String)> = args.into_iter().collect();
    let mut errors = FormErrors::new();
    errors.field(&format!("file-{}", kind.code()), tr.with(id, &args));
    errors
}

#[derive(Debug, Default, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    file: String,
}

#[derive(Template)]
#[template(path = "staff_imports_run.html")]
struct RunPage {
    frame: Frame,
    nav: StaffNav,
    intro: String,
}

/// One batch done.
#[derive(Template)]
#[template(path = "staff_imports_step.html")]
struct StepLine {
    id: String,
    label: String,
    done: usize,
    total: usize,
}

/// How the run ended.
#[derive(Template)]
#[template(path = "staff_imports_result.html")]
struct ResultBlock {
    frame: Frame,
    ok: bool,
    message: String,
    problems_title: String,
    problems: Vec<ProblemView>,
}

/// Imports a checked file: the page is sent as it goes, a progress line per batch written.
pub async fn run(
    State(state): State<AppState>,
    Path((lang, kind)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<RunForm>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let kind = kind_of(&kind, lang)?;
    let tr = Tr::new(lang);
    let rows = match read(kind, &posted.form.file) {
        Ok(rows) => rows,
        Err(problem) => {
            return desk_page(
                lang,
                posted.visitor.form_token(),
                file_errors(kind, &problem, tr),
            );
        }
    };
    let batches = rows.batches();
    let page = RunPage {
        frame: frame(lang, "staff-imports-run-title", "staff/imports"),
        nav: StaffNav::new(lang, "imports"),
        intro: tr.with(
            "staff-imports-run-intro",
            &[
                ("rows", number(rows.len() as i64)),
                ("batches", number(batches.len() as i64)),
            ],
        ),
    };
    let rendered = page.render().map_err(|e| {
        tracing::error!(error = %e, "a template failed to render");
        PageError::internal(lang)
    })?;
    let (head, tail) = rendered
        .split_once(PROGRESS_MARK)
        .map(|(h, t)| (h.to_string(), t.to_string()))
        .ok_or_else(|| PageError::internal(lang))?;

    let (sender, receiver) = tokio::sync::mpsc::channel::<String>(4);
    let session = staff.session;
    tokio::spawn(async move {
        let _ = sender.send(head).await;
        let end = import(&state, &session, lang, rows.len(), &batches, &sender).await;
        let _ = sender.send(end).await;
        let _ = sender.send(tail).await;
    });
    let body = Body::from_stream(futures::stream::unfold(receiver, |mut r| async move {
        r.recv()
            .await
            .map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), r))
    }));
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            // Proxies must pass each line on as it comes.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        body,
    )
        .into_response())
}

/// Checks the whole file again, then writes it batch by batch, sending a progress line after
/// each; returns the closing block. A person who leaves the page stops the run after the
/// batch under way (sending fails); running the file again finishes it.
async fn import(
    state: &AppState,
    session: &Session,
    lang: Lang,
    rows: usize,
    batches: &[Rows],
    sender: &tokio::sync::mpsc::Sender<String>,
) -> String {
    let tr = Tr::new(lang);
    let result = |ok: bool, message: String, problems: &[ImportProblem]| {
        ResultBlock {
            frame: frame(lang, "staff-imports-run-title", "staff/imports"),
            ok,
            message,
            problems_title: tr.count("staff-imports-problems-title", problems.len() as i64),
            problems: problems.iter().map(|p| ProblemView::of(p, tr)).collect(),
        }
        .render()
        .unwrap_or_default()
    };
    let failed = |status: tonic::Status| {
        tracing::warn!(code = ?status.code(), "an import batch failed");
        result(false, tr.t("staff-imports-run-failed"), &[])
    };
    let checked = match dry_run(state, session, batches).await {
        Ok(tally) => tally,
        Err(status) => return failed(status),
    };
    if !checked.problems.is_empty() {
        return result(false, tr.t("staff-imports-run-refused"), &checked.problems);
    }
    let mut done = Tally::default();
    for (i, batch) in batches.iter().enumerate() {
        let summary = match send(state, session, batch.clone(), false).await {
            Ok(summary) => summary,
            Err(status) => return failed(status),
        };
        if !summary.written {
            let message = tr.t("staff-imports-run-refused");
            return result(false, message, &summary.problems);
        }
        done.created += summary.created;
        done.unchanged += summary.unchanged;
        let line = StepLine {
            id: format!("batch-{}", i + 1),
            label: tr.with(
                "staff-imports-run-step",
                &[
                    ("done", number(i as i64 + 1)),
                    ("total", number(batches.len() as i64)),
                ],
            ),
            done: i + 1,
            total: batches.len(),
        };
        if sender
            .send(line.render().unwrap_or_default())
            .await
            .is_err()
        {
            return String::new();
        }
    }
    result(true, counts(tr, "staff-imports-run-done", rows, &done), &[])
}

//! Writing a message in the person's language from `locales/<lang>/messages.ftl`: a subject,
//! a plain-text body, an HTML body (values escaped, `dir="rtl" lang="ar"` for Arabic) and a
//! short SMS text, with links to the portal built from `notification.portal_url`.
//!
//! A region may word messages its own way (`notification.messages_dir`, `<lang>.ftl`): its
//! messages replace the built-in ones of the same id. They are checked when the service
//! starts, so a mistake stops it there rather than in a message sent: only known ids, valid
//! Fluent, and no variable beyond those the built-in messages are given.

use std::path::Path;

use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use unic_langid::{LanguageIdentifier, langid};

/// A language messages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ar,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ar, Lang::Fr];

    /// The code in the portal's paths and in `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Fr => "ltr",
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Ar => langid!("ar-MA"),
            Lang::Fr => langid!("fr-MA"),
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Ar => include_str!("../../locales/ar/messages.ftl"),
            Lang::Fr => include_str!("../../locales/fr/messages.ftl"),
        }
    }
}

/// What identity asked a message for; it carries a secret and goes alone, at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyContact,
    ResetPassword,
}

impl Purpose {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "verify_contact" => Some(Purpose::VerifyContact),
            "reset_password" => Some(Purpose::ResetPassword),
            _ => None,
        }
    }

    pub fn is_known(s: &str) -> bool {
        Purpose::parse(s).is_some()
    }

    fn id(self) -> &'static str {
        match self {
            Purpose::VerifyContact => "verify_contact",
            Purpose::ResetPassword => "reset_password",
        }
    }

    /// The portal page the link opens, after `/{lang}`.
    fn path(self) -> &'static str {
        match self {
            Purpose::VerifyContact => "/account/contact/verify",
            Purpose::ResetPassword => "/password/reset",
        }
    }
}

/// One notification to tell: its kind as stored and what it is about.
#[derive(Clone, Copy, Debug)]
pub struct Notice<'a> {
    pub kind: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: &'a str,
}

/// A message written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sms: String,
}

/// The message files of both languages, parsed once.
pub struct Renderer {
    ar: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
    /// The portal's public address, without a trailing slash.
    portal_url: String,
}

impl Renderer {
    /// The built-in messages, with the region's from `overrides` (a folder of `<lang>.ftl`
    /// files) in place of theirs.
    pub fn new(portal_url: &str, overrides: Option<&Path>) -> Result<Self, String> {
        Ok(Self {
            ar: bundle(Lang::Ar, overrides)?,
            fr: bundle(Lang::Fr, overrides)?,
            portal_url: portal_url.trim_end_matches('/').to_string(),
        })
    }

    /// A message telling one notification.
    pub fn notice(&self, lang: Lang, name: &str, notice: &Notice<'_>) -> Rendered {
        let args = detail_args(notice.detail);
        let url = self.subject_link(lang, notice);
        let security = notice.kind == "password_changed";
        let body = self.t(lang, &format!("{}-body", notice.kind), Some(&args));
        self.compose(
            lang,
            Parts {
                subject: self.t(lang, &format!("{}-subject", notice.kind), None),
                greeting: self.greeting(lang, name),
                paragraphs: vec![body],
                items: Vec::new(),
                link: Some(url.clone()),
                footer: self.t(
                    lang,
                    if security {
                        "footer-security"
                    } else {
                        "footer"
                    },
                    None,
                ),
                sms: format!(
                    "{} {url}",
                    self.t(lang, &format!("{}-sms", notice.kind), Some(&args))
                ),
            },
        )
    }

    /// One message listing several notifications.
    pub fn digest(&self, lang: Lang, name: &str, notices: &[Notice<'_>]) -> Rendered {
        let mut count = FluentArgs::new();
        count.set("count", notices.len());
        let items = notices
            .iter()
            .map(|n| {
                let text = self.t(
                    lang,
                    &format!("{}-body", n.kind),
                    Some(&detail_args(n.detail)),
                );
                (text, self.subject_link(lang, n))
            })
            .collect();
        let inbox = format!("{}/{}/account/notifications", self.portal_url, lang.code());
        self.compose(
            lang,
            Parts {
                subject: self.t(lang, "digest-subject", Some(&count)),
                greeting: self.greeting(lang, name),
                paragraphs: vec![self.t(lang, "digest-body", None)],
                items,
                link: Some(inbox.clone()),
                footer: self.t(lang, "footer", None),
                sms: format!("{} {inbox}", self.t(lang, "digest-sms", Some(&count))),
            },
        )
    }

    /// The message identity asked for, carrying its secret: a link by email, a code by SMS.
    pub fn request(&self, lang: Lang, name: &str, purpose: Purpose, secret: &str) -> Rendered {
        let mut code = FluentArgs::new();
        code.set("code", secret);
        let link = format!(
            "{}/{}{}?token={}",
            self.portal_url,
            lang.code(),
            purpose.path(),
            percent_encode(secret)
        );
        self.compose(
            lang,
            Parts {
                subject: self.t(lang, &format!("{}-subject", purpose.id()), None),
                greeting: self.greeting(lang, name),
                paragraphs: vec![self.t(lang, &format!("{}-body", purpose.id()), None)],
                items: Vec::new(),
                link: Some(link),
                footer: self.t(lang, "footer-security", None),
                sms: self.t(lang, &format!("{}-sms", purpose.id()), Some(&code)),
            },
        )
    }

    /// The portal page of what a notification is about, or the inbox.
    fn subject_link(&self, lang: Lang, notice: &Notice<'_>) -> String {
        let path = match notice.subject_type {
            "consultation" => format!("/consultations/{}", notice.subject_id),
            "petition" => format!("/petitions/{}", notice.subject_id),
            "session" => format!("/training/sessions/{}", notice.subject_id),
            "recommendation" => "/opinions".to_string(),
            _ => "/account/notifications".to_string(),
        };
        format!("{}/{}{path}", self.portal_url, lang.code())
    }

    fn greeting(&self, lang: Lang, name: &str) -> String {
        if name.trim().is_empty() {
            self.t(lang, "greeting-anonymous", None)
        } else {
            let mut args = FluentArgs::new();
            args.set("name", name.trim());
            self.t(lang, "greeting", Some(&args))
        }
    }

    fn compose(&self, lang: Lang, parts: Parts) -> Rendered {
        let link_label = self.t(lang, "link-label", None);
        let mut text = format!("{}\n\n", parts.greeting);
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head><meta charset=\"utf-8\">\
             <title>{}</title></head>\n<body>\n<p>{}</p>\n",
            lang.code(),
            lang.dir(),
            escape(&parts.subject),
            escape(&parts.greeting)
        );
        for p in &parts.paragraphs {
            text.push_str(&format!("{p}\n\n"));
            html.push_str(&format!("<p>{}</p>\n", escape(p)));
        }
        if !parts.items.is_empty() {
            html.push_str("<ul>\n");
            for (item, url) in &parts.items {
                text.push_str(&format!("- {item}\n  {url}\n"));
                html.push_str(&format!(
                    "<li>{} <a href=\"{}\">{}</a></li>\n",
                    escape(item),
                    escape(url),
                    escape(url)
                ));
            }
            html.push_str("</ul>\n");
            text.push('\n');
        }
        if let Some(url) = &parts.link {
            text.push_str(&format!("{link_label}\n{url}\n\n"));
            html.push_str(&format!(
                "<p>{}<br><a href=\"{}\">{}</a></p>\n",
                escape(&link_label),
                escape(url),
                escape(url)
            ));
        }
        text.push_str(&format!("-- \n{}\n", parts.footer));
        html.push_str(&format!(
            "<hr>\n<p><small>{}</small></p>\n</body>\n</html>\n",
            escape(&parts.footer)
        ));
        Rendered {
            subject: parts.subject,
            text,
            html,
            sms: parts.sms,
        }
    }

    /// The message `id`; a missing one shows its id (the tests check none is missing).
    fn t(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = match lang {
            Lang::Ar => &self.ar,
            Lang::Fr => &self.fr,
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    #[cfg(test)]
    fn has(&self, lang: Lang, id: &str) -> bool {
        let bundle = match lang {
            Lang::Ar => &self.ar,
            Lang::Fr => &self.fr,
        };
        bundle.has_message(id)
    }
}

/// The pieces of a message before it is written as text, HTML and SMS.
struct Parts {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// A digest's notifications: text and link.
    items: Vec<(String, String)>,
    link: Option<String>,
    footer: String,
    sms: String,
}

fn detail_args(detail: &str) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("detail", detail.to_string());
    args
}

/// The variables messages are given (see the callers of [`Renderer::t`]).
const VARIABLES: [&str; 4] = ["detail", "count", "code", "name"];

fn bundle(lang: Lang, overrides: Option<&Path>) -> Result<FluentBundle<FluentResource>, String> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Subjects and plain text carry no bidi isolation marks: mail clients show them as is.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(lang.source().to_string())
        .map_err(|(_, errors)| format!("{} messages: {errors:?}", lang.code()))?;
    let built_in: Vec<String> = ids(&resource);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{} messages: {errors:?}", lang.code()))?;
    let Some(dir) = overrides else {
        return Ok(bundle);
    };
    let file = dir.join(format!("{}.ftl", lang.code()));
    let source = match std::fs::read_to_string(&file) {
        Ok(source) => source,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(bundle),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    let resource = FluentResource::try_new(source)
        .map_err(|(_, errors)| format!("{}: not valid Fluent: {errors:?}", file.display()))?;
    let region = ids(&resource);
    if let Some(unknown) = region.iter().find(|id| !built_in.contains(id)) {
        return Err(format!(
            "{}: `{unknown}` is not a message of the service (see services/notification/locales)",
            file.display()
        ));
    }
    bundle.add_resource_overriding(resource);
    // Every replaced message is written once with every variable given: one that names
    // another variable, or a term or message that does not exist, fails here.
    let mut args = FluentArgs::new();
    for name in VARIABLES {
        args.set(name, "x");
    }
    for id in &region {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return Err(format!("{}: `{id}` has no value", file.display()));
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            return Err(format!("{}: `{id}`: {errors:?}", file.display()));
        }
    }
    Ok(bundle)
}

/// The ids of the messages `resource` defines.
fn ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Text made safe inside HTML elements and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A URL query value: unreserved characters as they are, every other byte `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Kind;

    fn renderer() -> Renderer {
        Renderer::new("https://portal.example.ma/", None).unwrap()
    }

    #[test]
    fn every_kind_and_purpose_has_its_messages_in_both_languages() {
        let r = renderer();
        let mut ids: Vec<String> = [
            "greeting",
            "greeting-anonymous",
            "link-label",
            "footer",
            "footer-security",
        ]
        .map(String::from)
        .to_vec();
        for stem in Kind::ALL.map(|k| k.as_sql()).into_iter().chain([
            "digest",
            "verify_contact",
            "reset_password",
        ]) {
            for part in ["subject", "body", "sms"] {
                ids.push(format!("{stem}-{part}"));
            }
        }
        for lang in Lang::ALL {
            for id in &ids {
                assert!(r.has(lang, id), "{} lacks {id}", lang.code());
            }
        }
    }

    #[test]
    fn an_answer_in_arabic_reads_right_to_left_with_escaped_values_and_its_link() {
        let r = renderer();
        let m = r.notice(
            Lang::Ar,
            "Fatima <b>& co",
            &Notice {
                kind: "proposal_answered",
                subject_type: "proposal",
                subject_id: "p1",
                detail: "accepted",
            },
        );
        assert_eq!(m.subject, "رد على مقترحك");
        assert!(m.text.contains("قُبل مقترحك."), "{}", m.text);
        assert!(m.text.contains("Fatima <b>& co"));
        assert!(m.html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(m.html.contains("Fatima &lt;b&gt;&amp; co"));
        assert!(!m.html.contains("<b>&"));
        assert!(
            m.text
                .contains("https://portal.example.ma/ar/account/notifications")
        );
        assert!(!m.text.contains('\u{2068}'), "no isolation marks");
    }

    #[test]
    fn links_lead_to_the_subject_in_the_readers_language() {
        let r = renderer();
        for (subject_type, path) in [
            ("consultation", "/fr/consultations/c1"),
            ("petition", "/fr/petitions/c1"),
            ("session", "/fr/training/sessions/c1"),
            ("certificate", "/fr/account/notifications"),
        ] {
            let m = r.notice(
                Lang::Fr,
                "",
                &Notice {
                    kind: "session_changed",
                    subject_type,
                    subject_id: "c1",
                    detail: "",
                },
            );
            let url = format!("https://portal.example.ma{path}");
            assert!(m.text.contains(&url), "{}", m.text);
            assert!(m.sms.ends_with(&url), "{}", m.sms);
            assert!(m.html.contains(r#"<html lang="fr" dir="ltr">"#));
            assert!(m.text.starts_with("Bonjour,"));
        }
    }

    #[test]
    fn a_request_carries_its_secret_in_the_link_or_the_code() {
        let r = renderer();
        let m = r.request(Lang::Fr, "Ali", Purpose::ResetPassword, "a+b/c=");
        assert!(
            m.text
                .contains("https://portal.example.ma/fr/password/reset?token=a%2Bb%2Fc%3D")
        );
        let m = r.request(Lang::Ar, "", Purpose::VerifyContact, "123456");
        assert!(
            m.text
                .contains("https://portal.example.ma/ar/account/contact/verify?token=123456")
        );
        assert!(m.sms.contains("123456"));
        assert!(m.sms.chars().count() <= 70, "one SMS: {}", m.sms);
    }

    #[test]
    fn a_digest_lists_every_notification() {
        let r = renderer();
        let notices = [
            Notice {
                kind: "session_cancelled",
                subject_type: "session",
                subject_id: "s1",
                detail: "",
            },
            Notice {
                kind: "consultation_progress",
                subject_type: "consultation",
                subject_id: "c1",
                detail: "closed",
            },
        ];
        let m = r.digest(Lang::Fr, "Ali", &notices);
        assert_eq!(m.subject, "2 nouveaux messages sur Tachawor");
        assert!(m.text.contains("/fr/training/sessions/s1"));
        assert!(m.text.contains("/fr/consultations/c1"));
        assert!(
            m.text
                .contains("La consultation à laquelle vous avez participé est close")
        );
        assert_eq!(m.html.matches("<li>").count(), 2);
    }

    fn answered() -> Notice<'static> {
        Notice {
            kind: "proposal_answered",
            subject_type: "proposal",
            subject_id: "p1",
            detail: "accepted",
        }
    }

    /// A renderer with the region's files `files` (language code, Fluent source).
    fn with_region(files: &[(&str, &str)]) -> Result<Renderer, String> {
        let dir = tempfile::tempdir().unwrap();
        for (lang, source) in files {
            std::fs::write(dir.path().join(format!("{lang}.ftl")), source).unwrap();
        }
        Renderer::new("https://portal.example.ma/", Some(dir.path()))
    }

    #[test]
    fn the_region_words_the_messages_it_names_and_keeps_the_others() {
        let r = with_region(&[(
            "fr",
            "proposal_answered-subject = Le Conseil régional vous répond\n\
             footer = Conseil régional de Laâyoune-Sakia El Hamra, service de la participation.\n",
        )])
        .unwrap();
        let fr = r.notice(Lang::Fr, "Fatima", &answered());
        assert_eq!(fr.subject, "Le Conseil régional vous répond");
        assert!(
            fr.text.ends_with("service de la participation.\n"),
            "{}",
            fr.text
        );
        let built_in = renderer().notice(Lang::Fr, "Fatima", &answered());
        assert!(
            fr.text
                .contains(&built_in.text.lines().nth(2).unwrap().to_string())
        );
        // Arabic has no file: every message as built in.
        assert_eq!(
            r.notice(Lang::Ar, "Fatima", &answered()),
            renderer().notice(Lang::Ar, "Fatima", &answered())
        );
    }

    #[test]
    fn a_region_file_with_a_mistake_stops_the_renderer_naming_it() {
        let refused = |files| with_region(files).err().expect("refused");
        let unknown = refused(&[("ar", "proposal-answerd-subject = رد\n")]);
        assert!(
            unknown.contains("`proposal-answerd-subject` is not a message"),
            "{unknown}"
        );
        let syntax = refused(&[("fr", "footer = {\n")]);
        assert!(syntax.contains("fr.ftl: not valid Fluent"), "{syntax}");
        let variable = refused(&[("fr", "proposal_answered-body = Réponse : { $decision }\n")]);
        assert!(variable.contains("`proposal_answered-body`"), "{variable}");
        // The variables the built-in messages use are allowed.
        with_region(&[("fr", "proposal_answered-body = Réponse : { $detail }\n")]).unwrap();
    }
}

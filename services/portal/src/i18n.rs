//! Languages, Fluent messages, and numbers and dates as Morocco writes them.
//!
//! Arabic is the default and reads right to left; French reads left to right. Every piece of
//! interface text comes from `locales/<lang>/portal.ftl`; numbers are formatted here (CLDR
//! `ar_MA` and `fr_MA`: Latin digits, `.` between thousands) and passed to Fluent both as a
//! number, so plural forms are chosen from it, and as display text.

use std::sync::LazyLock;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use unic_langid::{LanguageIdentifier, langid};

/// An interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ar,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ar, Lang::Fr];

    /// The BCP 47 code used in URLs, `lang` attributes and cookies.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Fr => "ltr",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ar" => Some(Lang::Ar),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The language a URL path starts with (`/fr/…`), Arabic when it names none.
    pub fn of_path(path: &str) -> Self {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .and_then(Lang::parse)
            .unwrap_or(Lang::Ar)
    }

    /// The language a page links to as the alternative.
    pub fn other(self) -> Self {
        match self {
            Lang::Ar => Lang::Fr,
            Lang::Fr => Lang::Ar,
        }
    }

    /// The language's name in itself, as a language link shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ar => "العربية",
            Lang::Fr => "Français",
        }
    }

    /// The first supported language an `Accept-Language` header asks for, if any.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut asked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Lang::parse(primary).map(|lang| (quality, lang))
            })
            .collect();
        asked.sort_by(|a, b| b.0.total_cmp(&a.0));
        asked.first().map(|(_, lang)| *lang)
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Ar => langid!("ar-MA"),
            Lang::Fr => langid!("fr-MA"),
        }
    }

    /// The message files of this language, one per area of the site.
    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::Ar => &message_files!("ar"),
            Lang::Fr => &message_files!("fr"),
        }
    }
}

/// Every area's message file of one language, compiled in.
macro_rules! message_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/portal.ftl")),
            include_str!(concat!("../locales/", $lang, "/account.ftl")),
            include_str!(concat!("../locales/", $lang, "/take-part.ftl")),
            include_str!(concat!("../locales/", $lang, "/petition-forms.ftl")),
            include_str!(concat!("../locales/", $lang, "/training-forms.ftl")),
            include_str!(concat!("../locales/", $lang, "/certificate.ftl")),
            include_str!(concat!("../locales/", $lang, "/associations.ftl")),
            include_str!(concat!("../locales/", $lang, "/staff.ftl")),
            include_str!(concat!("../locales/", $lang, "/inbox.ftl")),
            include_str!(concat!("../locales/", $lang, "/contact.ftl")),
            include_str!(concat!("../locales/", $lang, "/news.ftl")),
            include_str!(concat!("../locales/", $lang, "/answers.ftl")),
            include_str!(concat!("../locales/", $lang, "/staff-consultations.ftl")),
            include_str!(concat!("../locales/", $lang, "/imports.ftl")),
            include_str!(concat!("../locales/", $lang, "/staff-forum.ftl")),
            include_str!(concat!("../locales/", $lang, "/documents.ftl")),
            include_str!(concat!("../locales/", $lang, "/instances.ftl")),
        ]
    };
}
use message_files;

/// The message bundles of every language, parsed once.
pub struct Messages {
    ar: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
}

static MESSAGES: LazyLock<Messages> =
    LazyLock::new(|| Messages::parse().expect("the portal's message files parse"));

impl Messages {
    fn parse() -> Result<Self, String> {
        Ok(Self {
            ar: bundle(Lang::Ar)?,
            fr: bundle(Lang::Fr)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Ar => &self.ar,
            Lang::Fr => &self.fr,
        }
    }

    /// Every message id of `lang`'s file, for the tests that compare the two languages.
    pub fn ids(lang: Lang) -> Vec<String> {
        let mut ids = Vec::new();
        for source in lang.sources() {
            let resource = FluentResource::try_new(source.to_string())
                .unwrap_or_else(|(resource, _)| resource);
            ids.extend(resource.entries().filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        ids
    }
}

fn bundle(lang: Lang) -> Result<FluentBundle<FluentResource>, String> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    for source in lang.sources() {
        let resource = FluentResource::try_new(source.to_string())
            .map_err(|(_, errors)| format!("{} messages: {errors:?}", lang.code()))?;
        // A message defined in two files is an error, not a silent override.
        bundle
            .add_resource(resource)
            .map_err(|errors| format!("{} messages: {errors:?}", lang.code()))?;
    }
    Ok(bundle)
}

/// Checks every message file parses; the binary calls it at start so a broken file stops it
/// before it serves.
pub fn check_messages() -> Result<(), String> {
    Messages::parse().map(|_| ())
}

/// Interface text in one language: what handlers and templates ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The message `id`; a missing message shows its id, which the tests catch.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The first of `ids` that exists: a specific message, then more general ones.
    pub fn first_of(&self, ids: &[&str]) -> String {
        let bundle = MESSAGES.bundle(self.lang);
        ids.iter().find(|id| bundle.has_message(id)).map_or_else(
            || self.t(ids.last().copied().unwrap_or_default()),
            |id| self.t(id),
        )
    }

    /// The message `id` with `count` as `$count` (for plural selection) and `$n` (as shown).
    pub fn count(&self, id: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        args.set("n", FluentValue::from(number(count)));
        self.format(id, Some(&args))
    }

    /// The message `id` with string arguments.
    pub fn with(&self, id: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(*name, FluentValue::from(value.clone()));
        }
        self.format(id, Some(&args))
    }

    /// As [`Tr::with`], without the marks Fluent puts around each placeable to keep mixed
    /// directions in order: for text no browser lays out (a feed's title), where they would
    /// show as stray characters.
    pub fn plain_with(&self, id: &str, values: &[(&str, String)]) -> String {
        self.with(id, values).replace(['\u{2068}', '\u{2069}'], "")
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = MESSAGES.bundle(self.lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(message = id, lang = self.lang.code(), "missing message");
            return id.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                message = id,
                lang = self.lang.code(),
                ?errors,
                "message error"
            );
        }
        text.into_owned()
    }

    /// Items of a list as the language separates them (the Arabic comma in Arabic).
    pub fn join(&self, items: &[String]) -> String {
        items.join(match self.lang {
            Lang::Ar => "، ",
            Lang::Fr => ", ",
        })
    }

    /// A calendar date (`YYYY-MM-DD`) as the language writes it, with Morocco's month names.
    pub fn date(&self, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-');
        let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next())
        else {
            return iso.to_string();
        };
        let day = day.trim_start_matches('0');
        let month_name = self.t(&format!("month-{}", month.trim_start_matches('0')));
        format!("{day} {month_name} {year}")
    }

    /// A wall-clock time (`HH:MM`) as the language writes it: `09:00` in Arabic (Latin digits,
    /// as CLDR's `ar_MA`), `9 h` or `9 h 30` in French.
    pub fn time(&self, hh_mm: &str) -> String {
        let Some((hours, minutes)) = hh_mm.split_once(':') else {
            return hh_mm.to_string();
        };
        match self.lang {
            Lang::Ar => hh_mm.to_string(),
            Lang::Fr => {
                let hours = hours.trim_start_matches('0');
                let hours = if hours.is_empty() { "0" } else { hours };
                if minutes == "00" {
                    format!("{hours}\u{a0}h")
                } else {
                    format!("{hours}\u{a0}h\u{a0}{minutes}")
                }
            }
        }
    }

    /// A month (`YYYY-MM`) as the language names it: "نونبر 2026", "novembre 2026".
    pub fn month(&self, iso: &str) -> String {
        match iso.split_once('-') {
            Some((year, month)) => format!(
                "{} {year}",
                self.t(&format!("month-{}", month.trim_start_matches('0')))
            ),
            None => iso.to_string(),
        }
    }

    /// The date of a timestamp (UTC), or an empty string for none.
    pub fn timestamp_date(&self, t: Option<&prost_types::Timestamp>) -> String {
        t.map(|t| {
            self.date(&tachawor_proto::dates::date_of_millis(
                tachawor_proto::dates::millis(t),
            ))
        })
        .unwrap_or_default()
    }
}

/// An integer with `.` between groups of three digits, as CLDR's `ar_MA` and `fr_MA` write it.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_moroccan_grouping() {
        assert_eq!(number(0), "0");
        assert_eq!(number(300), "300");
        assert_eq!(number(4_510), "4.510");
        assert_eq!(number(451_028), "451.028");
        assert_eq!(number(-1_234_567), "-1.234.567");
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        check_messages().expect("the message files parse");
        let mut ar = Messages::ids(Lang::Ar);
        let mut fr = Messages::ids(Lang::Fr);
        ar.sort();
        fr.sort();
        let only_ar: Vec<_> = ar.iter().filter(|id| !fr.contains(id)).collect();
        let only_fr: Vec<_> = fr.iter().filter(|id| !ar.contains(id)).collect();
        assert!(only_ar.is_empty(), "only in Arabic: {only_ar:?}");
        assert!(only_fr.is_empty(), "only in French: {only_fr:?}");
        assert!(ar.len() > 20);
    }

    #[test]
    fn arabic_counts_take_all_six_plural_forms() {
        let tr = Tr::new(Lang::Ar);
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| tr.count("signatures-count", *n))
            .collect();
        for (i, a) in forms.iter().enumerate() {
            for b in &forms[i + 1..] {
                assert_ne!(a, b, "each plural category reads differently: {forms:?}");
            }
            assert!(!a.contains("signatures-count"), "{a}");
        }
        assert!(tr.count("signatures-count", 1_000).contains("1.000"));
    }

    /// Fluent isolates each placeable with U+2068 … U+2069 so mixed directions stay in order.
    fn plain(text: String) -> String {
        text.replace(['\u{2068}', '\u{2069}'], "")
    }

    #[test]
    fn french_counts_treat_zero_and_one_as_singular() {
        let tr = Tr::new(Lang::Fr);
        assert_eq!(plain(tr.count("signatures-count", 0)), "0 signature");
        assert_eq!(plain(tr.count("signatures-count", 1)), "1 signature");
        assert_eq!(plain(tr.count("signatures-count", 2)), "2 signatures");
        assert_eq!(
            plain(tr.count("signatures-count", 4_510)),
            "4.510 signatures"
        );
    }

    #[test]
    fn dates_use_moroccan_month_names() {
        assert_eq!(Tr::new(Lang::Ar).date("2026-08-05"), "5 غشت 2026");
        assert_eq!(Tr::new(Lang::Ar).date("2026-09-01"), "1 شتنبر 2026");
        assert_eq!(Tr::new(Lang::Fr).date("2026-11-30"), "30 novembre 2026");
    }

    #[test]
    fn times_as_each_language_writes_them() {
        assert_eq!(Tr::new(Lang::Ar).time("09:00"), "09:00");
        assert_eq!(Tr::new(Lang::Fr).time("09:00"), "9\u{a0}h");
        assert_eq!(Tr::new(Lang::Fr).time("14:30"), "14\u{a0}h\u{a0}30");
        assert_eq!(Tr::new(Lang::Fr).time("00:15"), "0\u{a0}h\u{a0}15");
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9"), Some(Lang::Fr));
        assert_eq!(
            Lang::from_accept_language("en;q=1, ar-MA;q=0.8, fr;q=0.5"),
            Some(Lang::Ar)
        );
        assert_eq!(Lang::from_accept_language("en-GB"), None);
    }
}

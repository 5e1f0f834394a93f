//! The training certificate of attendance as a one-page PDF: A4 landscape, in Arabic (right to
//! left, the layout mirrored) or French, with a QR code of the verification link.
//!
//! krilla writes the PDF and embeds subsets of the bundled Noto fonts; lines are laid out here.
//! unicode-bidi splits a line into directional runs in visual order, each run is split by script
//! (Arabic letters take Noto Naskh Arabic, the rest Noto Sans), and rustybuzz shapes each piece,
//! which joins Arabic letters and gives right-to-left pieces their glyphs in visual order.
//! krilla marks those pieces as reversed, so copying or extracting the text gives it back in
//! logical order.

use std::ops::Range;

use anyhow::{Context, anyhow};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{Metadata, TextDirection};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use unicode_bidi::{Level, ParagraphBidiInfo};

use crate::i18n::{Lang, Tr};

/// What a certificate says; the portal fills it from the training service's certificate.
pub struct CertificateDocument {
    /// The page's language: Arabic reads right to left, French left to right.
    pub lang: Lang,
    pub holder_name: String,
    pub program_title: String,
    pub session_title: String,
    /// ISO dates (`2026-12-03`) of the days attended.
    pub days: Vec<String>,
    /// The verification code, e.g. `K7Q2-9XMA-3PDF`.
    pub code: String,
    /// Where anyone can check the certificate; the QR code links there.
    pub verify_url: String,
    /// ISO date of issue.
    pub issued_on: String,
    /// The issuing council's name in the page's language.
    pub region_name: String,
}

/// The certificate as PDF bytes.
pub fn render(doc: &CertificateDocument) -> anyhow::Result<Vec<u8>> {
    let faces = Faces::load()?;
    let tr = Tr::new(doc.lang);
    let rtl = doc.lang == Lang::Ar;

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "{} — {}",
                tr.t("certificate-pdf-title"),
                doc.holder_name
            ))
            .language(doc.lang.code().to_string())
            .text_direction(if rtl {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            }),
    );
    let mut page =
        document.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).context("page size")?);
    let mut surface = page.surface();
    let mut canvas = Canvas {
        surface: &mut surface,
        faces: &faces,
        rtl,
    };
    canvas.frame()?;
    heading(&mut canvas, &tr, doc);
    details(&mut canvas, &tr, doc);
    canvas.qr_code(&doc.verify_url, QR_X, QR_Y, QR_SIZE)?;
    footer(&mut canvas, &tr, doc);
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| anyhow!("writing the certificate PDF: {e:?}"))
}

// The page, in points, with y going down. Positions are written for French (left to right);
// `Canvas` mirrors them for Arabic.
const PAGE_W: f32 = 842.0;
const PAGE_H: f32 = 595.0;
/// Text keeps inside this margin, well within the border.
const MARGIN: f32 = 70.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
const QR_SIZE: f32 = 118.0;
const QR_X: f32 = PAGE_W - MARGIN - QR_SIZE;
const QR_Y: f32 = 356.0;
/// Where the details' values start, after their labels.
const VALUE_X: f32 = MARGIN + 140.0;
/// The values end well before the QR code's quiet zone.
const VALUE_W: f32 = QR_X - 30.0 - VALUE_X;

fn ink() -> rgb::Color {
    rgb::Color::new(0x1f, 0x23, 0x28)
}
fn accent() -> rgb::Color {
    rgb::Color::new(0x0f, 0x4c, 0x5c)
}
fn gold() -> rgb::Color {
    rgb::Color::new(0xb0, 0x8d, 0x57)
}
fn muted() -> rgb::Color {
    rgb::Color::new(0x5a, 0x63, 0x6e)
}

/// The council, the title, who attended what.
fn heading(canvas: &mut Canvas, tr: &Tr, doc: &CertificateDocument) {
    let center = Anchor::Center(PAGE_W / 2.0);
    canvas.text(
        &doc.region_name,
        Style::bold(15.0, accent()),
        center,
        78.0,
        TEXT_W,
    );
    canvas.rule(PAGE_W / 2.0 - 60.0, 92.0, 120.0, 1.2);
    let title = tr.t("certificate-pdf-title");
    canvas.text(&title, Style::bold(32.0, accent()), center, 140.0, TEXT_W);
    let intro = tr.t("certificate-pdf-intro");
    canvas.text(&intro, Style::regular(13.0, muted()), center, 180.0, TEXT_W);
    canvas.text(
        &doc.holder_name,
        Style::bold(28.0, ink()),
        center,
        226.0,
        TEXT_W,
    );
    let attended = tr.t("certificate-pdf-attended");
    canvas.text(
        &attended,
        Style::regular(13.0, muted()),
        center,
        260.0,
        TEXT_W,
    );
    canvas.text(
        &doc.session_title,
        Style::bold(17.0, ink()),
        center,
        290.0,
        TEXT_W,
    );
    let program = tr.with(
        "certificate-pdf-program",
        &[("program", doc.program_title.clone())],
    );
    canvas.text(&program, Style::regular(13.0, ink()), center, 316.0, TEXT_W);
    canvas.rule(MARGIN, 338.0, TEXT_W, 0.6);
}

/// Label and value rows beside the QR code: period, days attended, issue date, code.
fn details(canvas: &mut Canvas, tr: &Tr, doc: &CertificateDocument) {
    let mut days = doc.days.clone();
    days.sort();
    days.dedup();
    let mut rows = Vec::new();
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let period = if first == last {
            tr.with("certificate-pdf-period-one-day", &[("day", tr.date(first))])
        } else {
            tr.with(
                "certificate-pdf-period",
                &[("first", tr.date(first)), ("last", tr.date(last))],
            )
        };
        rows.push(("certificate-pdf-period-label", period));
    }
    let count = i64::try_from(days.len()).unwrap_or(i64::MAX);
    rows.push((
        "certificate-pdf-days-label",
        tr.count("certificate-pdf-days", count),
    ));
    rows.push(("certificate-pdf-issued-label", tr.date(&doc.issued_on)));
    rows.push(("certificate-pdf-code-label", doc.code.clone()));

    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 380.0 + 28.0 * i as f32;
        let label_x = Anchor::Start(MARGIN);
        canvas.text(&tr.t(label), Style::bold(11.5, muted()), label_x, y, 130.0);
        let value_x = Anchor::Start(VALUE_X);
        canvas.text(value, Style::regular(13.0, ink()), value_x, y, VALUE_W);
    }
}

/// Where to check the certificate, in words, under everything else.
fn footer(canvas: &mut Canvas, tr: &Tr, doc: &CertificateDocument) {
    let verify = tr.with(
        "certificate-pdf-verify",
        &[("url", doc.verify_url.clone()), ("code", doc.code.clone())],
    );
    let center = Anchor::Center(PAGE_W / 2.0);
    canvas.text(
        &verify,
        Style::regular(10.0, muted()),
        center,
        522.0,
        TEXT_W,
    );
}

/// How a line is placed across the page, in left-to-right coordinates.
#[derive(Clone, Copy)]
enum Anchor {
    /// The line's middle at x.
    Center(f32),
    /// The line starts at x: its left edge in French, its right edge at the mirrored x in
    /// Arabic.
    Start(f32),
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    color: rgb::Color,
}

impl Style {
    fn regular(size: f32, color: rgb::Color) -> Self {
        Self {
            size,
            bold: false,
            color,
        }
    }
    fn bold(size: f32, color: rgb::Color) -> Self {
        Self {
            size,
            bold: true,
            color,
        }
    }
}

/// The page being drawn, in the certificate's direction.
struct Canvas<'a, 'p> {
    surface: &'a mut Surface<'p>,
    faces: &'a Faces,
    rtl: bool,
}

impl Canvas<'_, '_> {
    /// The left edge of something `width` wide placed at `x` in left-to-right terms.
    fn left_edge(&self, x: f32, width: f32) -> f32 {
        if self.rtl { PAGE_W - x - width } else { x }
    }

    /// One line of text with its baseline at `y`, made smaller if it is wider than `max_width`
    /// so a long name or title never runs off the page.
    fn text(&mut self, text: &str, style: Style, anchor: Anchor, y: f32, max_width: f32) {
        let line = Line::shape(text, self.rtl, self.faces, style.bold);
        let natural = line.width(style.size);
        let size = if natural > max_width {
            style.size * max_width / natural
        } else {
            style.size
        };
        let width = line.width(size);
        let left = match anchor {
            Anchor::Center(x) => self.left_edge(x, 0.0) - width / 2.0,
            Anchor::Start(x) => self.left_edge(x, width),
        };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(style.color)));
        let mut x = left;
        for piece in &line.pieces {
            let start = Point::from_xy(x, y);
            let font = piece.font.clone();
            self.surface.draw_glyphs(
                start,
                &piece.glyphs,
                font,
                &piece.text,
                size * piece.scale,
                false,
            );
            x += piece.advance() * size;
        }
    }

    /// A horizontal gold line.
    fn rule(&mut self, x: f32, y: f32, width: f32, thickness: f32) {
        let left = self.left_edge(x, width);
        if let Some(rect) = Rect::from_xywh(left, y - thickness / 2.0, width, thickness) {
            self.fill_rects(&[rect], gold());
        }
    }

    /// A double border: a strong outer line and a fine gold one inside it.
    fn frame(&mut self) -> anyhow::Result<()> {
        self.border(18.0, 2.4, accent())?;
        self.border(25.0, 0.8, gold())
    }

    fn border(&mut self, inset: f32, width: f32, color: rgb::Color) -> anyhow::Result<()> {
        let rect = Rect::from_xywh(inset, inset, PAGE_W - 2.0 * inset, PAGE_H - 2.0 * inset)
            .context("border")?;
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: color.into(),
            width,
            ..Default::default()
        }));
        self.surface.draw_path(&path.finish().context("border")?);
        self.surface.set_stroke(None);
        Ok(())
    }

    /// `url`'s QR code as black squares, `size` wide with its top left at (`x`, `y`) in
    /// left-to-right terms; only its place is mirrored, never the code. The white page around
    /// it is the quiet zone.
    fn qr_code(&mut self, url: &str, x: f32, y: f32, size: f32) -> anyhow::Result<()> {
        let (width, dark) = crate::qr::modules(url)?;
        let module = size / width as f32;
        let left = self.left_edge(x, size);
        let squares: Vec<Rect> = dark
            .iter()
            .filter_map(|&(col, row)| {
                let (col, row) = (col as f32, row as f32);
                Rect::from_xywh(left + col * module, y + row * module, module, module)
            })
            .collect();
        self.fill_rects(&squares, rgb::Color::new(0, 0, 0));
        Ok(())
    }

    /// Rectangles filled as one path, so adjacent QR modules show no seams between them.
    fn fill_rects(&mut self, rects: &[Rect], color: rgb::Color) {
        let mut path = PathBuilder::new();
        for rect in rects {
            path.push_rect(*rect);
        }
        if let Some(path) = path.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(fill(color)));
            self.surface.draw_path(&path);
        }
    }
}

fn fill(color: rgb::Color) -> Fill {
    Fill {
        paint: color.into(),
        ..Default::default()
    }
}

/// A font as both the shaper and krilla read it.
struct Typeface {
    face: rustybuzz::Face<'static>,
    font: Font,
    /// How much larger than the asked size it is drawn.
    scale: f32,
}

impl Typeface {
    fn load(data: &'static [u8], name: &str, scale: f32) -> anyhow::Result<Self> {
        Ok(Self {
            face: rustybuzz::Face::from_slice(data, 0).with_context(|| format!("font {name}"))?,
            font: Font::new(data.into(), 0).with_context(|| format!("font {name}"))?,
            scale,
        })
    }
}

/// Naskh's letters are small on their em: drawn this much larger, Arabic matches the height of
/// Noto Sans's lower case beside it and reads at the size asked for.
const ARABIC_SCALE: f32 = 1.15;

/// The bundled fonts (SIL Open Font License, see `fonts/OFL.txt`).
struct Faces {
    arabic: Typeface,
    arabic_bold: Typeface,
    latin: Typeface,
    latin_bold: Typeface,
}

impl Faces {
    fn load() -> anyhow::Result<Self> {
        Ok(Self {
            arabic: Typeface::load(
                include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
                "NotoNaskhArabic-Regular",
                ARABIC_SCALE,
            )?,
            arabic_bold: Typeface::load(
                include_bytes!("../fonts/NotoNaskhArabic-Bold.ttf"),
                "NotoNaskhArabic-Bold",
                ARABIC_SCALE,
            )?,
            latin: Typeface::load(
                include_bytes!("../fonts/NotoSans-Regular.ttf"),
                "NotoSans-Regular",
                1.0,
            )?,
            latin_bold: Typeface::load(
                include_bytes!("../fonts/NotoSans-Bold.ttf"),
                "NotoSans-Bold",
                1.0,
            )?,
        })
    }

    fn pick(&self, script: Script, bold: bool) -> &Typeface {
        match (script, bold) {
            (Script::Arabic, false) => &self.arabic,
            (Script::Arabic, true) => &self.arabic_bold,
            (Script::Latin, false) => &self.latin,
            (Script::Latin, true) => &self.latin_bold,
        }
    }
}

/// Which bundled font a character is drawn with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    Arabic,
    Latin,
}

impl Script {
    /// The script of a character, or `None` for white space, which goes with its neighbours.
    fn of(c: char) -> Option<Self> {
        match c {
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => Some(Script::Arabic),
            c if c.is_whitespace() => None,
            _ => Some(Script::Latin),
        }
    }
}

/// Directional formatting characters: they steer the bidi algorithm (Fluent wraps every
/// placeable in U+2068 … U+2069) but have no glyph, so they are left out of the pieces.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of text shaped, its pieces in visual order from left to right.
struct Line {
    pieces: Vec<Piece>,
}

/// A stretch of one direction and one font, its glyphs in visual order.
struct Piece {
    font: Font,
    scale: f32,
    text: String,
    glyphs: Vec<KrillaGlyph>,
}

impl Piece {
    /// The advance of the whole piece at size 1.
    fn advance(&self) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * self.scale
    }
}

impl Line {
    /// Lays out `text` in a paragraph of the given direction: bidi runs in visual order, each
    /// cut where the script changes.
    fn shape(text: &str, rtl: bool, faces: &Faces, bold: bool) -> Self {
        let base = if rtl { Level::rtl() } else { Level::ltr() };
        let bidi = ParagraphBidiInfo::new(text, Some(base));
        let (levels, runs) = bidi.visual_runs(0..text.len());
        let mut pieces = Vec::new();
        for run in runs {
            let run_rtl = levels[run.start].is_rtl();
            let mut segments = script_segments(&text[run.clone()]);
            // Within a right-to-left run the later text is further left.
            if run_rtl {
                segments.reverse();
            }
            for (range, script) in segments {
                let piece_text = &text[run.start + range.start..run.start + range.end];
                pieces.push(shape_piece(piece_text, faces.pick(script, bold), run_rtl));
            }
        }
        Self { pieces }
    }

    fn width(&self, size: f32) -> f32 {
        self.pieces.iter().map(Piece::advance).sum::<f32>() * size
    }
}

/// Cuts a run into stretches of one script, in logical order, leaving out bidi controls.
fn script_segments(run: &str) -> Vec<(Range<usize>, Script)> {
    let mut segments: Vec<(Range<usize>, Script)> = Vec::new();
    // White space before the first letter of a segment waits for it.
    let mut pending: Option<usize> = None;
    let mut open = false;
    for (i, c) in run.char_indices() {
        let end = i + c.len_utf8();
        if is_bidi_control(c) {
            open = false;
            pending = None;
            continue;
        }
        match Script::of(c) {
            None if open => segments.last_mut().expect("open segment").0.end = end,
            None => {
                pending.get_or_insert(i);
            }
            Some(script) => match segments.last_mut() {
                Some((range, last)) if open && *last == script => range.end = end,
                _ => {
                    let start = pending.take().unwrap_or(i);
                    segments.push((start..end, script));
                    open = true;
                }
            },
        }
    }
    // A run of nothing but spaces still takes its width.
    if let Some(start) = pending {
        segments.push((start..run.len(), Script::Latin));
    }
    segments
}

/// Shapes one piece with rustybuzz: joined Arabic forms, kerning, and for right-to-left text
/// the glyphs in visual order, each with the bytes of `text` it stands for.
fn shape_piece(text: &str, typeface: &Typeface, rtl: bool) -> Piece {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let output = rustybuzz::shape(&typeface.face, &[], buffer);

    // A glyph's text runs from its cluster's start to the next cluster's start.
    let mut starts: Vec<usize> = output
        .glyph_infos()
        .iter()
        .map(|info| info.cluster as usize)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster = |start: usize| {
        let next = starts.partition_point(|&s| s <= start);
        start..starts.get(next).copied().unwrap_or(text.len())
    };

    let em = typeface.face.units_per_em() as f32;
    let glyphs = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, pos)| {
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / em,
                pos.x_offset as f32 / em,
                pos.y_offset as f32 / em,
                pos.y_advance as f32 / em,
                cluster(info.cluster as usize),
                None,
            )
        })
        .collect();
    Piece {
        font: typeface.font.clone(),
        scale: typeface.scale,
        text: text.to_string(),
        glyphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, rtl: bool) -> Vec<String> {
        let faces = Faces::load().unwrap();
        Line::shape(text, rtl, &faces, false)
            .pieces
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn a_latin_code_inside_arabic_keeps_its_place_on_the_left() {
        // Logical: Arabic words, then an isolated code. Read right to left, the code comes
        // last, so it is the leftmost piece.
        let text = "رمز التحقق \u{2068}K7Q2-9XMA-3PDF\u{2069}";
        assert_eq!(pieces(text, true), ["K7Q2-9XMA-3PDF", "رمز التحقق "]);
    }

    #[test]
    fn an_arabic_date_keeps_its_digits_in_order() {
        let text = "من \u{2068}3 دجنبر 2026\u{2069}";
        assert_eq!(pieces(text, true), ["2026", " دجنبر ", "3", "من "]);
    }

    #[test]
    fn french_text_is_one_piece_per_script() {
        assert_eq!(
            pieces("du programme « Budget participatif »", false),
            ["du programme « Budget participatif »"]
        );
    }

    #[test]
    fn arabic_letters_are_joined() {
        // The shaper picks the initial, medial and final forms: "بنعلي" does not come out as
        // five isolated letters.
        let faces = Faces::load().unwrap();
        let word = shape_piece("بنعلي", &faces.arabic, true);
        let isolated: Vec<u32> = "بنعلي"
            .chars()
            .map(|c| shape_piece(&c.to_string(), &faces.arabic, true).glyphs[0].glyph_id)
            .map(|g| g.to_u32())
            .collect();
        let joined: Vec<u32> = word.glyphs.iter().map(|g| g.glyph_id.to_u32()).collect();
        assert!(joined.iter().all(|g| !isolated.contains(g)), "{joined:?}");
        // Visual order: the first letter (ب) is the rightmost glyph, its cluster at byte 0.
        assert_eq!(word.glyphs.last().unwrap().text_range.start, 0);
    }

    #[test]
    fn days_attended_take_arabic_plural_forms() {
        let tr = Tr::new(Lang::Ar);
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| tr.count("certificate-pdf-days", *n))
            .collect();
        for (i, a) in forms.iter().enumerate() {
            assert!(forms[i + 1..].iter().all(|b| b != a), "{forms:?}");
        }
        let fr = Tr::new(Lang::Fr);
        assert!(fr.count("certificate-pdf-days", 1).ends_with(" jour"));
        assert!(fr.count("certificate-pdf-days", 3).ends_with(" jours"));
    }

    #[test]
    fn the_qr_code_decodes_to_the_verification_link() {
        let url = "https://tachawor.example/verify/K7Q2-9XMA-3PDF";
        let (width, dark) = crate::qr::modules(url).unwrap();
        // The modules as a picture, 4 pixels each with a quiet zone of 4 modules.
        let (scale, quiet) = (4, 4);
        let side = (width + 2 * quiet) * scale;
        let mut pixels = vec![255u8; side * side];
        for (col, row) in dark {
            for dy in 0..scale {
                for dx in 0..scale {
                    let x = (col + quiet) * scale + dx;
                    let y = (row + quiet) * scale + dy;
                    pixels[y * side + x] = 0;
                }
            }
        }
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
    }
}

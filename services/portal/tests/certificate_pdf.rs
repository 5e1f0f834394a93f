//! The certificate PDF read back by poppler: the text a reader or a search engine extracts, and
//! page 1 as a PNG under `target/certificates/` for a person to look at.
//!
//! Needs `pdftotext` and `pdftoppm` (Debian's `poppler-utils`, installed by
//! `scripts/browser-deps.sh`); the QR code is also decoded when `zbarimg` (`zbar-tools`) is
//! there.

use std::path::{Path, PathBuf};
use std::process::Command;

use tachawor_portal::certificate_pdf::{CertificateDocument, render};
use tachawor_portal::i18n::Lang;

const CODE: &str = "K7Q2-9XMA-3PDF";
const URL: &str = "https://tachawor.example/verify/K7Q2-9XMA-3PDF";

fn certificate(lang: Lang) -> CertificateDocument {
    let (holder, program, session, region) = match lang {
        Lang::Ar => (
            "فاطمة الزهراء بنعلي",
            "تقوية قدرات الهيئات الاستشارية",
            "الميزانية التشاركية وتتبع المشاريع",
            "مجلس جهة سوس ماسة",
        ),
        Lang::Fr => (
            "Fatima Zahra Benali",
            "Renforcement des capacités des instances consultatives",
            "Budget participatif et suivi des projets",
            "Conseil de la région Souss-Massa",
        ),
    };
    CertificateDocument {
        lang,
        holder_name: holder.into(),
        program_title: program.into(),
        session_title: session.into(),
        days: vec![
            "2026-12-05".into(),
            "2026-12-03".into(),
            "2026-12-04".into(),
        ],
        code: CODE.into(),
        verify_url: URL.into(),
        issued_on: "2026-12-10".into(),
        region_name: region.into(),
    }
}

/// `target/certificates`, beside the test binary's `target/debug/deps`.
fn out_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe
        .ancestors()
        .nth(3)
        .expect("the test binary is under target/<profile>/deps");
    let dir = target.join("certificates");
    std::fs::create_dir_all(&dir).expect("create target/certificates");
    dir
}

/// Runs a poppler (or zbar) tool; a missing tool fails the test with what to install.
fn run(tool: &str, package: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install {package} (scripts/browser-deps.sh does)")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// Renders the certificate, writes the PDF and a PNG of page 1, and returns the PDF's text.
fn render_and_read(lang: Lang, name: &str) -> (String, PathBuf) {
    let pdf = render(&certificate(lang)).expect("the certificate renders");
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = out_dir();
    let pdf_path = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, &pdf).expect("write the PDF");
    let pdf_arg = pdf_path.to_str().unwrap();

    let info = run("pdfinfo", "poppler-utils", &[pdf_arg]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("842 x 595"), "A4 landscape: {info}");

    let text = run("pdftotext", "poppler-utils", &[pdf_arg, "-"]);
    let png_root = dir.join(name);
    run(
        "pdftoppm",
        "poppler-utils",
        &[
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf_arg,
            png_root.to_str().unwrap(),
        ],
    );
    let png = png_root.with_extension("png");
    assert!(png.exists(), "{} was written", png.display());
    (text, pdf_path)
}

/// Decodes the QR code from a sharper rendering than the 60 dpi preview, when zbar is there.
fn check_qr(pdf: &Path, name: &str) {
    if !has("zbarimg") {
        eprintln!("zbarimg not found (apt install zbar-tools): QR read only by the unit test");
        return;
    }
    let png_root = pdf.with_file_name(format!("{name}-qr"));
    let pdf_arg = pdf.to_str().unwrap();
    let root_arg = png_root.to_str().unwrap();
    run(
        "pdftoppm",
        "poppler-utils",
        &["-png", "-r", "150", "-singlefile", pdf_arg, root_arg],
    );
    let png = png_root.with_extension("png");
    let decoded = run(
        "zbarimg",
        "zbar-tools",
        &["--quiet", "--raw", png.to_str().unwrap()],
    );
    assert_eq!(decoded.trim(), URL);
}

#[test]
fn the_arabic_certificate_reads_back_in_logical_order() {
    let (text, pdf) = render_and_read(Lang::Ar, "certificate-ar");
    assert!(text.contains("فاطمة الزهراء بنعلي"), "{text}");
    assert!(text.contains("شهادة حضور"), "{text}");
    assert!(text.contains("مجلس جهة سوس ماسة"), "{text}");
    // pdftotext wraps a number inside Arabic in U+202A … U+202C and moves the space next to it
    // into that embedding (" 3" then "أيام"), whatever the PDF says; compare without both.
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !('\u{202A}'..='\u{202E}').contains(c))
        .collect();
    assert!(
        squeezed.contains("3أيام"),
        "three days, Arabic plural: {text}"
    );
    assert!(squeezed.contains("من3دجنبر2026إلى5دجنبر2026"), "{text}");
    assert!(text.contains(CODE), "{text}");
    assert!(text.contains(URL), "{text}");
    check_qr(&pdf, "certificate-ar");
}

#[test]
fn the_french_certificate_reads_back() {
    let (text, pdf) = render_and_read(Lang::Fr, "certificate-fr");
    assert!(text.contains("Fatima Zahra Benali"), "{text}");
    assert!(text.contains("Attestation de présence"), "{text}");
    assert!(
        text.contains("du 3 décembre 2026 au 5 décembre 2026"),
        "{text}"
    );
    assert!(text.contains("3 jours"), "{text}");
    assert!(text.contains(CODE), "{text}");
    assert!(text.contains(URL), "{text}");
    check_qr(&pdf, "certificate-fr");
}

/// Every word's box from `pdftotext -bbox`: (xMin, yMin, xMax, yMax).
fn word_boxes(pdf: &Path) -> Vec<[f32; 4]> {
    let html = run(
        "pdftotext",
        "poppler-utils",
        &["-bbox", pdf.to_str().unwrap(), "-"],
    );
    html.lines()
        .filter(|line| line.trim_start().starts_with("<word "))
        .map(|line| {
            ["xMin", "yMin", "xMax", "yMax"].map(|name| {
                let rest = &line[line.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            })
        })
        .collect()
}

#[test]
fn long_names_and_titles_stay_inside_the_border() {
    for lang in Lang::ALL {
        let mut doc = certificate(lang);
        doc.holder_name = format!("{0} {0} {0}", doc.holder_name);
        doc.program_title = format!("{0} — {0}", doc.program_title);
        doc.session_title = format!("{0} — {0}", doc.session_title);
        let pdf = render(&doc).expect("the certificate renders");
        let path = out_dir().join(format!("certificate-long-{}.pdf", lang.code()));
        std::fs::write(&path, &pdf).expect("write the PDF");
        let boxes = word_boxes(&path);
        assert!(boxes.len() > 30, "{} words", boxes.len());
        // The inner border is 25 pt from each edge of the 842 × 595 page.
        for [x0, y0, x1, y1] in boxes {
            assert!(
                x0 > 25.0 && x1 < 817.0,
                "{lang:?}: word from x {x0} to {x1}"
            );
            assert!(
                y0 > 25.0 && y1 < 570.0,
                "{lang:?}: word from y {y0} to {y1}"
            );
        }
    }
}

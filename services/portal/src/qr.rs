//! QR codes of the portal's links: the certificate's verification URL (drawn into its PDF) and
//! the venue screen's check-in link (drawn as inline SVG, so the page needs no script and no
//! image request).

use anyhow::anyhow;
use qrcode::{EcLevel, QrCode};

/// The width in modules of `url`'s QR code and its dark modules as (column, row).
pub fn modules(url: &str) -> anyhow::Result<(usize, Vec<(usize, usize)>)> {
    // Medium error correction: still readable from a creased or stamped paper copy, or a
    // projector's washed-out screen.
    let code = QrCode::with_error_correction_level(url, EcLevel::M)
        .map_err(|e| anyhow!("QR code of {url}: {e}"))?;
    let width = code.width();
    let dark = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == qrcode::Color::Dark)
        .map(|(i, _)| (i % width, i / width))
        .collect();
    Ok((width, dark))
}

/// Modules of quiet zone around the code, as the standard asks.
const QUIET: usize = 4;

/// `url`'s QR code as an SVG element labelled `label`: one path of unit squares in a viewBox,
/// so it scales to any size without blurring.
pub fn svg(url: &str, label: &str) -> anyhow::Result<String> {
    let (width, dark) = modules(url)?;
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(dark.len() * 12);
    for (x, y) in dark {
        path.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
    }
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 {size} {size}\" \
         role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_holds_every_dark_module_and_an_escaped_label() {
        let url = "https://portal.example/ar/training/sessions/s1/check-in?code=123456";
        let (width, dark) = modules(url).unwrap();
        let svg = svg(url, "a <b> & \"c\"").unwrap();
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", width + 8)));
        assert_eq!(svg.matches("h1v1h-1z").count(), dark.len());
        assert!(svg.contains("aria-label=\"a &lt;b> &amp; &quot;c&quot;\""));
    }
}

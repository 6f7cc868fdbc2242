//! QR codes drawn by the server as SVG: the volunteer's pairing code, for a household's
//! camera. The `qrcode` crate makes the modules; this draws them as one path with a
//! quiet zone, with no script and no style attribute (the pages' CSP allows neither).

use qrcode::{Color, EcLevel, QrCode};

/// The quiet zone the QR standard asks for around the code, in modules.
const QUIET: usize = 4;

/// An SVG of `text` as a QR code (error correction M: a screen with a crack or glare
/// still reads), or an empty string if the text is too long for any QR code.
pub fn svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>",
        px = size * 5
    )
}

/// The modules of `text`'s QR code, dark as true, row by row: what the SVG draws, for
/// tests that read it back.
pub fn modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some((
        code.width(),
        code.to_colors().iter().map(|c| *c == Color::Dark).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawing_has_every_dark_module_and_nothing_a_page_would_refuse() {
        let text = "https://hocso.example/me?pair=ABCDEFGHJK";
        let drawn = svg(text);
        let (width, dark) = modules(text).unwrap();
        assert_eq!(
            drawn.matches('M').count(),
            dark.iter().filter(|d| **d).count()
        );
        assert!(drawn.contains(&format!("viewBox=\"0 0 {0} {0}\"", width + 8)));
        assert!(!drawn.contains("style") && !drawn.contains("script"));
        assert!(drawn.starts_with("<svg"));
    }
}

//! What a file is, told by its bytes (magic numbers and, for office documents, the zip's own
//! declaration), never by its name: a program renamed `report.pdf` is still not a PDF.

/// The types the platform knows how to recognise, by their MIME name.
pub const PDF: &str = "application/pdf";
pub const PNG: &str = "image/png";
pub const JPEG: &str = "image/jpeg";
pub const ODT: &str = "application/vnd.oasis.opendocument.text";
pub const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";
pub const ODP: &str = "application/vnd.oasis.opendocument.presentation";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

/// Every type [`sniff`] can answer.
pub const KNOWN: &[&str] = &[PDF, PNG, JPEG, ODT, ODS, ODP, DOCX, XLSX, PPTX];

/// The MIME type of `content`, or `None` when it is none of [`KNOWN`].
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    if content.starts_with(b"%PDF-") {
        Some(PDF)
    } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PNG)
    } else if content.starts_with(b"\xff\xd8\xff") {
        Some(JPEG)
    } else if content.starts_with(b"PK\x03\x04") {
        open_document(content).or_else(|| office_open_xml(content))
    } else {
        None
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2)
        .map(|s| usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4)
        .and_then(|s| usize::try_from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok())
}

/// OpenDocument: the zip's first entry is `mimetype`, stored uncompressed, holding the type.
fn open_document(b: &[u8]) -> Option<&'static str> {
    let method = u16_at(b, 8)?;
    let size = u32_at(b, 18)?;
    let name_len = u16_at(b, 26)?;
    let extra_len = u16_at(b, 28)?;
    if method != 0 || b.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    let declared = b.get(start..start + size)?;
    [ODT, ODS, ODP]
        .into_iter()
        .find(|t| declared == t.as_bytes())
}

/// Office Open XML: the zip's central directory lists `[Content_Types].xml` and the part that
/// makes it a document, a workbook or a presentation.
fn office_open_xml(b: &[u8]) -> Option<&'static str> {
    let names = central_directory_names(b)?;
    let has = |n: &str| names.contains(&n.as_bytes());
    if !has("[Content_Types].xml") {
        return None;
    }
    [
        ("word/document.xml", DOCX),
        ("xl/workbook.xml", XLSX),
        ("ppt/presentation.xml", PPTX),
    ]
    .into_iter()
    .find(|(part, _)| has(part))
    .map(|(_, t)| t)
}

/// The entry names of a zip's central directory, found from its end record (searched in the
/// last 64 KiB + 22 bytes, the most a comment allows).
fn central_directory_names(b: &[u8]) -> Option<Vec<&[u8]>> {
    let floor = b.len().saturating_sub(65_535 + 22);
    let end = (floor..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..].starts_with(b"PK\x05\x06"))?;
    let entries = u16_at(b, end + 10)?;
    let mut at = u32_at(b, end + 16)?;
    let mut names = Vec::with_capacity(entries.min(1024));
    for _ in 0..entries.min(1024) {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = u16_at(b, at + 28)?;
        let extra_len = u16_at(b, at + 30)?;
        let comment_len = u16_at(b, at + 32)?;
        names.push(b.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stored (uncompressed) zip holding `entries`, as an archiver writes it.
    pub(crate) fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let offset = out.len() as u32;
            let mut local = b"PK\x03\x04".to_vec();
            local.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            local.extend((data.len() as u32).to_le_bytes());
            local.extend((data.len() as u32).to_le_bytes());
            local.extend((name.len() as u16).to_le_bytes());
            local.extend([0, 0]);
            local.extend(name.as_bytes());
            local.extend(*data);
            out.extend(local);
            let mut c = b"PK\x01\x02".to_vec();
            c.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            c.extend((data.len() as u32).to_le_bytes());
            c.extend((data.len() as u32).to_le_bytes());
            c.extend((name.len() as u16).to_le_bytes());
            c.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            c.extend(offset.to_le_bytes());
            c.extend(name.as_bytes());
            central.extend(c);
        }
        let (cd_offset, cd_len) = (out.len() as u32, central.len() as u32);
        out.extend(central);
        out.extend(b"PK\x05\x06\0\0\0\0");
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend(cd_len.to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn magic_numbers_tell_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n%..."), Some(PDF));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(PNG));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), Some(JPEG));
    }

    #[test]
    fn a_disguised_file_is_not_what_its_name_says() {
        assert_eq!(sniff(b"MZ\x90\0 a Windows program"), None);
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"%PD"), None);
    }

    #[test]
    fn open_documents_declare_their_type_first() {
        let odt = zip(&[("mimetype", ODT.as_bytes()), ("content.xml", b"<x/>")]);
        assert_eq!(sniff(&odt), Some(ODT));
        let ods = zip(&[("mimetype", ODS.as_bytes())]);
        assert_eq!(sniff(&ods), Some(ODS));
        let other = zip(&[("mimetype", b"application/epub+zip")]);
        assert_eq!(sniff(&other), None);
    }

    #[test]
    fn office_documents_are_told_by_their_parts() {
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff(&docx), Some(DOCX));
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(sniff(&xlsx), Some(XLSX));
        let plain_zip = zip(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(sniff(&plain_zip), None, "no [Content_Types].xml: any zip");
        let truncated = &docx[..docx.len() - 10];
        assert_eq!(sniff(truncated), None);
    }
}

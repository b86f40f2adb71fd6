//! Printable documents as PDF (A4, the base-14 Helvetica fonts: no font file to ship):
//! the back office's letters and a request's acknowledgement of receipt.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// A line of text: its size in points, whether it is bold, its text (empty: a blank line),
/// and, for a line that must sit at a given height (an address in an envelope's window),
/// that height.
pub struct Line {
    pub size: f32,
    pub bold: bool,
    pub text: String,
    pub at: Option<f32>,
}

impl Line {
    pub fn new(size: f32, bold: bool, text: impl Into<String>) -> Self {
        Line {
            size,
            bold,
            text: text.into(),
            at: None,
        }
    }
}

const TOP: f32 = 780.0;
const BOTTOM: f32 = 60.0;
const LEFT: f32 = 60.0;

/// Lines flowed onto as many pages as they need, each long line cut at spaces to fit the
/// width.
pub fn flow(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut pages = vec![Vec::new()];
    let mut y = TOP;
    for line in lines {
        // About 95 characters of 10-point Helvetica fit in the width between the margins.
        let width = (950.0 / line.size) as usize;
        for text in wrap(&line.text, width.max(20)) {
            if y < BOTTOM {
                pages.push(Vec::new());
                y = TOP;
            }
            y -= line.size + 5.0;
            if let Some(page) = pages.last_mut() {
                page.push(Line::new(line.size, line.bold, text));
            }
        }
    }
    pages
}

/// Text as the base-14 fonts read it (WinAnsiEncoding): Latin-1 as is, the typographic
/// quotes and dashes at their Windows-1252 places, anything else as `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{20ac}' => 0x80,
            _ => b'?',
        })
        .collect()
}

/// Cuts a paragraph into lines of at most `width` characters, at spaces (a word longer than
/// the width is cut too). An empty paragraph is one blank line.
pub fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The pages as one PDF.
pub fn render(pages: &[Vec<Line>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let (regular_name, bold_name) = (Name(b"F1"), Name(b"F2"));
    let mut next = 5;
    let mut refs = Vec::new();
    for lines in pages {
        let (page, content) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        refs.push(page);
        let mut page_writer = pdf.page(page);
        page_writer
            .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(tree)
            .contents(content);
        page_writer
            .resources()
            .fonts()
            .pair(regular_name, regular)
            .pair(bold_name, bold);
        page_writer.finish();
        let mut text = Content::new();
        text.begin_text();
        let mut y = TOP;
        for line in lines {
            if let Some(at) = line.at {
                y = at;
            }
            if !line.text.is_empty() {
                text.set_font(if line.bold { bold_name } else { regular_name }, line.size);
                text.set_text_matrix([1.0, 0.0, 0.0, 1.0, LEFT, y]);
                text.show(Str(&win_ansi(&line.text)));
            }
            y -= line.size + 5.0;
        }
        text.end_text();
        pdf.stream(content, &text.finish());
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(refs.iter().copied())
        .count(refs.len() as i32);
    for (id, font) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(font))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_written_in_win_ansi_and_wrapped() {
        assert_eq!(win_ansi("é’€☃"), vec![0xe9, 0x92, 0x80, b'?']);
        assert_eq!(wrap("un deux trois", 8), ["un deux", "trois"]);
        assert_eq!(wrap("", 8), [""]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn long_documents_flow_onto_more_pages() {
        let lines = (0..200)
            .map(|i| Line::new(10.0, false, format!("ligne {i}")))
            .collect();
        let pages = flow(lines);
        assert!(pages.len() >= 3, "{}", pages.len());
        assert_eq!(pages.iter().map(Vec::len).sum::<usize>(), 200);
        let pdf = String::from_utf8_lossy(&render(&pages)).to_string();
        assert!(pdf.contains("(ligne 199)"));
    }
}

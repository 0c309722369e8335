//! PDF documents drawn with krilla (the typst developers' PDF writer: it
//! shapes the text and embeds each font once per document, subset to the
//! glyphs used) in DejaVu Sans Condensed, regular and bold, whose bytes
//! come from the `dejavu` crate: the binary needs no font on the machine.
//!
//! Layout is a small cursor: a page is a list of drawing operations laid
//! top to bottom in points (A4, origin at the top left, y down), text
//! wrapped at spaces to a column's width as measured from the font's own
//! advances (skrifa, krilla's font reader). The operations are laid out
//! first and drawn after, so a block that does not fit starts a new page
//! without the layout holding krilla's borrowed page and surface.

mod receipt;

pub use receipt::receipts;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.276;
pub const PAGE_HEIGHT: f32 = 841.89;
/// 12 mm, as the printable page's `@page` margin.
pub const MARGIN: f32 = 34.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.22;
/// Room inside a table cell around its text.
const CELL_PAD_X: f32 = 2.0;
const CELL_PAD_Y: f32 = 1.6;
const THIN: f32 = 0.5;

/// One face: what krilla embeds, and its glyph advances to measure text.
struct Face {
    font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> anyhow::Result<Self> {
        let font = Font::new(data.into(), 0)
            .ok_or_else(|| anyhow::anyhow!("the embedded font cannot be read"))?;
        let reader = FontRef::new(data)?;
        Ok(Face {
            units_per_em: font.units_per_em(),
            font,
            charmap: reader.charmap(),
            metrics: reader.glyph_metrics(Size::unscaled(), LocationRef::default()),
        })
    }

    /// The width of `text` on one line at `size` points (kerning left
    /// out: a fraction of a point at most, inside the cells' padding).
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                let glyph = self.charmap.map(c).unwrap_or(GlyphId::NOTDEF);
                self.metrics.advance_width(glyph).unwrap_or(0.0)
            })
            .sum();
        units * size / self.units_per_em
    }
}

/// The document's two faces, read once per document.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub fn new() -> anyhow::Result<Self> {
        Ok(Fonts {
            regular: Face::new(dejavu::sans_condensed::regular())?,
            bold: Face::new(dejavu::sans_condensed::bold())?,
        })
    }

    fn face(&self, style: Style) -> &Face {
        if style.bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// The width of `text` in `style`.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.face(style).width(text, style.size)
    }

    /// `text` broken into lines no wider than `width`: at spaces (a
    /// non-breaking space, as inside a figure, never breaks), and inside
    /// a word only when the word alone is wider. An empty text is no line.
    pub fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = match line.is_empty() {
                    true => word.to_owned(),
                    false => format!("{line} {word}"),
                };
                if self.width(&candidate, style) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column is cut where it must be.
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, style) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }
}

/// A font size and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
}

impl Style {
    pub const fn regular(size: f32) -> Self {
        Style { size, bold: false }
    }

    pub const fn bold(size: f32) -> Self {
        Style { size, bold: true }
    }

    pub fn line_height(self) -> f32 {
        self.size * LEADING
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: where it starts, how wide it is, how its text sits.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub x: f32,
    pub width: f32,
    pub align: Align,
}

/// Columns side by side from `x`, of the widths given.
pub fn columns(x: f32, specs: &[(f32, Align)]) -> Vec<Column> {
    let mut left = x;
    specs
        .iter()
        .map(|&(width, align)| {
            let column = Column {
                x: left,
                width,
                align,
            };
            left += width;
            column
        })
        .collect()
}

/// A table cell: its text and how many columns it spans.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub text: &'a str,
    pub span: usize,
}

impl<'a> Cell<'a> {
    pub fn one(text: &'a str) -> Self {
        Cell { text, span: 1 }
    }

    pub fn spanning(text: &'a str, span: usize) -> Self {
        Cell { text, span }
    }
}

/// A cell laid on its columns: text, x, width, alignment.
type Span<'a> = (&'a str, f32, f32, Align);

/// Where each cell goes: the columns it spans, from the first.
fn spans<'a>(columns: &[Column], cells: &[Cell<'a>]) -> Vec<Span<'a>> {
    let mut spans = Vec::with_capacity(cells.len());
    let mut first = 0;
    for cell in cells {
        let last = (first + cell.span.max(1))
            .min(columns.len())
            .saturating_sub(1);
        let (Some(start), Some(end)) = (columns.get(first), columns.get(last)) else {
            break;
        };
        // A spanning cell sits as its first column does (the label of a
        // total under the services' names).
        spans.push((cell.text, start.x, end.x + end.width - start.x, start.align));
        first = last + 1;
    }
    spans
}

/// The room for text in a cell `width` wide.
fn cell_width(width: f32) -> f32 {
    (width - 2.0 * CELL_PAD_X).max(1.0)
}

/// What a page draws.
#[derive(Debug, Clone)]
enum Op {
    /// `text` with its baseline at (x, y).
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    /// A thin line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
    /// Black filled rectangles (a QR code's modules).
    Squares(Vec<Rect>),
}

/// Pages laid out with a cursor `y`: the top of what comes next.
pub struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    pub y: f32,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// The page being laid out (`pages` is never empty).
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Whether `height` more fits on this page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= PAGE_HEIGHT - MARGIN
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page when `height` more does not fit on this one (a
    /// block taller than a page starts one and runs off its foot).
    pub fn keep(&mut self, height: f32) {
        if !self.fits(height) && self.y > MARGIN {
            self.new_page();
        }
    }

    /// One line of `text` whose box starts at `top`.
    pub fn text_at(&mut self, x: f32, top: f32, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        // The baseline: DejaVu's ascender is 0.93 em, centred in the line.
        let baseline = top + style.size * (0.93 + (LEADING - 1.16) / 2.0);
        self.ops().push(Op::Text {
            x,
            y: baseline,
            style,
            text: text.to_owned(),
        });
    }

    /// `text` wrapped to `width` from (x, top), aligned in that width;
    /// answers the height it took.
    pub fn block_at(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        align: Align,
        style: Style,
        text: &str,
    ) -> f32 {
        let lines = self.fonts.wrap(text, style, width);
        let height = style.line_height();
        for (i, line) in lines.iter().enumerate() {
            let left = match align {
                Align::Left => x,
                Align::Right => x + width - self.fonts.width(line, style),
            };
            self.text_at(left, top + i as f32 * height, style, line);
        }
        lines.len() as f32 * height
    }

    /// A paragraph across `width` from `x` at the cursor, on the next page
    /// when it does not fit this one.
    pub fn paragraph(&mut self, x: f32, width: f32, style: Style, text: &str) {
        let lines = self.fonts.wrap(text, style, width).len();
        self.keep(lines as f32 * style.line_height());
        let top = self.y;
        self.y += self.block_at(x, top, width, Align::Left, style, text);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.ops().push(Op::Line { x1, y1, x2, y2 });
    }

    /// A line across the content at the cursor.
    pub fn rule(&mut self) {
        let y = self.y;
        self.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y);
    }

    /// A table row at the cursor: each cell's text wrapped in its columns'
    /// width, the row as tall as its tallest cell, framed when `framed`.
    /// Moves to the next page first when the row does not fit.
    pub fn row(&mut self, columns: &[Column], cells: &[Cell], style: Style, framed: bool) {
        let spans = spans(columns, cells);
        let height = self.row_height(&spans, style);
        self.keep(height);
        let top = self.y;
        for &(text, x, width, align) in &spans {
            self.block_at(
                x + CELL_PAD_X,
                top + CELL_PAD_Y,
                cell_width(width),
                align,
                style,
                text,
            );
        }
        if framed && let (Some(first), Some(last)) = (columns.first(), columns.last()) {
            let (left, right) = (first.x, last.x + last.width);
            self.line(left, top, right, top);
            self.line(left, top + height, right, top + height);
            self.line(left, top, left, top + height);
            for &(_, x, width, _) in &spans {
                self.line(x + width, top, x + width, top + height);
            }
        }
        self.y = top + height;
    }

    /// The height of a row of `cells` (see [`Layout::row`]).
    pub fn height_of_row(&self, columns: &[Column], cells: &[Cell], style: Style) -> f32 {
        self.row_height(&spans(columns, cells), style)
    }

    fn row_height(&self, spans: &[Span], style: Style) -> f32 {
        let lines = spans
            .iter()
            .map(|&(text, _, width, _)| self.fonts.wrap(text, style, cell_width(width)).len())
            .max()
            .unwrap_or(0)
            .max(1);
        lines as f32 * style.line_height() + 2.0 * CELL_PAD_Y
    }

    /// Black filled rectangles.
    pub fn squares(&mut self, rects: Vec<Rect>) {
        self.ops().push(Op::Squares(rects));
    }

    /// The pages laid out, for [`draw`].
    fn finish(self) -> Vec<Vec<Op>> {
        self.pages
    }
}

/// Draws laid-out pages into `document`.
fn draw(document: &mut Document, fonts: &Fonts, pages: Vec<Vec<Op>>) {
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT);
    for ops in pages {
        let mut page = match settings.clone() {
            Some(settings) => document.start_page_with(settings),
            None => document.start_page(),
        };
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, y, style, text } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_text(
                        Point::from_xy(x, y),
                        fonts.face(style).font.clone(),
                        style.size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Line { x1, y1, x2, y2 } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x1, y1);
                    path.line_to(x2, y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: THIN,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Squares(rects) => {
                    let mut path = PathBuilder::new();
                    for rect in rects {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
}

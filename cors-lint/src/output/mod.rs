//! The three output formats: text for people, JSON for scripts, SARIF for code scanning.

mod json;
mod sarif;
mod text;

use crate::rules::Finding;

/// An output format, as `--format` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// For people: each finding with what happens in the browser and the fix.
    #[default]
    Text,
    /// One JSON array of findings (`rule`, `severity`, `file`, `resource`, `path`, `line`,
    /// `message`, `fix`).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

impl OutputFormat {
    /// The format named `name` (`text`, `json`, `sarif`).
    ///
    /// ```
    /// use cors_lint::OutputFormat;
    /// assert_eq!(OutputFormat::from_name("sarif"), Some(OutputFormat::Sarif));
    /// assert_eq!(OutputFormat::from_name("xml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        match name {
            "text" => Some(OutputFormat::Text),
            "json" => Some(OutputFormat::Json),
            "sarif" => Some(OutputFormat::Sarif),
            _ => None,
        }
    }
}

/// Renders findings (suppressed ones included: text and JSON leave them out but count them,
/// SARIF lists them as suppressed).
///
/// ```
/// use cors_lint::{InputKind, Options, OutputFormat, lint_text, render};
///
/// let findings = lint_text("Resources: {}", "template.yaml", InputKind::Auto, &Options::default())?;
/// assert_eq!(render(&findings, OutputFormat::Json), "[]\n");
/// # Ok::<(), cors_lint::ReadError>(())
/// ```
pub fn render(findings: &[Finding], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => text::render(findings),
        OutputFormat::Json => json::render(findings),
        OutputFormat::Sarif => sarif::render(findings),
    }
}

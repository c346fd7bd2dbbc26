//! Reading an input (a file, a directory of `.tf` files, a Terraform plan on stdin) into the
//! [`Model`]: one module per format, and the format told from the content.

pub(crate) mod cloudformation;
pub(crate) mod cloudfront;
pub(crate) mod intrinsics;
pub(crate) mod json;
pub(crate) mod openapi;
pub(crate) mod serverless;
pub(crate) mod suppress;
pub(crate) mod terraform;
pub(crate) mod yaml;

use std::fmt;
use std::path::Path;

use crate::model::Model;
use crate::tree::Node;

/// An input that cannot be read: the file, the position when there is one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The file (or `-` for standard input).
    pub file: String,
    /// The line, 1-based.
    pub line: Option<u32>,
    /// The column, 1-based.
    pub column: Option<u32>,
    /// What is wrong, and how to fix it where that is clear.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ReadError {}

/// What an input is, when the content alone cannot say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Told from the file name and content.
    #[default]
    Auto,
    /// A Terraform plan as `terraform show -json` prints it.
    TerraformPlan,
}

/// Reads a file or a directory (of Terraform `.tf` files).
pub fn read_path(path: &Path, kind: InputKind) -> Result<Model, ReadError> {
    let file = path.display().to_string();
    let error = |message: String| ReadError {
        file: file.clone(),
        line: None,
        column: None,
        message,
    };
    if path.is_dir() {
        return terraform::read_dir(path);
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read it: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ReadError {
            file: file.clone(),
            line: Some(valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1),
            column: None,
            message: "is not UTF-8 text".to_owned(),
        }
    })?;
    if kind == InputKind::Auto && path.extension().is_some_and(|e| e == "tf") {
        return terraform::read_files(&[(file, text)]);
    }
    read_text(&text, &file, kind)
}

/// Reads the text of a template, `serverless.yml` or Terraform plan named `file`.
pub fn read_text(text: &str, file: &str, kind: InputKind) -> Result<Model, ReadError> {
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let doc = if json {
        json::parse(text, file)?
    } else {
        yaml::parse(text, file)?
    };
    if kind == InputKind::TerraformPlan || terraform::plan::is_plan(&doc) {
        if doc.get("planned_values").is_none() && doc.get("configuration").is_none() {
            return Err(not_known(file, "a Terraform plan without `planned_values`"));
        }
        return Ok(terraform::plan::read(&doc, file));
    }
    let mut model = if serverless::is_serverless(&doc) {
        serverless::read(&doc, file)
    } else if cloudformation::is_template(&doc) {
        let cdk = file.ends_with(".template.json") || file.contains("cdk.out");
        cloudformation::read(&doc, file, cdk)
    } else {
        return Err(not_known(file, &describe(&doc)));
    };
    if !json {
        model
            .suppressions
            .extend(suppress::from_comments(text, file));
    }
    Ok(model)
}

fn describe(doc: &Node) -> String {
    let keys: Vec<&str> = doc
        .entries()
        .iter()
        .take(5)
        .map(|(k, _)| k.name.as_str())
        .collect();
    if keys.is_empty() {
        "no mapping at the top".to_owned()
    } else {
        format!("top-level keys {}", keys.join(", "))
    }
}

fn not_known(file: &str, what: &str) -> ReadError {
    ReadError {
        file: file.to_owned(),
        line: Some(1),
        column: Some(1),
        message: format!(
            "not an input cors-lint reads ({what}): expected a CloudFormation or SAM template \
             (`Resources`), a CDK `*.template.json`, a `serverless.yml` (`service`, \
             `functions`), Terraform `.tf` files or a directory of them, or a Terraform plan \
             (`terraform show -json plan.tfplan | cors-lint --terraform-plan -`)"
        ),
    }
}

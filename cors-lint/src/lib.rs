//! `cors-lint` checks a deploy template for CORS set up in front of a Lambda function that does
//! its own (with [`cors-runtime`](https://docs.rs/cors-runtime)'s `#[cors]` or any other way):
//! a gateway or Function URL CORS setting, preflights refused by an authorizer or by a missing
//! route, gateway responses reflecting `Origin`, CloudFront caching without `Origin` in its
//! key, and an `ALLOWED_ORIGINS` the function would refuse at cold start.
//!
//! It reads AWS SAM and CloudFormation templates (YAML with `!Ref`-style tags, or JSON), CDK's
//! `cdk.out/*.template.json`, Terraform `.tf` files and plans, and `serverless.yml`, into one
//! model of the gateways in front of the functions, and runs every [`Rule`] on it. The binary
//! of the same name is the usual way to run it; this library is what it calls.
//!
//! ```
//! use cors_lint::{InputKind, Options, Rule, Severity, lint_text};
//!
//! let template = r#"
//! Transform: AWS::Serverless-2016-10-31
//! Resources:
//!   Api:
//!     Type: AWS::Serverless::HttpApi
//!     Properties:
//!       CorsConfiguration: {AllowOrigins: ["https://app.example.com"]}
//!   Handler:
//!     Type: AWS::Serverless::Function
//!     Properties:
//!       Events:
//!         Everything: {Type: HttpApi, Properties: {ApiId: !Ref Api}}
//! "#;
//! let findings = lint_text(template, "template.yaml", InputKind::Auto, &Options::default())?;
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule, Rule::GatewayCorsConfig);
//! assert_eq!(findings[0].severity, Severity::Error);
//! assert_eq!(findings[0].place.line, Some(7));
//! # Ok::<(), cors_lint::ReadError>(())
//! ```

#![warn(missing_docs)]

mod model;
mod output;
mod read;
mod rules;
mod tree;

use std::path::Path;

pub use model::Place;
pub use output::{OutputFormat, render};
pub use read::{InputKind, ReadError};
pub use rules::{Finding, Options, Rule, Severity};

/// Lints a file, or a directory of Terraform `.tf` files.
///
/// ```
/// use cors_lint::{InputKind, Options, lint_path};
///
/// let dir = std::env::temp_dir().join(format!("cors-lint-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(
///     dir.join("url.tf"),
///     "resource \"aws_lambda_function_url\" \"api\" {\n  function_name = \"api\"\n  \
///      authorization_type = \"NONE\"\n  cors {\n    allow_origins = [\"*\"]\n  }\n}\n",
/// )
/// .unwrap();
/// let findings = lint_path(&dir, InputKind::Auto, &Options::default())?;
/// assert_eq!(findings[0].rule.id(), "gateway-cors-config");
/// assert_eq!(findings[0].place.resource, "aws_lambda_function_url.api");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), cors_lint::ReadError>(())
/// ```
pub fn lint_path(
    path: &Path,
    kind: InputKind,
    options: &Options,
) -> Result<Vec<Finding>, ReadError> {
    let model = read::read_path(path, kind)?;
    Ok(rules::check(&model, options))
}

/// Lints the text of a template, `serverless.yml` or Terraform plan; `file` names it in
/// findings.
///
/// ```
/// use cors_lint::{InputKind, Options, lint_text};
///
/// let err = lint_text("Resources: [", "template.yaml", InputKind::Auto, &Options::default())
///     .unwrap_err();
/// assert_eq!(err.file, "template.yaml");
/// assert!(err.line.is_some(), "{err}");
/// ```
pub fn lint_text(
    text: &str,
    file: &str,
    kind: InputKind,
    options: &Options,
) -> Result<Vec<Finding>, ReadError> {
    let model = read::read_text(text, file, kind)?;
    Ok(rules::check(&model, options))
}

/// The exit status for these findings: 1 when one is a warning or an error and not
/// suppressed, else 0. (2, for input that cannot be read, is the binary's.)
///
/// ```
/// assert_eq!(cors_lint::exit_status(&[]), 0);
/// ```
pub fn exit_status(findings: &[Finding]) -> i32 {
    let failing = findings
        .iter()
        .any(|f| f.suppressed.is_none() && f.severity >= Severity::Warning);
    i32::from(failing)
}

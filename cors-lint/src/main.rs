//! The `cors-lint` command: reads the inputs, prints the findings, exits 0, 1 or 2.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command, value_parser};
use cors_lint::{Finding, InputKind, Options, OutputFormat, ReadError, Rule, lint_path, lint_text};

const ABOUT: &str = "Checks deploy templates for CORS set up in front of a Lambda function that \
                     does its own CORS (cors-runtime's #[cors], or any other way).";

const AFTER_HELP: &str = "\
Inputs:
  template.yaml | template.json      AWS SAM (before the transform) or CloudFormation
  cdk.out/MyStack.template.json      CDK, as `cdk synth` writes it
  infra/ | main.tf                   Terraform: a directory of .tf files, or one file
  serverless.yml                     Serverless Framework (http / httpApi events)
  --terraform-plan plan.json | -     `terraform show -json plan.tfplan` output (- is stdin)

Rules:
  gateway-cors-config          CORS configured at the gateway or Function URL as well
  preflight-authorized         an authorizer, API key or IAM auth on OPTIONS
  preflight-unrouted           PUT/PATCH/DELETE/... with no OPTIONS or ANY route to the function
  gateway-response-origin      REST gateway responses reflecting Origin, or without CORS headers
  cdn-origin-not-in-cache-key  CloudFront caching without Origin in the key, or refusing OPTIONS
  allowed-origins-entry        ALLOWED_ORIGINS that the function would refuse at cold start

Suppress one finding with a reason, on its line or the line above it:
  # cors-lint-ignore gateway-cors-config: this API is public and sends no credentials
or, on a CloudFormation/CDK resource:
  Metadata: {cors-lint: {ignore: {gateway-cors-config: \"public, no credentials\"}}}

Exit status: 0 no finding at warning or above, 1 findings, 2 an input that cannot be read.

Examples:
  cors-lint template.yaml
  cors-lint --function ApiFunction --credentials yes template.yaml
  terraform show -json plan.tfplan | cors-lint --terraform-plan -
  cors-lint --format sarif infra/ > cors-lint.sarif";

fn command() -> Command {
    Command::new("cors-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER_HELP)
        .arg(
            Arg::new("inputs")
                .value_name("INPUT")
                .help("Templates, serverless.yml, .tf files or directories of them; - is stdin")
                .required(true)
                .num_args(1..)
                .value_parser(value_parser!(std::path::PathBuf)),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .help("Output: text (default), json (one array of findings), sarif (2.1.0)")
                .value_parser(["text", "json", "sarif"])
                .default_value("text"),
        )
        .arg(
            Arg::new("terraform-plan")
                .long("terraform-plan")
                .help("Read the inputs as `terraform show -json` plans")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("function")
                .long("function")
                .value_name("ID")
                .help(
                    "Check only what is in front of this function (logical id, Terraform \
                     address or Serverless name): the ones that use cors-runtime; repeatable",
                )
                .action(ArgAction::Append),
        )
        .arg(
            Arg::new("origins-env")
                .long("origins-env")
                .value_name("NAME")
                .help(
                    "Also check this variable like ALLOWED_ORIGINS (your origins_env); repeatable",
                )
                .action(ArgAction::Append),
        )
        .arg(
            Arg::new("credentials")
                .long("credentials")
                .value_name("yes|no")
                .help(
                    "Whether the functions' policies allow credentials (#[cors(..., \
                     credentials)]): `*` and http:// origins are then errors (yes) or fine \
                     (no); unset, they are notes",
                )
                .value_parser(["yes", "no"]),
        )
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let format = matches
        .get_one::<String>("format")
        .and_then(|f| OutputFormat::from_name(f))
        .unwrap_or_default();
    let kind = if matches.get_flag("terraform-plan") {
        InputKind::TerraformPlan
    } else {
        InputKind::Auto
    };
    let strings = |name: &str| -> Vec<String> {
        matches
            .get_many::<String>(name)
            .map(|values| values.cloned().collect())
            .unwrap_or_default()
    };
    let options = Options {
        functions: strings("function"),
        origins_env: strings("origins-env"),
        credentials: matches
            .get_one::<String>("credentials")
            .map(|value| value == "yes"),
    };

    let mut findings: Vec<Finding> = Vec::new();
    let mut unreadable = false;
    for input in matches
        .get_many::<std::path::PathBuf>("inputs")
        .into_iter()
        .flatten()
    {
        match lint(input, kind, &options) {
            Ok(found) => findings.extend(found),
            Err(err) => {
                eprintln!("cors-lint: error: {err}");
                unreadable = true;
            }
        }
    }
    let known = |id: &str| Rule::from_id(id).is_some();
    debug_assert!(known("gateway-cors-config"));
    let _ = std::io::stdout().write_all(cors_lint::render(&findings, format).as_bytes());
    if unreadable {
        ExitCode::from(2)
    } else {
        ExitCode::from(cors_lint::exit_status(&findings) as u8)
    }
}

fn lint(input: &Path, kind: InputKind, options: &Options) -> Result<Vec<Finding>, ReadError> {
    if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| ReadError {
                file: "<stdin>".to_owned(),
                line: None,
                column: None,
                message: format!("cannot read standard input as UTF-8 text: {e}"),
            })?;
        return lint_text(&text, "<stdin>", kind, options);
    }
    lint_path(input, kind, options)
}

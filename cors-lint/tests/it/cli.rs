//! The `cors-lint` command: exit status, output formats, `--function`, suppressions, stdin.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-lint"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cors-lint runs");
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cors-lint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const TEMPLATE: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    \
    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration: true\n  Fn:\n    \
    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        All:\n          \
    Type: HttpApi\n          Properties: {ApiId: !Ref Api}\n  Other:\n    \
    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n        \
    AuthType: NONE\n        Cors: {AllowOrigins: ['*']}\n";

#[test]
fn exit_status_text_and_json() {
    let file = write("template.yaml", TEMPLATE);
    let text = run(&[&file], None);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains(":6: error[gateway-cors-config] Api (Properties.CorsConfiguration)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: remove `CorsConfiguration`"),
        "{stdout}"
    );

    let json = run(&["--format", "json", &file], None);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for key in ["rule", "severity", "file", "resource", "message", "fix"] {
        assert!(findings[0][key].is_string(), "{key}: {}", findings[0]);
    }
    assert_eq!(findings[0]["line"], 6);

    let clean = write("clean.yaml", "Resources: {}\n");
    assert_eq!(run(&[&clean], None).status.code(), Some(0));
}

#[test]
fn function_filter_and_suppressions() {
    let file = write("filter.yaml", TEMPLATE);
    let only_fn = run(&["--format", "json", "--function", "Fn", &file], None);
    let findings: serde_json::Value = serde_json::from_slice(&only_fn.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings}");
    assert_eq!(findings[0]["resource"], "Api");

    let suppressed = TEMPLATE.replace(
        "      CorsConfiguration: true\n",
        "      # cors-lint-ignore gateway-cors-config: a public API, the function sets no CORS\n      CorsConfiguration: true\n",
    );
    let file = write("suppressed.yaml", &suppressed);
    let out = run(&["--format", "json", &file], None);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings}");
    let sarif = run(&["--format", "sarif", &file], None);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["suppressions"][0]["justification"],
        "a public API, the function sets no CORS"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );

    // Without a reason, the comment does not apply.
    let no_reason = TEMPLATE.replace(
        "      CorsConfiguration: true\n",
        "      CorsConfiguration: true # cors-lint-ignore gateway-cors-config\n",
    );
    let file = write("no-reason.yaml", &no_reason);
    assert_eq!(run(&[&file], None).status.code(), Some(1));

    // A resource's metadata.
    let metadata = TEMPLATE.replace(
        "  Other:\n    Type: AWS::Serverless::Function\n",
        "  Other:\n    Type: AWS::Serverless::Function\n    Metadata:\n      cors-lint:\n        ignore:\n          gateway-cors-config: this URL serves a public widget\n",
    );
    let file = write("metadata.yaml", &metadata);
    let out = run(&["--format", "json", &file], None);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 1, "{findings}");
}

#[test]
fn unreadable_input_exits_2_with_file_and_position() {
    let file = write("broken.yaml", "Resources:\n  A: [1, 2\n  B: c\n");
    let out = run(&[&file], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.yaml:"), "{stderr}");
    assert!(stderr.contains("not valid YAML"), "{stderr}");
    let missing = run(&["/no/such/template.yaml"], None);
    assert_eq!(missing.status.code(), Some(2));
    let unknown = write("other.yaml", "name: not a template\n");
    let out = run(&[&unknown], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an input cors-lint reads"));
}

#[test]
fn terraform_plan_on_stdin() {
    // The shape `terraform show -json` prints: planned values, and the configuration's
    // references where a value is known only after apply.
    let plan = r#"{
      "format_version": "1.2", "terraform_version": "1.9.0",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function", "name": "api",
         "values": {"function_name": "api", "environment": [{"variables": {"ALLOWED_ORIGINS": "https://app.example.com/"}}]}},
        {"address": "aws_lambda_function_url.api", "mode": "managed", "type": "aws_lambda_function_url", "name": "api",
         "values": {"authorization_type": "NONE", "cors": [{"allow_origins": ["*"]}]}}
      ]}},
      "configuration": {"root_module": {"resources": [
        {"address": "aws_lambda_function_url.api", "expressions": {
          "function_name": {"references": ["aws_lambda_function.api.function_name", "aws_lambda_function.api"]}}}
      ]}}
    }"#;
    let out = run(&["--format", "json", "--terraform-plan", "-"], Some(plan));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(&str, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["resource"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("allowed-origins-entry", "aws_lambda_function.api"),
            ("gateway-cors-config", "aws_lambda_function_url.api"),
        ]
    );
    let only_other = run(
        &[
            "--format",
            "json",
            "--terraform-plan",
            "--function",
            "aws_lambda_function.other",
            "-",
        ],
        Some(plan),
    );
    assert_eq!(only_other.status.code(), Some(0));
}

#[test]
fn help_names_the_rules_and_what_to_run() {
    let out = run(&["--help"], None);
    let help = String::from_utf8_lossy(&out.stdout);
    for id in cors_lint::Rule::ALL.map(cors_lint::Rule::id) {
        assert!(help.contains(id), "--help does not name {id}");
    }
    for needle in [
        "--terraform-plan",
        "--function",
        "--origins-env",
        "--credentials",
        "cors-lint-ignore",
        "Exit status",
    ] {
        assert!(help.contains(needle), "--help does not mention {needle}");
    }
}

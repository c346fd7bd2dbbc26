//! The project's own deploy templates (`examples/deploy/`) pass, and a deliberately broken copy
//! of each fails with the rules its breakage is about.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use cors_lint::{InputKind, Options, Severity, lint_path, lint_text};

use super::workspace;

fn deploy() -> PathBuf {
    workspace().join("examples/deploy")
}

fn failing(findings: &[cors_lint::Finding]) -> BTreeSet<(String, String)> {
    findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.rule.id().to_owned(), f.place.resource.clone()))
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `text` with `from` replaced by `to`, which must be there exactly once.
fn replace(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` is not in the template exactly once"
    );
    text.replacen(from, to, 1)
}

#[test]
fn sam_template_passes() {
    let findings = lint_path(
        &deploy().join("sam/template.yaml"),
        InputKind::Auto,
        &Options::default(),
    )
    .unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn broken_sam_template_fails_with_the_expected_rules() {
    let text = fs::read_to_string(deploy().join("sam/template.yaml")).unwrap();
    let mut broken = replace(
        &text,
        "      DefaultRouteSettings:\n",
        "      CorsConfiguration:\n        AllowOrigins: [\"*\"]\n      DefaultRouteSettings:\n",
    );
    broken = replace(
        &broken,
        "        AuthType: NONE\n        InvokeMode: BUFFERED\n",
        "        AuthType: NONE\n        InvokeMode: BUFFERED\n        Cors:\n          AllowOrigins: [\"*\"]\n",
    );
    broken = replace(
        &broken,
        "      GatewayResponses:\n        DEFAULT_4XX:\n          ResponseParameters:\n            Headers:\n              Access-Control-Allow-Origin: !Sub \"'https://${FrontendDistribution.DomainName}'\"",
        "      Auth:\n        DefaultAuthorizer: Cognito\n        Authorizers:\n          Cognito:\n            UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/x\n      GatewayResponses:\n        DEFAULT_4XX:\n          ResponseParameters:\n            Headers:\n              Access-Control-Allow-Origin: method.request.header.Origin",
    );
    broken = replace(
        &broken,
        "          COOKIE_ATTRIBUTES: !Ref CookieAttributes\n",
        "          COOKIE_ATTRIBUTES: !Ref CookieAttributes\n          ALLOWED_ORIGINS: \"https://App.example.com/\"\n",
    );
    broken = replace(
        &broken,
        "          OriginRequestPolicyId: b689b0a8-53d0-40ab-baf2-68738e2966ac\n",
        "",
    );
    broken = replace(&broken, "              - Origin\n", "");
    let findings = lint_text(
        &broken,
        "broken-template.yaml",
        InputKind::Auto,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        failing(&findings),
        set(&[
            ("gateway-cors-config", "HttpApi"),
            ("gateway-cors-config", "ApiFunction"),
            ("gateway-response-origin", "RestApi"),
            ("preflight-authorized", "ApiFunction"),
            ("allowed-origins-entry", "ApiFunction"),
            ("cdn-origin-not-in-cache-key", "ApiDistribution"),
        ]),
        "{findings:#?}"
    );
}

#[test]
fn terraform_configuration_passes() {
    let findings = lint_path(
        &deploy().join("terraform"),
        InputKind::Auto,
        &Options::default(),
    )
    .unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, replace(&text, from, to)).unwrap();
}

#[test]
fn broken_terraform_configuration_fails_with_the_expected_rules() {
    let dir = std::env::temp_dir().join(format!("cors-lint-broken-tf-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&deploy().join("terraform"), &dir);
    edit(
        &dir,
        "http_api.tf",
        "  protocol_type = \"HTTP\"\n",
        "  protocol_type = \"HTTP\"\n\n  cors_configuration {\n    allow_origins = [\"*\"]\n  }\n",
    );
    edit(
        &dir,
        "function_url.tf",
        "  invoke_mode        = \"BUFFERED\"\n",
        "  invoke_mode        = \"BUFFERED\"\n\n  cors {\n    allow_origins = [\"*\"]\n  }\n",
    );
    edit(
        &dir,
        "rest_api.tf",
        "\"'${local.frontend_origin}'\"",
        "\"method.request.header.Origin\"",
    );
    edit(
        &dir,
        "rest_api.tf",
        "  resource_id   = aws_api_gateway_resource.proxy.id\n  http_method   = \"ANY\"\n  authorization = \"NONE\"\n",
        "  resource_id   = aws_api_gateway_resource.proxy.id\n  http_method   = \"ANY\"\n  authorization = \"AWS_IAM\"\n",
    );
    edit(
        &dir,
        "lambda.tf",
        "      ALLOWED_ORIGINS = local.allowed_origins\n    }",
        "      ALLOWED_ORIGINS = \"https://app.example.com, null\"\n    }",
    );
    edit(
        &dir,
        "api_cdn.tf",
        "    allowed_methods          = [\"DELETE\", \"GET\", \"HEAD\", \"OPTIONS\", \"PATCH\", \"POST\", \"PUT\"]\n",
        "    allowed_methods          = [\"DELETE\", \"GET\", \"HEAD\", \"PATCH\", \"POST\", \"PUT\"]\n",
    );
    let findings = lint_path(&dir, InputKind::Auto, &Options::default()).unwrap();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(
        failing(&findings),
        set(&[
            ("gateway-cors-config", "aws_apigatewayv2_api.http"),
            ("gateway-cors-config", "aws_lambda_function_url.api"),
            (
                "gateway-response-origin",
                "aws_api_gateway_gateway_response.cors[\"DEFAULT_4XX\"]"
            ),
            (
                "gateway-response-origin",
                "aws_api_gateway_gateway_response.cors[\"DEFAULT_5XX\"]"
            ),
            ("preflight-authorized", "aws_api_gateway_method.proxy"),
            ("allowed-origins-entry", "aws_lambda_function.stream"),
            (
                "cdn-origin-not-in-cache-key",
                "aws_cloudfront_distribution.api"
            ),
        ]),
        "{findings:#?}"
    );
}

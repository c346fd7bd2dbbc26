//! What `cors-lint` assumes the SAM transform generates for `Cors` and `Auth` (mock `OPTIONS`
//! methods, the default authorizer and API key on them unless `AddDefaultAuthorizerToCorsPreflight`
//! / `AddApiKeyRequiredToCorsPreflight` is false, nothing on a path with its own `OPTIONS`, an
//! HTTP API's `CorsConfiguration` in its OpenAPI body), checked against the transform itself:
//! each SAM template is transformed by the SAM translator that cfn-lint bundles (cfn-lint's
//! own `Transform`, as `cfn-lint` runs it), and cors-lint must report the same rules on the
//! template and on the CloudFormation the transform made of it.
//!
//! The Python that runs cfn-lint is found from cfn-lint itself (`cors_dev::tools`): the
//! virtual environment's, else `python3` when it imports cfn-lint.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use cors_dev::tools;
use cors_dev::workspace::workspace_root;
use cors_lint::{InputKind, Options, lint_text};

const TRANSFORM: &str = r#"
import json, sys
from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform
template, matches = decode(sys.argv[1])
if matches:
    sys.exit("cannot decode: %s" % matches)
transform = Transform(sys.argv[1], template, "us-east-1")
errors = transform.transform_template()
if errors:
    sys.exit("transform failed: %s" % errors)
json.dump(transform.template(), sys.stdout, default=str)
"#;

/// A Python that imports cfn-lint (and so the SAM translator).
fn python() -> PathBuf {
    let tool = tools::ensure(&tools::CFN_LINT).unwrap_or_else(|e| panic!("cfn-lint: {e}"));
    let candidates = [
        tool.program().with_file_name("python"),
        PathBuf::from("python3"),
    ];
    candidates
        .into_iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", "import cfnlint, samtranslator"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("no Python imports cfnlint and samtranslator next to cfn-lint")
}

fn transform(python: &PathBuf, name: &str, sam: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cors-lint-sam-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.yaml"));
    fs::write(&path, sam).unwrap();
    let output = Command::new(python)
        .args(["-c", TRANSFORM])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn rules(text: &str, file: &str) -> BTreeSet<&'static str> {
    lint_text(text, file, InputKind::Auto, &Options::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|f| f.rule.id())
        .collect()
}

const HEAD: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n";
const FUNCTION: &str = "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
    Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: s3://bucket/key.zip\n      \
    Events:\n";

/// An explicit REST API. `DisableExecuteApiEndpoint` makes cfn-lint's transform generate the
/// API's OpenAPI body even without `Cors` or `Auth` (without either, it stubs the API with a
/// `BodyS3Location` instead).
fn rest(api: &str, events: &str) -> String {
    format!(
        "{HEAD}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      \
         DisableExecuteApiEndpoint: false\n{api}{FUNCTION}{events}"
    )
}

fn event(name: &str, method: &str, path: &str, extra: &str) -> String {
    format!(
        "        {name}:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            \
         Path: {path}\n            Method: {method}\n{extra}"
    )
}

const COGNITO: &str = "      Auth:\n        DefaultAuthorizer: Cognito\n        Authorizers:\n          \
    Cognito:\n            UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x\n";

/// (name, SAM template, the rules cors-lint must report on both).
fn cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let cors = "      Cors: \"'https://app.example.com'\"\n";
    let put = event("Put", "put", "/notes", "");
    vec![
        (
            "cors-and-default-authorizer",
            rest(&format!("{cors}{COGNITO}"), &put),
            vec![
                "gateway-cors-config",
                "gateway-response-origin",
                "preflight-authorized",
            ],
        ),
        (
            "cors-default-authorizer-not-on-preflight",
            rest(
                &format!("{cors}{COGNITO}        AddDefaultAuthorizerToCorsPreflight: false\n"),
                &put,
            ),
            vec!["gateway-cors-config", "gateway-response-origin"],
        ),
        (
            "cors-and-api-key",
            rest(
                &format!("{cors}      Auth:\n        ApiKeyRequired: true\n"),
                &put,
            ),
            vec![
                "gateway-cors-config",
                "gateway-response-origin",
                "preflight-authorized",
            ],
        ),
        (
            "cors-api-key-not-on-preflight",
            rest(
                &format!(
                    "{cors}      Auth:\n        ApiKeyRequired: true\n        \
                     AddApiKeyRequiredToCorsPreflight: false\n"
                ),
                &put,
            ),
            vec!["gateway-cors-config", "gateway-response-origin"],
        ),
        (
            // SAM merges `Globals` maps key by key: the global switch holds for an API with an
            // `Auth` of its own.
            "cors-api-key-not-on-preflight-from-globals",
            rest(
                &format!("{cors}      Auth:\n        ApiKeyRequired: true\n"),
                &put,
            )
            .replacen(
                "Resources:\n",
                "Globals:\n  Api:\n    Auth:\n      AddApiKeyRequiredToCorsPreflight: false\n\
                 Resources:\n",
                1,
            ),
            vec!["gateway-cors-config", "gateway-response-origin"],
        ),
        (
            "cors-beside-an-options-event",
            rest(
                cors,
                &format!("{put}{}", event("Options", "options", "/notes", "")),
            ),
            vec!["gateway-response-origin"],
        ),
        (
            "authorized-any-without-options",
            rest(COGNITO, &event("Any", "any", "/{proxy+}", "")),
            vec!["gateway-response-origin", "preflight-authorized"],
        ),
        (
            "authorized-any-with-an-open-options",
            rest(
                COGNITO,
                &format!(
                    "{}{}",
                    event("Any", "any", "/{proxy+}", ""),
                    event(
                        "Options",
                        "options",
                        "/{proxy+}",
                        "            Auth:\n              Authorizer: NONE\n"
                    )
                ),
            ),
            vec!["gateway-response-origin"],
        ),
        (
            "put-without-options",
            rest("", &put),
            vec!["gateway-response-origin", "preflight-unrouted"],
        ),
        (
            "http-api-cors-configuration",
            format!(
                "{HEAD}  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      \
                 CorsConfiguration:\n        AllowOrigins: ['https://app.example.com']\n{FUNCTION}        \
                 All:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref Api\n"
            ),
            vec!["gateway-cors-config"],
        ),
        (
            "function-url-cors",
            format!(
                "{HEAD}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
                 Runtime: provided.al2023\n      Handler: bootstrap\n      CodeUri: s3://b/k.zip\n      \
                 FunctionUrlConfig:\n        AuthType: NONE\n        Cors:\n          \
                 AllowOrigins: ['https://app.example.com']\n"
            ),
            vec!["gateway-cors-config"],
        ),
    ]
}

#[test]
fn sam_and_its_transform_give_the_same_findings() {
    let python = python();
    for (name, sam, expected) in cases() {
        let expected: BTreeSet<&str> = expected.into_iter().collect();
        let transformed = transform(&python, name, &sam);
        assert_eq!(
            rules(&sam, "template.yaml"),
            expected,
            "{name}: the SAM template"
        );
        assert_eq!(
            rules(&transformed, "transformed.json"),
            expected,
            "{name}: the transformed template\n{transformed}"
        );
    }
}

#[test]
fn the_deploy_example_and_its_transform_are_clean() {
    let python = python();
    let path = workspace_root().join("examples/deploy/sam/template.yaml");
    let sam = fs::read_to_string(&path).unwrap();
    let transformed = transform(&python, "deploy-example", &sam);
    assert_eq!(rules(&sam, "template.yaml"), BTreeSet::new());
    assert_eq!(rules(&transformed, "transformed.json"), BTreeSet::new());
}

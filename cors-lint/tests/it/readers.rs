//! The readers on arbitrary input: whatever the bytes, they return a model or an error with a
//! position, never panic, and never hang (each input gets a thread and ten seconds, far more
//! than the milliseconds it takes, so a hang fails instead of stalling the suite).

use std::sync::mpsc;
use std::time::Duration;

use cors_lint::{InputKind, Options, lint_path, lint_text};
use proptest::prelude::*;

fn finishes(text: String, kind: InputKind) {
    let (done, wait) = mpsc::channel();
    let input = text.clone();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| {
            let _ = lint_text(&input, "fuzz.yaml", kind, &Options::default());
        });
        let _ = done.send(result.is_ok());
    });
    match wait.recv_timeout(Duration::from_secs(10)) {
        Ok(true) => {}
        Ok(false) => panic!("panicked on {text:?}"),
        Err(_) => panic!("did not finish in 10 s on {text:?}"),
    }
}

fn tf_finishes(text: String) {
    let dir = std::env::temp_dir().join(format!(
        "cors-lint-fuzz-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("main.tf");
    std::fs::write(&file, &text).unwrap();
    let result = std::panic::catch_unwind(|| {
        let _ = lint_path(&file, InputKind::Auto, &Options::default());
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert!(result.is_ok(), "panicked on {text:?}");
}

/// Text made of the pieces templates are made of, so that the readers go deep, not only fail
/// on the first byte.
fn template_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Resources:\n".to_owned()),
        Just("  Api:\n    Type: AWS::Serverless::HttpApi\n".to_owned()),
        Just("    Properties:\n      CorsConfiguration: true\n".to_owned()),
        Just("  Fn:\n    Type: AWS::Serverless::Function\n".to_owned()),
        Just("      Events: {E: {Type: Api, Properties: {Path: /x, Method: put}}}\n".to_owned()),
        Just(
            "      Environment: {Variables: {ALLOWED_ORIGINS: !Sub '${A} https://x/'}}\n"
                .to_owned()
        ),
        Just("service: s\nfunctions:\n  f:\n    events:\n      - http: PUT x\n".to_owned()),
        Just(
            "{\"Resources\": {\"A\": {\"Type\": \"AWS::ApiGateway::Method\", \"Properties\": "
                .to_owned()
        ),
        Just("{\"planned_values\": {\"root_module\": {\"resources\": [".to_owned()),
        Just("!Ref ".to_owned()),
        Just("&a [".to_owned()),
        Just("*a, ".to_owned()),
        Just("]}".to_owned()),
        "[ -~\n]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn hcl_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("resource \"aws_lambda_function_url\" \"u\" {\n".to_owned()),
        Just("resource \"aws_apigatewayv2_api\" \"a\" {\n  protocol_type = \"HTTP\"\n".to_owned()),
        Just("  cors_configuration {\n".to_owned()),
        Just("  for_each = toset([\"A\", local.x])\n".to_owned()),
        Just("locals {\n  x = local.x\n".to_owned()),
        Just("  v = \"${each.value}-${var.y}\"\n".to_owned()),
        Just("}\n".to_owned()),
        "[ -~\n]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yaml_and_json_never_panic(text in template_like()) {
        finishes(text, InputKind::Auto);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        finishes(text.clone(), InputKind::Auto);
        finishes(text, InputKind::TerraformPlan);
    }

    #[test]
    fn hcl_never_panics(text in hcl_like()) {
        tf_finishes(text);
    }
}

#[test]
fn deep_nesting_and_alias_bombs_are_errors() {
    for text in [
        "[".repeat(200_000),
        "{\"a\":".repeat(200_000),
        format!("a: {}", "{b: ".repeat(100_000)),
    ] {
        let err = lint_text(&text, "deep", InputKind::Auto, &Options::default()).unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }
    let mut bomb = String::from("Resources:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let err = lint_text(&bomb, "bomb.yaml", InputKind::Auto, &Options::default()).unwrap_err();
    assert!(err.message.contains("alias"), "{err}");
    let deep_hcl = format!("a = {}", "[".repeat(100_000));
    tf_finishes(deep_hcl);
}

//! Linting a CDK template of tens of megabytes (`cdk synth` of a large stack): the time of one
//! lint, and beside it the time serde_json alone takes to parse the same text, as a ratio.
//!
//! The template is generated: `CDK_RESOURCES` REST API resources with a Lambda proxy method
//! each (the shape CDK writes, `Fn::Join` URIs and `aws:cdk:path` metadata), their functions
//! and permissions, padded with the inline policies and descriptions real stacks carry.
//!
//! `cargo bench -p cors-lint --bench large_cdk`

use std::hint::black_box;

use cors_lint::{InputKind, Options, lint_text};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn template(resources: usize) -> String {
    let mut map = serde_json::Map::new();
    map.insert(
        "Api1234ABCD".into(),
        json!({"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "big"},
               "Metadata": {"aws:cdk:path": "Big/Api/Resource"}}),
    );
    let padding = "x".repeat(2_000);
    for i in 0..resources {
        let function = format!("Handler{i}F00D");
        map.insert(
            function.clone(),
            json!({"Type": "AWS::Lambda::Function", "Properties": {
                "Handler": "index.handler", "Runtime": "provided.al2023",
                "Description": padding,
                "Environment": {"Variables": {"ALLOWED_ORIGINS": "https://app.example.com https://admin.example.com"}}},
                "Metadata": {"aws:cdk:path": format!("Big/Handler{i}/Resource")}}),
        );
        map.insert(
            format!("Api{i}Resource"),
            json!({"Type": "AWS::ApiGateway::Resource", "Properties": {
                "ParentId": {"Fn::GetAtt": ["Api1234ABCD", "RootResourceId"]},
                "PathPart": format!("items{i}"), "RestApiId": {"Ref": "Api1234ABCD"}}}),
        );
        for method in ["GET", "PUT", "OPTIONS"] {
            map.insert(
                format!("Api{i}{method}"),
                json!({"Type": "AWS::ApiGateway::Method", "Properties": {
                    "AuthorizationType": "NONE", "HttpMethod": method,
                    "ResourceId": {"Ref": format!("Api{i}Resource")},
                    "RestApiId": {"Ref": "Api1234ABCD"},
                    "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
                        "Uri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                            ":apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/",
                            {"Fn::GetAtt": [function, "Arn"]}, "/invocations"]]}}}}),
            );
        }
        map.insert(
            format!("Handler{i}Role"),
            json!({"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p",
                "PolicyDocument": {"Statement": (0..12).map(|s| json!({"Effect": "Allow",
                    "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                    "Resource": format!("arn:aws:dynamodb:eu-west-1:123456789012:table/t{s}")}))
                    .collect::<Vec<Value>>()}}]}}),
        );
    }
    serde_json::to_string_pretty(&json!({"Resources": map})).unwrap()
}

fn bench(c: &mut Criterion) {
    let resources: usize = std::env::var("CDK_RESOURCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6_000);
    let text = template(resources);
    eprintln!(
        "template: {resources} API resources, {} MB",
        text.len() / 1_000_000
    );
    let findings = lint_text(
        &text,
        "Big.template.json",
        InputKind::Auto,
        &Options::default(),
    )
    .unwrap();
    eprintln!("findings: {}", findings.len());
    let mut group = c.benchmark_group("large_cdk");
    group.sample_size(10);
    group.bench_function("cors_lint", |b| {
        b.iter(|| {
            lint_text(
                black_box(&text),
                "Big.template.json",
                InputKind::Auto,
                &Options::default(),
            )
        })
    });
    group.bench_function("serde_json_parse_only", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! REST APIs written as CloudFormation resources (`AWS::ApiGateway::*`), or as an OpenAPI
//! `Body`: methods, their integrations and authorization, and gateway responses.

use std::collections::HashMap;

use super::{Resource, Template};
use crate::model::{Auth, Declared, GatewayResponse, RestApi, RestMethod, Target, Text};
use crate::read::{intrinsics, openapi};
use crate::tree::Node;

/// Every `AWS::ApiGateway::RestApi`, with its methods and gateway responses.
pub fn rest_apis(t: &Template<'_>) -> Vec<RestApi> {
    let mut apis: Vec<RestApi> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for resource in t.of_kind("AWS::ApiGateway::RestApi") {
        let at = t.place(resource, "", resource.line);
        let mut api = RestApi {
            id: resource.id.to_owned(),
            at,
            methods: Vec::new(),
            methods_known: resource.prop("BodyS3Location").is_none(),
            gateway_responses: Vec::new(),
            gateway_responses_known: resource.prop("BodyS3Location").is_none(),
            cors: None,
        };
        if let Some((key, body)) = resource.props().entry("Body") {
            if body.intrinsic().is_some() {
                api.methods_known = false;
                api.gateway_responses_known = false;
            } else {
                let place = t.place(resource, "Properties.Body", key.line);
                let definition = openapi::read(body, &place, &|uri| t.lambda_target(Some(uri)));
                api.methods.extend(definition.methods);
                api.gateway_responses.extend(definition.gateway_responses);
            }
        }
        by_id.insert(api.id.clone(), apis.len());
        apis.push(api);
    }

    let mut paths = Paths::default();
    for resource in t.of_kind("AWS::ApiGateway::Method") {
        let Some(api) = api_of(t, resource, &by_id) else {
            continue;
        };
        let method = method(t, resource, &mut paths);
        apis[api].methods.push(method);
    }
    for resource in t.of_kind("AWS::ApiGateway::GatewayResponse") {
        let Some(api) = api_of(t, resource, &by_id) else {
            continue;
        };
        let response = gateway_response(t, resource);
        apis[api].gateway_responses.push(response);
    }
    apis
}

fn api_of(
    t: &Template<'_>,
    resource: &Resource<'_>,
    by_id: &HashMap<String, usize>,
) -> Option<usize> {
    let api = t.referenced(resource.prop("RestApiId")?, &["AWS::ApiGateway::RestApi"])?;
    by_id.get(api.id).copied()
}

fn method(t: &Template<'_>, resource: &Resource<'_>, paths: &mut Paths) -> RestMethod {
    let props = resource.props();
    let http_method = props
        .get("HttpMethod")
        .and_then(Node::as_str)
        .unwrap_or("?")
        .to_ascii_uppercase();
    let path = props
        .get("ResourceId")
        .and_then(|id| paths.resolve(t, id, 0));
    let authorization = props
        .get("AuthorizationType")
        .and_then(Node::as_str)
        .unwrap_or("NONE")
        .to_ascii_uppercase();
    let api_key = props
        .get("ApiKeyRequired")
        .and_then(Node::as_bool)
        .unwrap_or(false);
    let authorizer = (authorization != "NONE").then(|| authorization.clone());
    let needs_header = api_key
        || match authorization.as_str() {
            "AWS_IAM" | "COGNITO_USER_POOLS" => true,
            "CUSTOM" => props
                .get("AuthorizerId")
                .and_then(|id| t.referenced(id, &["AWS::ApiGateway::Authorizer"]))
                .and_then(|a| a.prop("Type"))
                .and_then(Node::as_str)
                .is_some_and(|kind| kind != "REQUEST"),
            _ => false,
        };
    let target = match props.get("Integration") {
        Some(integration) => integration_target(t, integration),
        None => Target::Unknown,
    };
    RestMethod {
        path,
        method: http_method,
        auth: Auth {
            authorizer,
            api_key,
            needs_header,
        },
        target,
        at: t.place(resource, "", resource.line),
        declared: Declared::Resource,
    }
}

/// A method's `Integration`.
pub(super) fn integration_target(t: &Template<'_>, integration: &Node) -> Target {
    let kind = integration
        .get("Type")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase();
    match kind.as_str() {
        "AWS_PROXY" => t.lambda_target(integration.get("Uri")),
        "MOCK" => Target::Mock {
            cors_headers: intrinsics::sets_cors_headers(
                integration
                    .get("IntegrationResponses")
                    .map(Node::items)
                    .unwrap_or_default(),
                "ResponseParameters",
            ),
        },
        "" => Target::Unknown,
        _ => Target::Other,
    }
}

fn gateway_response(t: &Template<'_>, resource: &Resource<'_>) -> GatewayResponse {
    let props = resource.props();
    let headers = intrinsics::gateway_response_headers(props.get("ResponseParameters"));
    GatewayResponse {
        kind: props
            .get("ResponseType")
            .map_or(Text::Unknown, intrinsics::text),
        headers,
        at: t.place(resource, "", resource.line),
    }
}

/// The paths of `AWS::ApiGateway::Resource`s, each resolved once.
#[derive(Default)]
struct Paths {
    known: HashMap<String, Option<String>>,
}

impl Paths {
    /// The path a `ResourceId` (or `ParentId`) names: `/` for `!GetAtt Api.RootResourceId`.
    fn resolve(&mut self, t: &Template<'_>, id: &Node, depth: usize) -> Option<String> {
        if let Some(intrinsic) = id.intrinsic()
            && intrinsic.name == "Fn::GetAtt"
        {
            let attribute = match &intrinsic.arg.value {
                crate::tree::Value::Scalar(text) => text.split('.').nth(1),
                crate::tree::Value::Seq(items) => items.get(1).and_then(Node::as_str),
                _ => None,
            };
            return (attribute == Some("RootResourceId")).then(|| "/".to_owned());
        }
        // A resource chain longer than this is a cycle.
        if depth > 64 {
            return None;
        }
        let resource = t.referenced(id, &["AWS::ApiGateway::Resource"])?;
        if let Some(path) = self.known.get(resource.id) {
            return path.clone();
        }
        let part = resource.prop("PathPart").and_then(Node::as_str);
        let parent = resource
            .prop("ParentId")
            .and_then(|parent| self.resolve(t, parent, depth + 1));
        let path = match (parent, part) {
            (Some(parent), Some(part)) => Some(format!("{}/{part}", parent.trim_end_matches('/'))),
            _ => None,
        };
        self.known.insert(resource.id.to_owned(), path.clone());
        path
    }
}

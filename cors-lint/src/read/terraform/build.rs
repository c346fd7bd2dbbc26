//! The model from a Terraform configuration: `aws_lambda_function`, `aws_lambda_function_url`,
//! `aws_api_gateway_*`, `aws_apigatewayv2_*` and `aws_cloudfront_*` resources, linked by their
//! references.

use std::collections::HashMap;

use super::config::{TfConfig, TfResource, TfValue, api_address, literal, refs};
use crate::model::{
    Auth, CorsSetting, Declared, Dialect, EnvVar, Function, FunctionUrl, GatewayResponse, HttpApi,
    HttpRoute, Model, RestApi, RestMethod, Target, Text,
};
use crate::read::openapi;
use crate::tree::{Key, Node, Value};

/// Builds the model of `config`.
pub fn model(config: &TfConfig, dialect: Dialect) -> Model {
    let mut model = Model::new(dialect);
    for function in config.of_kind("aws_lambda_function") {
        model.functions.push(function_of(config, function));
    }
    for url in config.of_kind("aws_lambda_function_url") {
        model.function_urls.push(FunctionUrl {
            function: url.body.attr("function_name").and_then(|f| function_ref(config, f)),
            at: url.at.clone(),
            cors: url.body.blocks("cors").next().map(|(_, cors, line)| CorsSetting {
                at: url.at.at("cors", *line),
                origins: cors
                    .attr("allow_origins")
                    .and_then(|o| config.strings(o, url))
                    .unwrap_or_default(),
            }),
            iam: matches!(url.body.attr("authorization_type"), Some(TfValue::Str(t)) if t == "AWS_IAM"),
        });
    }
    model.rest_apis = rest_apis(config);
    model.http_apis = http_apis(config);
    model.cache_behaviors = super::distribution::cache_behaviors(config, &model);
    model
}

fn function_of(config: &TfConfig, function: &TfResource) -> Function {
    let mut env = Vec::new();
    if let Some((_, environment, _)) = function.body.blocks("environment").next()
        && let Some(TfValue::Object(variables)) = environment.attr("variables")
    {
        let line = environment.attr_line("variables");
        for (name, value) in variables {
            env.push(EnvVar {
                name: name.clone(),
                value: config.text(value, function),
                at: function
                    .at
                    .at(&format!("environment.variables.{name}"), line),
            });
        }
    }
    Function {
        id: function.address.clone(),
        env,
    }
}

/// The function a reference names (`aws_lambda_function.api.invoke_arn`, through aliases).
fn function_ref(config: &TfConfig, value: &TfValue) -> Option<String> {
    let resource = config.referenced(value, &["aws_lambda_function", "aws_lambda_alias"])?;
    if resource.kind == "aws_lambda_alias" {
        return function_ref(config, resource.body.attr("function_name")?);
    }
    Some(
        resource
            .address
            .split('[')
            .next()
            .unwrap_or(&resource.address)
            .to_owned(),
    )
}

fn lambda_target(config: &TfConfig, uri: Option<&TfValue>) -> Target {
    match uri.and_then(|uri| function_ref(config, uri)) {
        Some(id) => Target::Function(id),
        None => Target::Lambda,
    }
}

fn rest_apis(config: &TfConfig) -> Vec<RestApi> {
    let mut apis: Vec<RestApi> = Vec::new();
    for api in config.of_kind("aws_api_gateway_rest_api") {
        let mut rest = RestApi {
            id: api.address.clone(),
            at: api.at.clone(),
            methods: Vec::new(),
            methods_known: true,
            gateway_responses: Vec::new(),
            gateway_responses_known: true,
            cors: None,
        };
        if let Some(body) = api.body.attr("body") {
            match body_node(body) {
                Some(node) => {
                    let place = api.at.at("body", api.body.attr_line("body"));
                    let definition = openapi::read(&node, &place, &|uri| {
                        uri.as_str()
                            .and_then(|u| function_ref(config, &TfValue::Ref(u.to_owned())))
                            .map_or(Target::Lambda, Target::Function)
                    });
                    rest.methods.extend(definition.methods);
                    rest.gateway_responses.extend(definition.gateway_responses);
                }
                None => {
                    rest.methods_known = false;
                    rest.gateway_responses_known = false;
                }
            }
        }
        apis.push(rest);
    }
    let index: HashMap<String, usize> = apis
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let api_of = |resource: &TfResource| {
        api_address(
            config,
            resource.body.attr("rest_api_id"),
            &["aws_api_gateway_rest_api"],
        )
        .and_then(|a| index.get(&a).copied())
    };

    for method in config.of_kind("aws_api_gateway_method") {
        let Some(api) = api_of(method) else { continue };
        let http_method = literal(config, method, "http_method").unwrap_or_else(|| "?".into());
        let resource_id = method.body.attr("resource_id");
        let authorization = literal(config, method, "authorization")
            .unwrap_or_else(|| "NONE".into())
            .to_ascii_uppercase();
        let api_key = literal(config, method, "api_key_required").as_deref() == Some("true");
        let needs_header = api_key
            || match authorization.as_str() {
                "AWS_IAM" | "COGNITO_USER_POOLS" => true,
                "CUSTOM" => method
                    .body
                    .attr("authorizer_id")
                    .and_then(|a| config.referenced(a, &["aws_api_gateway_authorizer"]))
                    .and_then(|a| literal(config, a, "type"))
                    .is_none_or(|kind| kind != "REQUEST"),
                _ => false,
            };
        let integration = config.of_kind("aws_api_gateway_integration").find(|i| {
            same_ref(i.body.attr("resource_id"), resource_id)
                && integration_method(config, i).as_deref() == Some(http_method.as_str())
        });
        let target = integration.map_or(Target::Unknown, |integration| {
            match literal(config, integration, "type").as_deref() {
                Some("AWS_PROXY") => lambda_target(config, integration.body.attr("uri")),
                Some("MOCK") => Target::Mock {
                    cors_headers: config.of_kind("aws_api_gateway_integration_response").any(|r| {
                        same_ref(r.body.attr("resource_id"), resource_id)
                            && integration_method(config, r).as_deref() == Some(http_method.as_str())
                            && matches!(r.body.attr("response_parameters"), Some(TfValue::Object(p))
                                if p.iter().any(|(k, _)| k.contains("Access-Control-")))
                    }),
                },
                Some(_) => Target::Other,
                None => Target::Unknown,
            }
        });
        let path = resource_id.and_then(|id| rest_path(config, id, 0));
        apis[api].methods.push(RestMethod {
            path,
            method: http_method.to_ascii_uppercase(),
            auth: Auth {
                authorizer: (authorization != "NONE").then_some(authorization),
                api_key,
                needs_header,
            },
            target,
            at: method.at.clone(),
            declared: Declared::Resource,
        });
    }
    for response in config.of_kind("aws_api_gateway_gateway_response") {
        let Some(api) = api_of(response) else {
            continue;
        };
        let headers = match response.body.attr("response_parameters") {
            Some(TfValue::Object(parameters)) => parameters
                .iter()
                .filter_map(|(name, value)| {
                    let header = name.strip_prefix("gatewayresponse.header.")?;
                    Some((header.to_owned(), config.text(value, response)))
                })
                .collect(),
            _ => Vec::new(),
        };
        apis[api].gateway_responses.push(GatewayResponse {
            kind: response
                .body
                .attr("response_type")
                .map_or(Text::Unknown, |t| config.text(t, response)),
            headers,
            at: response.at.clone(),
        });
    }
    apis
}

/// An integration's (or integration response's) `http_method`: literal, or the method's.
fn integration_method(config: &TfConfig, resource: &TfResource) -> Option<String> {
    let value = resource.body.attr("http_method")?;
    if let Text::Literal(method) = config.text(value, resource) {
        return Some(method);
    }
    let method = config.referenced(value, &["aws_api_gateway_method"])?;
    literal(config, method, "http_method")
}

fn same_ref(a: Option<&TfValue>, b: Option<&TfValue>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || (!refs(a).is_empty() && refs(a) == refs(b)),
        _ => false,
    }
}

/// The path of a `resource_id`: `/` for the API's root, else the resource's path parts.
fn rest_path(config: &TfConfig, id: &TfValue, depth: usize) -> Option<String> {
    if depth > 64 {
        return None;
    }
    let reference = refs(id).into_iter().next()?;
    if reference.ends_with(".root_resource_id") {
        return Some("/".to_owned());
    }
    let resource = config.referenced(id, &["aws_api_gateway_resource"])?;
    let part = literal(config, resource, "path_part")?;
    let parent = rest_path(config, resource.body.attr("parent_id")?, depth + 1)?;
    Some(format!("{}/{part}", parent.trim_end_matches('/')))
}

/// A `body = jsonencode({...})` (an OpenAPI definition written in HCL) as a tree.
fn body_node(value: &TfValue) -> Option<Node> {
    match value {
        TfValue::Call(name, args) if name == "jsonencode" => args.first().map(node_of),
        _ => None,
    }
}

fn node_of(value: &TfValue) -> Node {
    let value = match value {
        TfValue::Str(text) => Value::Scalar(text.clone()),
        TfValue::Ref(reference) => Value::Scalar(reference.clone()),
        TfValue::List(items) => Value::Seq(items.iter().map(node_of).collect()),
        TfValue::Object(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            line: 0,
                        },
                        node_of(v),
                    )
                })
                .collect(),
        ),
        _ => Value::Null,
    };
    Node::new(value, 0)
}

fn http_apis(config: &TfConfig) -> Vec<HttpApi> {
    let mut apis = Vec::new();
    for api in config.of_kind("aws_apigatewayv2_api") {
        if literal(config, api, "protocol_type").is_some_and(|p| p != "HTTP") {
            continue;
        }
        let mut http = HttpApi {
            id: api.address.clone(),
            cors: api
                .body
                .blocks("cors_configuration")
                .next()
                .map(|(_, cors, line)| CorsSetting {
                    at: api.at.at("cors_configuration", *line),
                    origins: cors
                        .attr("allow_origins")
                        .and_then(|o| config.strings(o, api))
                        .unwrap_or_default(),
                }),
            routes: Vec::new(),
            routes_known: !api.body.dynamic.iter().any(|d| d == "cors_configuration"),
        };
        if let Some(target) = api.body.attr("target") {
            http.routes.push(HttpRoute {
                key: "$default".to_owned(),
                auth: Auth::none(),
                target: lambda_target(config, Some(target)),
                at: api.at.at("target", api.body.attr_line("target")),
                declared: Declared::QuickCreate,
            });
        }
        for route in config.of_kind("aws_apigatewayv2_route") {
            let api_ref = api_address(config, route.body.attr("api_id"), &["aws_apigatewayv2_api"]);
            if api_ref.as_deref() != Some(api.address.as_str()) {
                continue;
            }
            http.routes.push(route_of(config, route));
        }
        apis.push(http);
    }
    apis
}

fn route_of(config: &TfConfig, route: &TfResource) -> HttpRoute {
    let authorization = literal(config, route, "authorization_type")
        .unwrap_or_else(|| "NONE".into())
        .to_ascii_uppercase();
    let needs_header = match authorization.as_str() {
        "JWT" | "AWS_IAM" => true,
        "CUSTOM" => route
            .body
            .attr("authorizer_id")
            .and_then(|a| config.referenced(a, &["aws_apigatewayv2_authorizer"]))
            .and_then(|a| {
                a.body
                    .attr("identity_sources")
                    .and_then(|s| config.strings(s, a))
            })
            .is_some_and(|s| {
                s.iter()
                    .any(|s| s.to_ascii_lowercase().contains("header.authorization"))
            }),
        _ => false,
    };
    let target = match route
        .body
        .attr("target")
        .and_then(|t| config.referenced(t, &["aws_apigatewayv2_integration"]))
    {
        Some(integration) => match literal(config, integration, "integration_type").as_deref() {
            Some("AWS_PROXY") if integration.body.attr("integration_subtype").is_none() => {
                lambda_target(config, integration.body.attr("integration_uri"))
            }
            Some(_) => Target::Other,
            None => Target::Unknown,
        },
        None => Target::Unknown,
    };
    HttpRoute {
        key: literal(config, route, "route_key").unwrap_or_else(|| "?".into()),
        auth: Auth {
            authorizer: (authorization != "NONE").then_some(authorization),
            api_key: literal(config, route, "api_key_required").as_deref() == Some("true"),
            needs_header,
        },
        target,
        at: route.at.clone(),
        declared: Declared::Resource,
    }
}

//! `preflight-unrouted`: a path serves a method that needs a preflight (anything but `GET`,
//! `HEAD` and `POST`, or any method whose authorization makes the page send a header), but no
//! `OPTIONS` or `ANY` route reaches it, so the gateway answers the preflight itself, without
//! CORS headers: a REST API resource answers `403 {"message":"Missing Authentication Token"}`,
//! an HTTP API `404`.

use std::collections::BTreeMap;

use super::{Context, Finding, Rule, Severity, covers, is_simple_method};
use crate::model::{Auth, Declared, Dialect, HttpRoute, RestMethod};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for api in &cx.model.rest_apis {
        if !api.methods_known {
            continue;
        }
        let mut paths: BTreeMap<&str, Vec<&RestMethod>> = BTreeMap::new();
        for method in &api.methods {
            if let Some(path) = &method.path {
                paths.entry(path).or_default().push(method);
            }
        }
        for (path, methods) in paths {
            if methods
                .iter()
                .any(|m| m.method == "OPTIONS" || m.method == "ANY")
            {
                continue;
            }
            let Some(first) = methods
                .iter()
                .find(|m| cx.selected(&m.target) && needs_preflight(&m.method, &m.auth))
            else {
                continue;
            };
            let message = format!(
                "`{} {path}` needs a preflight{}, but REST API `{}` has no `OPTIONS` (or `ANY`) \
                 method on `{path}`: API Gateway answers the preflight `403 {{\"message\":\
                 \"Missing Authentication Token\"}}` without CORS headers, and the browser \
                 blocks the request (\"Response to preflight request doesn't pass access \
                 control check\")",
                first.method,
                why(&first.method, &first.auth),
                api.id
            );
            out.push(cx.finding(
                Rule::PreflightUnrouted,
                Severity::Error,
                &first.at,
                message,
                rest_fix(cx.model.dialect, first, path),
            ));
        }
    }

    for api in &cx.model.http_apis {
        if api.cors.is_some() || !api.routes_known {
            continue;
        }
        if api.routes.iter().any(|r| r.key == "$default") {
            continue;
        }
        let mut reported: Vec<&str> = Vec::new();
        for route in &api.routes {
            let Some((method, path)) = route.method_and_path() else {
                continue;
            };
            if !cx.selected(&route.target) || !needs_preflight(method, &route.auth) {
                continue;
            }
            let routed = api.routes.iter().any(|other| {
                other
                    .method_and_path()
                    .is_some_and(|(m, p)| (m == "OPTIONS" || m == "ANY") && covers(p, path))
            });
            if routed || reported.contains(&path) {
                continue;
            }
            reported.push(path);
            let message = format!(
                "`{method} {path}` needs a preflight{}, but HTTP API `{}` has no `OPTIONS` or \
                 `ANY` route for `{path}` and no `$default` route: API Gateway answers the \
                 preflight `404` without CORS headers, and the browser blocks the request",
                why(method, &route.auth),
                api.id
            );
            out.push(cx.finding(
                Rule::PreflightUnrouted,
                Severity::Error,
                &route.at,
                message,
                http_fix(cx.model.dialect, route, path),
            ));
        }
    }
}

/// Whether a browser preflights this method with this authorization.
fn needs_preflight(method: &str, auth: &Auth) -> bool {
    !is_simple_method(method) || auth.needs_header
}

fn why(method: &str, auth: &Auth) -> &'static str {
    if !is_simple_method(method) {
        ""
    } else if auth.api_key {
        " (the page sends `x-api-key`)"
    } else {
        " (the page sends an `Authorization` header or a signature)"
    }
}

fn rest_fix(dialect: Dialect, method: &RestMethod, path: &str) -> String {
    match (&method.declared, dialect) {
        (Declared::Event(_), _) | (_, Dialect::Sam) => format!(
            "route preflights to the function: `Method: ANY` on this event, or another `Api` \
             event with `Path: {path}` and `Method: OPTIONS` (without an authorizer); not \
             `Cors`, which answers them with fixed headers"
        ),
        (Declared::ServerlessEvent(function), _) => format!(
            "add an `http` event `{{path: {}, method: options}}` to `{function}` (not \
             `cors: true`, which answers preflights with fixed headers)",
            path.trim_start_matches('/')
        ),
        (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
            "add an `aws_api_gateway_method` with `http_method = \"OPTIONS\"` and \
             `authorization = \"NONE\"` on `{path}`, with an `AWS_PROXY` integration to the \
             function (or make the method `ANY`)"
        ),
        (_, Dialect::Cdk) => format!(
            "add `OPTIONS` (or use `ANY`) on `{path}` with the Lambda integration, e.g. \
             `resource.addMethod('OPTIONS', integration)`; not `defaultCorsPreflightOptions`, \
             which answers with a mock"
        ),
        (Declared::OpenApi, _) => format!(
            "add an `options` operation on `{path}` with the function's `aws_proxy` \
             integration (or use `x-amazon-apigateway-any-method`)"
        ),
        _ => format!(
            "add an `AWS::ApiGateway::Method` with `HttpMethod: OPTIONS`, `AuthorizationType: \
             NONE` and the function's `AWS_PROXY` integration on `{path}` (or make `{}` `ANY`)",
            method.at.resource
        ),
    }
}

fn http_fix(dialect: Dialect, route: &HttpRoute, path: &str) -> String {
    match (&route.declared, dialect) {
        (Declared::Event(_), _) | (_, Dialect::Sam) => format!(
            "use `Method: ANY` on this event, or add an `HttpApi` event with `Path: {path}` and \
             `Method: OPTIONS` to the function"
        ),
        (Declared::ServerlessEvent(function), _) => format!(
            "add an `httpApi` event `{{method: OPTIONS, path: '{path}'}}` to `{function}` (or \
             use `method: '*'`)"
        ),
        (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
            "add an `aws_apigatewayv2_route` with `route_key = \"OPTIONS {path}\"` (or \
             `\"ANY {path}\"`) to the same integration"
        ),
        (_, Dialect::Cdk) => format!(
            "add a route for `OPTIONS {path}` (`HttpMethod.OPTIONS`, or `ANY`) with the same \
             Lambda integration"
        ),
        _ => format!(
            "add an `AWS::ApiGatewayV2::Route` with `RouteKey: OPTIONS {path}` (or \
             `ANY {path}`) to the same integration"
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, findings_of};

    fn found(template: &str) -> Vec<String> {
        findings_of(Rule::PreflightUnrouted, template)
            .into_iter()
            .map(|f| f.place.path)
            .collect()
    }

    const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    \
        Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Put:\n          \
        Type: Api\n          Properties: {Path: '/notes/{id}', Method: put}\n        Get:\n          \
        Type: Api\n          Properties: {Path: /notes, Method: get}\n";

    #[test]
    fn a_put_without_options_and_a_get_that_needs_none() {
        assert_eq!(found(SAM), ["Properties.Events.Put"]);
        let any = SAM.replace("Method: put", "Method: any");
        assert_eq!(found(&any), Vec::<String>::new());
        let options = format!(
            "{SAM}        Options:\n          Type: Api\n          \
             Properties: {{Path: '/notes/{{id}}', Method: options}}\n"
        );
        assert_eq!(found(&options), Vec::<String>::new());
    }

    #[test]
    fn http_api_routes_and_the_default_route() {
        let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    \
            Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Del:\n          \
            Type: HttpApi\n          Properties: {Path: '/notes/{id}', Method: DELETE}\n";
        assert_eq!(found(template), ["Properties.Events.Del"]);
        let with_proxy = format!(
            "{template}        Opt:\n          Type: HttpApi\n          \
             Properties: {{Path: '/{{proxy+}}', Method: OPTIONS}}\n"
        );
        assert_eq!(found(&with_proxy), Vec::<String>::new());
        let with_default = format!("{template}        Default:\n          Type: HttpApi\n");
        assert_eq!(found(&with_default), Vec::<String>::new());
    }
}

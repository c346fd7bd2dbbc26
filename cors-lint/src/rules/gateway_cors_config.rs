//! `gateway-cors-config`: CORS configured in front of a function that does its own.
//!
//! - HTTP API `CorsConfiguration`: API Gateway answers every preflight itself and replaces the
//!   CORS headers of the function's responses with its own (error);
//! - Function URL `Cors`: Lambda adds its headers beside the function's, so the browser sees
//!   two `Access-Control-Allow-Origin` values (error);
//! - REST: SAM's `Cors`, Serverless's `cors`, or a hand-written `OPTIONS` method with a `MOCK`
//!   integration returning `Access-Control-*`: preflights are answered with fixed headers and
//!   never reach the function (warning).
//!
//! Only APIs with a route to the function count: a `CorsConfiguration` on an API whose routes
//! go elsewhere (an HTTP backend, SQS) is that backend's business.

use super::{Context, Finding, Rule, Severity, where_};
use crate::model::{Declared, Dialect, Target};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let dialect = cx.model.dialect;
    for api in &cx.model.http_apis {
        let Some(cors) = &api.cors else { continue };
        if !api.routes.iter().any(|r| cx.selected(&r.target)) {
            continue;
        }
        let origins = describe_origins(&cors.origins);
        let message = format!(
            "HTTP API `{}` has a CORS configuration{origins}: API Gateway answers every \
             preflight itself and ignores the CORS headers the function returns, replacing \
             them with its own, so the function's allowed origins, credentials and \
             `Vary: Origin` never reach the browser",
            api.id
        );
        let fix = match dialect {
            Dialect::Sam => format!(
                "remove `CorsConfiguration` at {} (and from `Globals.HttpApi`); the function \
                 answers preflights itself through its routes (`Method: ANY` or the `$default` \
                 route)",
                where_(&cors.at)
            ),
            Dialect::Cdk => "remove `corsPreflight` from the `HttpApi` construct; the \
                             function answers preflights itself"
                .to_owned(),
            Dialect::Terraform | Dialect::TerraformPlan => {
                format!("delete the `cors_configuration` block of `{}`", api.id)
            }
            Dialect::Serverless => "remove `provider.httpApi.cors`; the function answers \
                                    preflights itself (route `OPTIONS` to it, e.g. \
                                    `method: '*'`)"
                .to_owned(),
            Dialect::CloudFormation => format!(
                "remove {} from `{}`",
                if cors.at.path.contains("x-amazon-apigateway-cors") {
                    "`x-amazon-apigateway-cors` of the OpenAPI body"
                } else {
                    "`CorsConfiguration`"
                },
                api.id
            ),
        };
        out.push(cx.finding(
            Rule::GatewayCorsConfig,
            Severity::Error,
            &cors.at,
            message,
            fix,
        ));
    }

    for url in &cx.model.function_urls {
        let Some(cors) = &url.cors else { continue };
        let selected = match &url.function {
            Some(id) => cx.selected_function(id),
            None => cx.options.functions.is_empty(),
        };
        if !selected {
            continue;
        }
        let message = format!(
            "the Function URL has a `Cors` setting{}: Lambda answers preflights itself and adds \
             its own CORS headers to the function's responses, so the browser sees \
             `Access-Control-Allow-Origin` twice and refuses the response (\"contains multiple \
             values\")",
            describe_origins(&cors.origins)
        );
        let fix = match dialect {
            Dialect::Sam if cors.at.path.contains("FunctionUrlConfig") => {
                "remove `Cors` from the function's `FunctionUrlConfig`".to_owned()
            }
            Dialect::Cdk => "remove `cors` from `addFunctionUrl({ ... })`".to_owned(),
            Dialect::Terraform | Dialect::TerraformPlan => {
                format!("delete the `cors` block of `{}`", url.at.resource)
            }
            Dialect::Serverless => "remove `cors` from the function's `url`".to_owned(),
            _ => format!("remove `Cors` from `{}`", url.at.resource),
        };
        out.push(cx.finding(
            Rule::GatewayCorsConfig,
            Severity::Error,
            &cors.at,
            message,
            fix,
        ));
    }

    for api in &cx.model.rest_apis {
        let reaches_function = api.methods.iter().any(|m| cx.selected(&m.target));
        if !reaches_function {
            continue;
        }
        // SAM's `Cors` generates nothing on paths that have an `OPTIONS` method already.
        let generated = api
            .methods
            .iter()
            .any(|m| m.declared == Declared::SamCorsPreflight);
        if let Some(cors) = api.cors.as_ref().filter(|_| generated) {
            let message = format!(
                "`Cors` on REST API `{}`{} makes SAM generate an `OPTIONS` method with a \
                 `MOCK` integration on every path: API Gateway answers preflights with those \
                 fixed headers and the function never sees them, so the browser is told \
                 other origins, methods and headers than the function allows (and a fixed \
                 `'*'` is refused for requests with credentials)",
                api.id,
                describe_origins(&cors.origins)
            );
            let fix = format!(
                "remove `Cors` at {} (and from `Globals.Api`); the function's `Api` events \
                 route `OPTIONS` to it with `Method: ANY` (or an `OPTIONS` event)",
                where_(&cors.at)
            );
            out.push(cx.finding(
                Rule::GatewayCorsConfig,
                Severity::Warning,
                &cors.at,
                message,
                fix,
            ));
            continue;
        }
        for method in &api.methods {
            if method.method != "OPTIONS"
                || method.target != (Target::Mock { cors_headers: true })
                || method.declared == Declared::SamCorsPreflight
            {
                continue;
            }
            // Only where the same path's other methods reach the function.
            if !api
                .methods
                .iter()
                .any(|m| m.path == method.path && cx.selected(&m.target))
            {
                continue;
            }
            let path = method.path.as_deref().unwrap_or("?");
            let message = format!(
                "`OPTIONS {path}` has a `MOCK` integration returning `Access-Control-*` headers: \
                 API Gateway answers preflights with those fixed headers and the function never \
                 sees them, so the browser is told other origins, methods and headers than the \
                 function allows"
            );
            let fix = match (&method.declared, dialect) {
                (Declared::ServerlessEvent(function), _) => format!(
                    "remove `cors` from the `http` event of `{function}` on `{path}`, and give \
                     it `method: any` (or an `options` event) so the function answers preflights"
                ),
                (_, Dialect::Cdk) => "remove `defaultCorsPreflightOptions` (or \
                                      `addCorsPreflight`) from the `RestApi`/resource, and \
                                      add `OPTIONS` (or `ANY`) with the Lambda integration"
                    .to_owned(),
                (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
                    "make `{}` an `AWS_PROXY` integration to the function (and drop its \
                     `MOCK` integration and integration/method responses)",
                    method.at.resource
                ),
                (Declared::OpenApi, _) => format!(
                    "replace the `options` operation's `mock` integration on `{path}` with the \
                     function's `aws_proxy` integration"
                ),
                _ => format!(
                    "give `{}` the function's `AWS_PROXY` integration instead of `MOCK`",
                    method.at.resource
                ),
            };
            out.push(cx.finding(
                Rule::GatewayCorsConfig,
                Severity::Warning,
                &method.at,
                message,
                fix,
            ));
        }
    }
}

fn describe_origins(origins: &[String]) -> String {
    if origins.is_empty() {
        String::new()
    } else {
        format!(" (allowing {})", origins.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::read::{InputKind, read_text};
    use crate::rules::{Options, Rule, check};

    fn rules(template: &str) -> Vec<(Rule, String)> {
        let model = read_text(template, "t.yaml", InputKind::Auto).unwrap();
        check(&model, &Options::default())
            .into_iter()
            .filter(|f| f.rule == Rule::GatewayCorsConfig)
            .map(|f| (f.rule, f.place.resource))
            .collect()
    }

    const HTTP_API: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    \
        Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration:\n        \
        AllowOrigins: ['https://app.example.com']\n  Fn:\n    Type: AWS::Serverless::Function\n    \
        Properties:\n      Events:\n        Any:\n          Type: HttpApi\n          Properties:\n            \
        ApiId: !Ref Api\n";

    #[test]
    fn http_api_cors_configuration_in_front_of_the_function() {
        assert_eq!(
            rules(HTTP_API),
            [(Rule::GatewayCorsConfig, "Api".to_owned())]
        );
    }

    #[test]
    fn near_miss_cors_configuration_on_an_api_routing_elsewhere() {
        let template = "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      \
            ProtocolType: HTTP\n      CorsConfiguration: {AllowOrigins: ['*']}\n  Route:\n    \
            Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      \
            RouteKey: 'POST /events'\n      Target: !Sub integrations/${Sqs}\n  Sqs:\n    \
            Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      \
            IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n";
        assert_eq!(rules(template), []);
    }

    #[test]
    fn function_url_cors_and_its_absence() {
        let with = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    \
            Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n        \
            AuthType: NONE\n        Cors: {AllowOrigins: ['*']}\n";
        assert_eq!(rules(with), [(Rule::GatewayCorsConfig, "Fn".to_owned())]);
        assert_eq!(
            rules(&with.replace("        Cors: {AllowOrigins: ['*']}\n", "")),
            []
        );
    }

    #[test]
    fn sam_cors_on_a_rest_api() {
        let template = "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Api:\n    \
            Cors: \"'*'\"\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    \
            Properties:\n      Events:\n        Get:\n          Type: Api\n          \
            Properties: {Path: /notes, Method: get}\n";
        let found = rules(template);
        assert_eq!(found, [(Rule::GatewayCorsConfig, "Globals".to_owned())]);
    }
}

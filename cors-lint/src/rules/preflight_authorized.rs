//! `preflight-authorized`: an authorizer, API key or IAM auth applies to `OPTIONS`. Browsers
//! never send credentials (cookies, `Authorization`, `x-api-key`, a signature) on a preflight,
//! so it is answered `401`/`403` without CORS headers and the real request is never sent.
//!
//! - REST: an `OPTIONS` method with authorization (SAM puts `Auth.DefaultAuthorizer` on the
//!   `OPTIONS` methods its `Cors` generates unless `AddDefaultAuthorizerToCorsPreflight: false`),
//!   or an authorized `ANY` method on a path without an `OPTIONS` method;
//! - HTTP API without a CORS configuration: an authorized `ANY` or `$default` route with no
//!   unauthenticated `OPTIONS` route for its path;
//! - a Function URL with `AWS_IAM` auth and no `Cors` (warning), unless CloudFront (which
//!   signs what it forwards) is in front of it.

use super::{Context, Finding, Rule, Severity, covers, where_};
use crate::model::{Auth, Declared, Dialect, HttpApi, HttpRoute, RestMethod, Upstream};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for api in &cx.model.rest_apis {
        let mut sam_preflights: Vec<&RestMethod> = Vec::new();
        for method in &api.methods {
            if !method.auth.is_required() {
                continue;
            }
            let path_reaches_function = api
                .methods
                .iter()
                .any(|m| m.path == method.path && cx.selected(&m.target));
            if !path_reaches_function {
                continue;
            }
            let path = method.path.as_deref().unwrap_or("?");
            match method.method.as_str() {
                "OPTIONS" if method.declared == Declared::SamCorsPreflight => {
                    sam_preflights.push(method);
                }
                "OPTIONS" => {
                    let message = format!(
                        "`OPTIONS {path}` requires {}: preflights carry no credentials, so API \
                         Gateway answers them `401`/`403` without CORS headers and the browser \
                         never sends the request",
                        describe(&method.auth)
                    );
                    out.push(cx.finding(
                        Rule::PreflightAuthorized,
                        Severity::Error,
                        &method.at,
                        message,
                        unauthorize(cx.model.dialect, method),
                    ));
                }
                "ANY" if cx.selected(&method.target) => {
                    let has_options = api
                        .methods
                        .iter()
                        .any(|m| m.path == method.path && m.method == "OPTIONS");
                    if has_options {
                        continue;
                    }
                    let message = format!(
                        "`ANY {path}` requires {} and no `OPTIONS` method exists on `{path}`: \
                         preflights reach the `ANY` method, carry no credentials, and are \
                         answered `401`/`403` without CORS headers",
                        describe(&method.auth)
                    );
                    out.push(cx.finding(
                        Rule::PreflightAuthorized,
                        Severity::Error,
                        &method.at,
                        message,
                        add_options(cx.model.dialect, method, path),
                    ));
                }
                _ => {}
            }
        }
        if let Some(first) = sam_preflights.first() {
            let paths: Vec<&str> = sam_preflights
                .iter()
                .filter_map(|m| m.path.as_deref())
                .collect();
            let mut switches = Vec::new();
            if sam_preflights.iter().any(|m| m.auth.authorizer.is_some()) {
                switches.push("`AddDefaultAuthorizerToCorsPreflight: false`");
            }
            if sam_preflights.iter().any(|m| m.auth.api_key) {
                switches.push("`AddApiKeyRequiredToCorsPreflight: false`");
            }
            let message = format!(
                "the `OPTIONS` methods SAM generates for `Cors` on REST API `{}` ({}) get {}: \
                 preflights carry no credentials, so they are answered `401`/`403` without \
                 CORS headers",
                api.id,
                paths.join(", "),
                describe(&first.auth)
            );
            let fix = format!("add {} to the API's `Auth`", switches.join(" and "));
            out.push(cx.finding(
                Rule::PreflightAuthorized,
                Severity::Error,
                &first.at,
                message,
                fix,
            ));
        }
    }

    for api in &cx.model.http_apis {
        // With a CORS configuration API Gateway answers preflights itself, without auth.
        if api.cors.is_some() {
            continue;
        }
        for route in &api.routes {
            if !route.auth.is_required() || !cx.selected(&route.target) {
                continue;
            }
            let catches_preflights = match route.method_and_path() {
                None => true,
                Some((method, _)) => method == "ANY" || method == "OPTIONS",
            };
            if !catches_preflights || has_open_options_route(api, route) {
                continue;
            }
            let message = format!(
                "route `{}` requires {} and no `OPTIONS` route without authorization covers its \
                 path: preflights reach it, carry no credentials, and are answered `401` \
                 without CORS headers",
                route.key,
                describe(&route.auth)
            );
            out.push(cx.finding(
                Rule::PreflightAuthorized,
                Severity::Error,
                &route.at,
                message,
                open_options_route(cx.model.dialect, route),
            ));
        }
    }

    for url in &cx.model.function_urls {
        let selected = url
            .function
            .as_deref()
            .map_or(cx.options.functions.is_empty(), |f| cx.selected_function(f));
        // Behind CloudFront with origin access control, CloudFront signs every request it
        // forwards, preflights included.
        let behind_cloudfront = cx.model.cache_behaviors.iter().any(|b| {
            matches!(&b.upstream, Upstream::Api(functions)
                if url.function.as_ref().is_some_and(|f| functions.contains(f)))
        });
        if !url.iam || url.cors.is_some() || !selected || behind_cloudfront {
            continue;
        }
        let message = "the Function URL's auth type is `AWS_IAM`: a preflight is never signed, \
                       so it is refused `403` without CORS headers and a browser cannot call \
                       the URL with a preflighted request"
            .to_owned();
        let fix = match cx.model.dialect {
            Dialect::Terraform | Dialect::TerraformPlan => {
                "set `authorization_type = \"NONE\"` and authorize inside the function, or \
                 put CloudFront (origin access control) in front"
            }
            _ => {
                "set `AuthType: NONE` and authorize inside the function, or put CloudFront \
                  (origin access control) in front"
            }
        };
        out.push(cx.finding(
            Rule::PreflightAuthorized,
            Severity::Warning,
            &url.at,
            message,
            fix.to_owned(),
        ));
    }
}

fn has_open_options_route(api: &HttpApi, route: &HttpRoute) -> bool {
    let path = route.method_and_path().map_or("/{proxy+}", |(_, p)| p);
    api.routes.iter().any(|other| {
        !other.auth.is_required()
            && other
                .method_and_path()
                .is_some_and(|(m, p)| (m == "OPTIONS" || m == "ANY") && covers(p, path))
    })
}

fn describe(auth: &Auth) -> String {
    match (&auth.authorizer, auth.api_key) {
        (Some(a), true) => format!("authorization (`{a}`) and an API key"),
        (Some(a), false) if a == "AWS_IAM" => "IAM authorization (`AWS_IAM`)".to_owned(),
        (Some(a), false) => format!("authorization (`{a}`)"),
        (None, _) => "an API key".to_owned(),
    }
}

/// The fix for an authorized `OPTIONS` method.
fn unauthorize(dialect: Dialect, method: &RestMethod) -> String {
    match (&method.declared, dialect) {
        (Declared::Event(event), _) => {
            format!("give the `{event}` event `Auth: {{Authorizer: NONE, ApiKeyRequired: false}}`")
        }
        (Declared::ServerlessEvent(function), _) => {
            format!("remove `authorizer` and `private` from the `options` event of `{function}`")
        }
        (Declared::OpenApi, _) => "give the `options` operation `security: []`".to_owned(),
        (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
            "set `authorization = \"NONE\"` and `api_key_required = false` on `{}`",
            method.at.resource
        ),
        (_, Dialect::Cdk) => "add the `OPTIONS` method with `authorizationType: \
                              AuthorizationType.NONE` (CDK copies `defaultMethodOptions` onto \
                              it otherwise)"
            .to_owned(),
        _ => format!(
            "set `AuthorizationType: NONE` and `ApiKeyRequired: false` on `{}`",
            method.at.resource
        ),
    }
}

/// The fix for an authorized `ANY` method without an `OPTIONS` beside it.
fn add_options(dialect: Dialect, method: &RestMethod, path: &str) -> String {
    match (&method.declared, dialect) {
        (Declared::Event(_), _) | (_, Dialect::Sam) => format!(
            "add an event to the same function: `Type: Api`, `Path: {path}`, `Method: OPTIONS`, \
             `Auth: {{Authorizer: NONE, ApiKeyRequired: false}}`"
        ),
        (Declared::ServerlessEvent(_), _) | (_, Dialect::Serverless) => format!(
            "add an `http` event `{{path: {}, method: options}}` without `authorizer` to the \
             same function",
            path.trim_start_matches('/')
        ),
        (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
            "add an `aws_api_gateway_method` for `OPTIONS` on `{path}` with `authorization = \
             \"NONE\"` and the same `AWS_PROXY` integration"
        ),
        (_, Dialect::Cdk) => format!(
            "add `OPTIONS` on `{path}` with the Lambda integration and `authorizationType: \
             AuthorizationType.NONE`"
        ),
        _ => format!(
            "add an `AWS::ApiGateway::Method` for `OPTIONS` on `{path}` with \
             `AuthorizationType: NONE` and the same `AWS_PROXY` integration ({})",
            where_(&method.at)
        ),
    }
}

/// The fix for an authorized `ANY`/`$default` HTTP API route.
fn open_options_route(dialect: Dialect, route: &HttpRoute) -> String {
    let path = route.method_and_path().map_or("/{proxy+}", |(_, p)| p);
    match (&route.declared, dialect) {
        (Declared::Event(_), _) | (_, Dialect::Sam) => format!(
            "add an `HttpApi` event to the same function with `Path: {path}`, `Method: OPTIONS` \
             and `Auth: {{Authorizer: NONE}}`"
        ),
        (_, Dialect::Serverless) => format!(
            "add an `httpApi` event `{{method: OPTIONS, path: '{path}'}}` without `authorizer` \
             to the same function"
        ),
        (_, Dialect::Terraform | Dialect::TerraformPlan) => format!(
            "add an `aws_apigatewayv2_route` with `route_key = \"OPTIONS {path}\"`, \
             `authorization_type = \"NONE\"` and the same integration"
        ),
        (_, Dialect::Cdk) => format!(
            "add a route `OPTIONS {path}` (`HttpMethod.OPTIONS`) with the same Lambda \
             integration and no authorizer"
        ),
        _ => format!(
            "add an `AWS::ApiGatewayV2::Route` with `RouteKey: OPTIONS {path}`, \
             `AuthorizationType: NONE` and the same integration"
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, findings_of};

    fn found(template: &str) -> Vec<String> {
        findings_of(Rule::PreflightAuthorized, template)
            .into_iter()
            .map(|f| f.place.resource)
            .collect()
    }

    const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    \
        Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      \
        Cors: \"'https://app.example.com'\"\n      Auth:\n        DefaultAuthorizer: Cognito\n        \
        Authorizers:\n          Cognito: {UserPoolArn: arn}\n  Fn:\n    \
        Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Put:\n          \
        Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /notes, Method: put}\n";

    #[test]
    fn sam_default_authorizer_on_generated_preflights_and_its_switch() {
        assert_eq!(found(SAM), ["Api"]);
        let off = SAM.replace(
            "        DefaultAuthorizer: Cognito\n",
            "        DefaultAuthorizer: Cognito\n        AddDefaultAuthorizerToCorsPreflight: false\n",
        );
        assert_eq!(found(&off), Vec::<String>::new());
    }

    const HTTP: &str = "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      \
        ProtocolType: HTTP\n  Any:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      \
        ApiId: !Ref Api\n      RouteKey: ANY /{proxy+}\n      AuthorizationType: JWT\n      \
        Target: !Sub integrations/${Integration}\n  Integration:\n    \
        Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      \
        IntegrationType: AWS_PROXY\n      IntegrationUri: !GetAtt Fn.Arn\n  Fn:\n    \
        Type: AWS::Lambda::Function\n";

    #[test]
    fn http_api_authorized_any_and_an_open_options_route_beside_it() {
        assert_eq!(found(HTTP), ["Any"]);
        let open = format!(
            "{HTTP}  Options:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      \
             ApiId: !Ref Api\n      RouteKey: OPTIONS /{{proxy+}}\n      \
             Target: !Sub integrations/${{Integration}}\n"
        );
        assert_eq!(found(&open), Vec::<String>::new());
    }
}

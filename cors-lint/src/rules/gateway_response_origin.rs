//! `gateway-response-origin`: REST API gateway responses (`DEFAULT_4XX`, `UNAUTHORIZED`, ...)
//! are answered without calling the function, so they carry only the headers configured on
//! them:
//!
//! - `Access-Control-Allow-Origin` mapped from `method.request.header.Origin` reflects every
//!   origin (error: any site reads the gateway's errors, with credentials if allowed);
//! - `'*'` with `Access-Control-Allow-Credentials: 'true'` is refused by browsers (warning);
//! - `DEFAULT_4XX`/`DEFAULT_5XX` without CORS headers: a page cannot read the gateway's own
//!   errors, which look like CORS errors (note).

use super::{Context, Finding, Rule, Severity};
use crate::model::{Dialect, GatewayResponse, Text};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let dialect = cx.model.dialect;
    for api in &cx.model.rest_apis {
        if !api.methods.iter().any(|m| cx.selected(&m.target)) {
            continue;
        }
        for response in &api.gateway_responses {
            let kind = match &response.kind {
                Text::Literal(kind) => kind.clone(),
                _ => "a gateway response".to_owned(),
            };
            let Some(origin) = header(response, "Access-Control-Allow-Origin") else {
                continue;
            };
            let credentials = header(response, "Access-Control-Allow-Credentials")
                .is_some_and(|v| v.trim_matches('\'').eq_ignore_ascii_case("true"));
            if origin
                .to_ascii_lowercase()
                .contains("method.request.header.origin")
            {
                let message = format!(
                    "`{kind}` of REST API `{}` maps `Access-Control-Allow-Origin` from \
                     `method.request.header.Origin`: it reflects every origin, so any site can \
                     read these responses{}",
                    api.id,
                    if credentials {
                        ", with the user's cookies (`Access-Control-Allow-Credentials: true`)"
                    } else {
                        ""
                    }
                );
                out.push(cx.finding(
                    Rule::GatewayResponseOrigin,
                    Severity::Error,
                    &response.at,
                    message,
                    fixed_origin(dialect),
                ));
            } else if origin.trim_matches('\'') == "*" && credentials {
                let message = format!(
                    "`{kind}` of REST API `{}` sends `Access-Control-Allow-Origin: *` with \
                     `Access-Control-Allow-Credentials: true`: browsers refuse that \
                     combination, so a page calling with credentials cannot read these errors",
                    api.id
                );
                out.push(cx.finding(
                    Rule::GatewayResponseOrigin,
                    Severity::Warning,
                    &response.at,
                    message,
                    fixed_origin(dialect),
                ));
            }
        }
        if !api.gateway_responses_known
            || api
                .gateway_responses
                .iter()
                .any(|r| matches!(r.kind, Text::Unknown | Text::Template(_)))
        {
            continue;
        }
        let missing: Vec<&str> = ["DEFAULT_4XX", "DEFAULT_5XX"]
            .into_iter()
            .filter(|kind| {
                !api.gateway_responses.iter().any(|r| {
                    r.kind.literal() == Some(kind)
                        && header(r, "Access-Control-Allow-Origin").is_some()
                })
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let message = format!(
            "REST API `{}` has no CORS headers on {}: the gateway's own errors (an \
             authorizer's 401/403, throttling 429, a failed invocation's 502, a missing route's \
             403) reach the page as CORS errors, with their status hidden",
            api.id,
            missing.join(" and ")
        );
        out.push(cx.finding(
            Rule::GatewayResponseOrigin,
            Severity::Note,
            &api.at,
            message,
            add_headers(dialect, &missing),
        ));
    }
}

/// The literal value of a header of a gateway response (names compared without case).
fn header<'r>(response: &'r GatewayResponse, name: &str) -> Option<&'r str> {
    response
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| match value {
            Text::Literal(text) => text.as_str(),
            // A template around a deploy-time value: never `method.request...`, never `*`.
            Text::Template(_) | Text::Unknown => "'…'",
        })
}

fn fixed_origin(dialect: Dialect) -> String {
    let example = match dialect {
        Dialect::Terraform | Dialect::TerraformPlan => {
            "\"gatewayresponse.header.Access-Control-Allow-Origin\" = \
             \"'https://app.example.com'\""
        }
        Dialect::Sam => "`Access-Control-Allow-Origin: \"'https://app.example.com'\"`",
        Dialect::Serverless => {
            "`Access-Control-Allow-Origin: \"'https://app.example.com'\"` \
                                under the `AWS::ApiGateway::GatewayResponse`'s \
                                `ResponseParameters`"
        }
        Dialect::Cdk => {
            "`responseHeaders: { 'Access-Control-Allow-Origin': \
                         \"'https://app.example.com'\" }` in `addGatewayResponse`"
        }
        Dialect::CloudFormation => {
            "`gatewayresponse.header.Access-Control-Allow-Origin: \
                                    \"'https://app.example.com'\"`"
        }
    };
    format!(
        "send one fixed origin, the page's, in single quotes (a static value), with \
         `Vary: 'Origin'`: {example}"
    )
}

fn add_headers(dialect: Dialect, missing: &[&str]) -> String {
    let types = missing.join(" and ");
    match dialect {
        Dialect::Sam => format!(
            "add `GatewayResponses` for {types} with `ResponseParameters: {{Headers: \
             {{Access-Control-Allow-Origin: \"'https://app.example.com'\", Vary: \"'Origin'\"}}}}`"
        ),
        Dialect::Terraform | Dialect::TerraformPlan => format!(
            "add an `aws_api_gateway_gateway_response` for {types} with \
             `response_parameters = {{ \"gatewayresponse.header.Access-Control-Allow-Origin\" \
             = \"'https://app.example.com'\" }}`"
        ),
        Dialect::Cdk => format!(
            "add `api.addGatewayResponse(...)` for {types} with `responseHeaders: {{ \
             'Access-Control-Allow-Origin': \"'https://app.example.com'\" }}`"
        ),
        Dialect::Serverless | Dialect::CloudFormation => format!(
            "add an `AWS::ApiGateway::GatewayResponse` for {types} with `ResponseParameters: \
             {{gatewayresponse.header.Access-Control-Allow-Origin: \"'https://app.example.com'\"}}`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, Severity, findings_of};

    fn found(template: &str) -> Vec<(Severity, String)> {
        findings_of(Rule::GatewayResponseOrigin, template)
            .into_iter()
            .map(|f| (f.severity, f.place.path))
            .collect()
    }

    fn sam(responses: &str) -> String {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    \
             Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      \
             GatewayResponses:\n{responses}  Fn:\n    Type: AWS::Serverless::Function\n    \
             Properties:\n      Events:\n        Any:\n          Type: Api\n          \
             Properties: {{RestApiId: !Ref Api, Path: '/{{proxy+}}', Method: any}}\n"
        )
    }

    #[test]
    fn reflected_origin_and_a_fixed_one() {
        let reflect = "        DEFAULT_4XX:\n          ResponseParameters:\n            Headers:\n              \
            Access-Control-Allow-Origin: method.request.header.Origin\n        DEFAULT_5XX:\n          \
            ResponseParameters:\n            Headers:\n              \
            Access-Control-Allow-Origin: \"'https://app.example.com'\"\n";
        assert_eq!(
            found(&sam(reflect)),
            [(
                Severity::Error,
                "Properties.GatewayResponses.DEFAULT_4XX".into()
            )]
        );
        let fixed = reflect.replace(
            "method.request.header.Origin",
            "\"'https://app.example.com'\"",
        );
        assert_eq!(found(&sam(&fixed)), []);
    }

    #[test]
    fn a_note_when_the_defaults_have_no_cors_headers() {
        let only_4xx = "        DEFAULT_4XX:\n          ResponseParameters:\n            Headers:\n              \
            Access-Control-Allow-Origin: \"'*'\"\n              \
            Access-Control-Allow-Credentials: \"'true'\"\n";
        let found = found(&sam(only_4xx));
        assert_eq!(
            found,
            [
                (Severity::Note, String::new()),
                (
                    Severity::Warning,
                    "Properties.GatewayResponses.DEFAULT_4XX".into()
                ),
            ]
        );
    }
}

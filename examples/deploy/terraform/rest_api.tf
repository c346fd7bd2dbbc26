# REST API (payload 1.0) with Lambda proxy integration: `ANY /` and `ANY /{proxy+}`.
#
# No CORS setting of API Gateway's own: no OPTIONS mock methods, no "Enable CORS". Every
# request, preflights included, reaches the function, and `#[cors]` answers it. The methods
# have no authorizer: a preflight never carries credentials, so an authorizer on OPTIONS would
# refuse every preflight. (With an authorizer, keep OPTIONS on a method of its own without one.)

resource "aws_api_gateway_rest_api" "api" {
  name = "${var.name}-rest"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "proxy" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "root" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "proxy" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.proxy.id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "root" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = aws_api_gateway_method.root.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api.invoke_arn
}

resource "aws_api_gateway_integration" "proxy" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.proxy.id
  http_method             = aws_api_gateway_method.proxy.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api.invoke_arn
}

# API Gateway's own error responses never reach the function: an authorizer's 401/403,
# throttling (429), a request too large (413), a missing route (403 "Missing Authentication
# Token"), an integration timeout (504), and the 502 for a failed invocation. Without CORS
# headers the browser hides them behind a "blocked by CORS policy" error.
#
# DEFAULT_4XX and DEFAULT_5XX apply to every response type not customized on its own, so these
# two cover all of the above. The allowed origin is a fixed value, the frontend's, in single
# quotes (a static value in API Gateway's mapping syntax): never
# `method.request.header.Origin`, which would reflect any origin, with credentials. A page on
# an extra origin sees these errors as CORS errors; listing more origins here is not possible
# (one header value), and reflecting is not safe.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each = toset(["DEFAULT_4XX", "DEFAULT_5XX"])

  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = each.value

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"      = "'${local.frontend_origin}'"
    "gatewayresponse.header.Access-Control-Allow-Credentials" = "'true'"
    "gatewayresponse.header.Vary"                             = "'Origin'"
  }

  response_templates = {
    "application/json" = "{\"message\":$context.error.messageString}"
  }
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  # A REST API serves what was deployed: redeploy when a route, an integration or a gateway
  # response changes (a gateway response added without a new deployment has no effect).
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy,
      aws_api_gateway_method.root,
      aws_api_gateway_method.proxy,
      aws_api_gateway_integration.root,
      aws_api_gateway_integration.proxy,
      aws_api_gateway_gateway_response.cors,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}

resource "aws_lambda_permission" "rest_api" {
  statement_id  = "AllowRestApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
}

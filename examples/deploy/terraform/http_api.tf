# HTTP API (payload 2.0): one `$default` route to the function.
#
# No `cors_configuration` block. With one, API Gateway answers preflights itself, ignores the
# CORS headers the function sends and puts its own fixed list in their place: ALLOWED_ORIGINS,
# the checks and `Vary: Origin` of `#[cors]` would all be bypassed.
#
# HTTP APIs have no gateway responses: their own errors (throttling 429, payload too large
# 413, a JWT authorizer's 401/403, integration timeout 503/504, a failed invocation 500) carry
# no CORS headers and cannot be given any. See the README for what helps.

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.name}-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.api.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.api.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}

resource "aws_lambda_permission" "http_api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

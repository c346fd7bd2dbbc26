output "frontend_url" {
  description = "The page; its origin is the only one in ALLOWED_ORIGINS unless extra_allowed_origins adds more."
  value       = "${local.frontend_origin}/"
}

output "allowed_origins" {
  description = "The functions' ALLOWED_ORIGINS."
  value       = local.allowed_origins
}

output "frontend_bucket" {
  description = "Upload the page here (terraform already did, with config.json)."
  value       = aws_s3_bucket.frontend.id
}

output "rest_api_url" {
  value = aws_api_gateway_stage.prod.invoke_url
}

output "http_api_url" {
  value = aws_apigatewayv2_stage.default.invoke_url
}

output "function_url" {
  value = aws_lambda_function_url.api.function_url
}

output "stream_function_url" {
  value = aws_lambda_function_url.stream.function_url
}

output "api_cdn_url" {
  value = var.api_cdn ? "https://${aws_cloudfront_distribution.api[0].domain_name}/" : null
}

# The functions: the zips `cargo lambda build --release --arm64 --output-format zip` writes to
# target/lambda/<bin>/bootstrap.zip, on the OS-only runtime for arm64 (Graviton).

locals {
  zip_dir = coalesce(var.lambda_zip_dir, "${path.module}/../../../target/lambda")

  # The one origin the frontend is served from, exactly as browsers send it.
  frontend_origin = "https://${aws_cloudfront_distribution.frontend.domain_name}"

  # ALLOWED_ORIGINS: entries separated by spaces, read once per cold start by
  # `#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]`.
  allowed_origins = join(" ", concat([local.frontend_origin], var.extra_allowed_origins))
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name_prefix        = "${var.name}-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "lambda_logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/lambda/${var.name}-api"
  retention_in_days = 14
}

resource "aws_cloudwatch_log_group" "stream" {
  name              = "/aws/lambda/${var.name}-stream"
  retention_in_days = 14
}

# Behind the REST API, the HTTP API and a buffered Function URL: one handler, three event
# kinds, the same CORS answers.
resource "aws_lambda_function" "api" {
  function_name    = "${var.name}-api"
  role             = aws_iam_role.lambda.arn
  runtime          = "provided.al2023"
  architectures    = ["arm64"]
  handler          = "bootstrap"
  filename         = "${local.zip_dir}/${var.api_bin}/bootstrap.zip"
  source_code_hash = filebase64sha256("${local.zip_dir}/${var.api_bin}/bootstrap.zip")
  memory_size      = 128
  # Below REST API's 29 s integration timeout, so a slow handler ends as a Lambda timeout
  # rather than the gateway's 504.
  timeout = 10

  environment {
    variables = {
      ALLOWED_ORIGINS   = local.allowed_origins
      COOKIE_ATTRIBUTES = var.cookie_attributes
    }
  }

  depends_on = [aws_iam_role_policy_attachment.lambda_logs, aws_cloudwatch_log_group.api]
}

# stream-api answers through `run_with_streaming_response`: only a Function URL with
# invoke mode RESPONSE_STREAM delivers its body chunk by chunk.
resource "aws_lambda_function" "stream" {
  function_name    = "${var.name}-stream"
  role             = aws_iam_role.lambda.arn
  runtime          = "provided.al2023"
  architectures    = ["arm64"]
  handler          = "bootstrap"
  filename         = "${local.zip_dir}/stream-api/bootstrap.zip"
  source_code_hash = filebase64sha256("${local.zip_dir}/stream-api/bootstrap.zip")
  memory_size      = 128
  timeout          = 30

  environment {
    variables = {
      ALLOWED_ORIGINS = local.allowed_origins
    }
  }

  depends_on = [aws_iam_role_policy_attachment.lambda_logs, aws_cloudwatch_log_group.stream]
}

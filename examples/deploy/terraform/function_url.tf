# Function URLs (auth type NONE: public, like the APIs above).
#
# No `cors` block. With one, Lambda answers preflights itself and adds its configured headers
# to the function's responses: next to the function's own `Access-Control-Allow-Origin` the
# browser then sees two values and refuses the response.
#
# The provider adds the two resource-policy statements a public URL needs (see versions.tf).

# Buffered: the same function as the APIs.
resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
  invoke_mode        = "BUFFERED"
}

# Streaming: stream-api's body arrives chunk by chunk.
resource "aws_lambda_function_url" "stream" {
  function_name      = aws_lambda_function.stream.function_name
  authorization_type = "NONE"
  invoke_mode        = "RESPONSE_STREAM"
}

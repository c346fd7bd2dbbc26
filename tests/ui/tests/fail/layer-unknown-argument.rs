use cors_runtime::cors_layer;

fn main() {
    let _layer = cors_layer!(origins = ["https://app.example.com"], catch_error);
}

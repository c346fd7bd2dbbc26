use cors_runtime::cors_layer;

fn main() {
    let _layer = cors_layer!(
        origins = ["https://App.example.com", "http://api.example.com"],
        credentials,
        methods = ["*"],
        headers = ["Cookie"],
        max_age = 86401,
    );
}

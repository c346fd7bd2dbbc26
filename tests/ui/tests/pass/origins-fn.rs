// `origins_fn` names a plain `fn(&Origin) -> bool`, alone or beside the lists, in the attribute
// and in `cors_layer!`, by any path.
use cors_runtime::{Origin, cors, cors_layer};
use lambda_http::{Body, Error, Request, Response};

mod tenants {
    pub fn is_allowed(origin: &cors_runtime::Origin) -> bool {
        origin.scheme() == "https" && origin.host().ends_with(".tenants.example.com")
    }
}

fn is_dev_server(origin: &Origin) -> bool {
    origin.host() == "localhost"
}

#[cors(origins_fn = tenants::is_allowed)]
async fn alone(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

#[cors(origins = ["https://app.example.com"], origins_env = "ALLOWED_ORIGINS", origins_fn = crate::is_dev_server, credentials)]
async fn beside_the_lists(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {
    let _ = (alone, beside_the_lists);
    let _layer = cors_layer!(origins_fn = tenants::is_allowed, credentials);
}

//! The HTTP side: binds the socket, prints the URL, and answers every request through one
//! handler that applies the guard, reads the body under its cap and hands the work to a
//! blocking thread (the core's operations are synchronous; compile and invoke take a while).
//!
//! Why axum on a current-thread tokio runtime: hyper underneath never sizes a buffer from a
//! client's `Content-Length`, bodies are streamed so the cap holds whatever the client says,
//! and tokio is already in the workspace's tree with the features used here.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use http_body_util::BodyExt as _;
use space_data_module::{Error, ErrorCode};

use super::Args;
use super::guard::{self, AllowedHosts, DRAIN_BYTES, REQUEST_BODY_BYTES, RequestHeaders};
use super::reply::{ApiError, ApiResult, Reply};
use super::routes;
use super::session::Session;

/// Everything a request handler shares.
struct Lab {
    session: Session,
    allowed_hosts: AllowedHosts,
    /// POSTs in progress (body held in memory, operation running) at most: bounds the memory
    /// that many parallel uploads can take to about this many times the body cap.
    posts: tokio::sync::Semaphore,
}

/// Serves until the process is stopped. The first line on stdout is the URL (`--port 0`
/// prints the port it was given), flushed before the first request is accepted.
pub fn serve(args: &Args) -> Result<(), Error> {
    let io = |what: &str, err: std::io::Error| Error::new(ErrorCode::Io, format!("{what}: {err}"));
    let requested = SocketAddr::new(args.host, args.port);
    let listener = std::net::TcpListener::bind(requested)
        .map_err(|err| io(&format!("binding {requested}"), err))?;
    let bound = listener
        .local_addr()
        .map_err(|err| io("reading the bound address", err))?;
    listener
        .set_nonblocking(true)
        .map_err(|err| io("configuring the socket", err))?;
    let lab = Arc::new(Lab {
        session: Session::new()?,
        allowed_hosts: AllowedHosts::for_address(bound),
        posts: tokio::sync::Semaphore::new(2 * usize::from(args.workers)),
    });
    let url = if bound.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", bound.port())
    } else {
        format!("http://{bound}/")
    };
    println!("lab: serving {url}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "lab: session signer {}; stop with Ctrl-C",
        lab.session.signing.public_key_hex()
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .max_blocking_threads(usize::from(args.workers))
        .build()
        .map_err(|err| io("starting the runtime", err))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|err| io("listening", err))?;
        let app = Router::new().fallback(handle).with_state(lab);
        axum::serve(listener, app)
            .await
            .map_err(|err| io("serving", err))
    })
}

async fn handle(State(lab): State<Arc<Lab>>, request: Request) -> Response {
    let reply = answer(lab, request).await.unwrap_or_else(|err| err.reply());
    into_response(reply)
}

async fn answer(lab: Arc<Lab>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let header = |name: &HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let sec_fetch_site = HeaderName::from_static("sec-fetch-site");
    let headers = RequestHeaders {
        host: header(&header::HOST),
        origin: header(&header::ORIGIN),
        sec_fetch_site: header(&sec_fetch_site),
        content_type: header(&header::CONTENT_TYPE),
    };
    guard::check_host(&headers, &lab.allowed_hosts)?;
    let path = parts.uri.path().to_owned();
    let is_get_path = routes::is_get_path(&path);
    match parts.method {
        Method::GET | Method::HEAD if is_get_path => {
            blocking(lab, move |lab| routes::get(&path, &lab.session)).await
        }
        Method::POST if path.starts_with("/api/") && !is_get_path => {
            guard::check_post(&headers)?;
            let declared = header(&header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok());
            let _permit = lab.posts.acquire().await.map_err(|_| {
                ApiError::from(Error::new(ErrorCode::Internal, "the server is stopping"))
            })?;
            let body = read_body(body, declared).await?;
            blocking(Arc::clone(&lab), move |lab| {
                routes::post(&path, &body, &lab.session)
            })
            .await
        }
        _ if is_get_path || path.starts_with("/api/") => Err(ApiError::with_status(
            405,
            ErrorCode::InvalidArgument,
            format!("{} is not allowed on {path}", parts.method),
        )),
        _ => Err(routes::not_found(&path)),
    }
}

/// Runs a route on tokio's blocking pool: the core's calls are synchronous. A panic in one is
/// answered with the `panic` code (500) and the server goes on.
async fn blocking<F>(lab: Arc<Lab>, work: F) -> ApiResult
where
    F: FnOnce(&Lab) -> ApiResult + Send + 'static,
{
    tokio::task::spawn_blocking(move || work(&lab))
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::from(Error::new(
                ErrorCode::Panic,
                "the request's handler panicked (a bug: please report it)",
            )))
        })
}

/// The body, at most [`REQUEST_BODY_BYTES`]. An oversize body is read to its end (up to
/// [`DRAIN_BYTES`]) and thrown away, keeping nothing beyond the cap in memory.
async fn read_body(mut body: Body, declared: Option<u64>) -> Result<Vec<u8>, ApiError> {
    let cap = REQUEST_BODY_BYTES as u64;
    if let Some(len) = declared
        && len > DRAIN_BYTES
    {
        return Err(guard::too_large(&format!("{len} bytes")));
    }
    let keep = declared.is_none_or(|len| len <= cap);
    // The declared length is the client's word: reserve at most 1 MiB on it.
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(cap).min(1 << 20) as usize);
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| {
            ApiError::with_status(400, ErrorCode::Io, format!("reading the request: {err}"))
        })?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        seen = seen.saturating_add(data.len() as u64);
        if keep && seen <= cap {
            bytes.extend_from_slice(data);
        } else {
            bytes = Vec::new();
        }
        if seen > DRAIN_BYTES {
            break;
        }
    }
    if seen > cap {
        return Err(guard::too_large(&match declared {
            Some(len) => format!("{len} bytes"),
            None => "more bytes".to_owned(),
        }));
    }
    Ok(bytes)
}

/// The same defensive headers on every answer: nothing is cached (responses may carry a
/// downloaded key), nothing is framed or sniffed, and the page loads only its own files.
fn into_response(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'; \
             base-uri 'none'; form-action 'none'",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Some(value) = reply
        .attachment
        .and_then(|value| HeaderValue::from_str(&value).ok())
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

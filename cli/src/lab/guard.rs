//! What a request must satisfy before any route sees it.
//!
//! The lab has no login: anything that can make the browser send a request to it could use
//! the session's keys. So:
//! - `Host` must name the lab itself (`127.0.0.1:PORT`, `localhost:PORT`, the bound address):
//!   a DNS-rebinding page, whose requests carry its own host name, is refused (403);
//! - a state-changing request (POST) must be `Content-Type: application/json` (415 otherwise):
//!   a cross-site form or a "simple" `fetch` cannot send that type without a CORS preflight,
//!   and the lab answers no preflight;
//! - when the browser says where a request comes from (`Origin`, `Sec-Fetch-Site`), it must be
//!   the lab's own origin (403 otherwise). Tools such as curl send neither and are let through:
//!   they are not a browser that a foreign page can steer;
//! - a body is read only up to the cap (413 beyond it), whatever `Content-Length` says.

use std::net::SocketAddr;

use space_data_module::ErrorCode;

use super::reply::ApiError;

/// The largest request body: 32 MiB of JSON, which holds a module of about 24 MiB in base64.
pub const REQUEST_BODY_BYTES: usize = 32 << 20;

/// The `Host` values (`host:port`) that name this server.
pub struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    pub fn for_address(bound: SocketAddr) -> AllowedHosts {
        let port = bound.port();
        let mut hosts = vec![bound.to_string()];
        let ip = bound.ip();
        if ip.is_loopback() || ip.is_unspecified() {
            hosts.push(format!("localhost:{port}"));
            hosts.push(format!("127.0.0.1:{port}"));
            hosts.push(format!("[::1]:{port}"));
        }
        hosts.dedup();
        AllowedHosts(hosts)
    }

    fn contains(&self, host: &str) -> bool {
        self.0
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }
}

/// The headers the guard reads (looked up case-insensitively by the server).
#[derive(Default)]
pub struct RequestHeaders<'a> {
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub sec_fetch_site: Option<&'a str>,
    pub content_type: Option<&'a str>,
}

fn forbidden(message: String) -> ApiError {
    ApiError::with_status(403, ErrorCode::InvalidArgument, message)
}

/// Every request: it must be addressed to this server by name.
pub fn check_host(headers: &RequestHeaders<'_>, allowed: &AllowedHosts) -> Result<(), ApiError> {
    match headers.host {
        Some(host) if allowed.contains(host.trim()) => Ok(()),
        Some(host) => Err(forbidden(format!(
            "Host {:?} is not this lab's address",
            truncate(host)
        ))),
        None => Err(forbidden("a Host header is required".to_owned())),
    }
}

/// POST requests: same origin, JSON only.
pub fn check_post(headers: &RequestHeaders<'_>) -> Result<(), ApiError> {
    if let Some(origin) = headers.origin {
        // `check_host` already proved Host is ours, so the page's own origin is `http://` + Host.
        let own = headers.host.map(|host| format!("http://{}", host.trim()));
        if own
            .as_deref()
            .is_none_or(|own| !own.eq_ignore_ascii_case(origin.trim()))
        {
            return Err(forbidden(format!(
                "cross-origin request from {:?} refused",
                truncate(origin)
            )));
        }
    }
    if let Some(site) = headers.sec_fetch_site
        && !matches!(site.trim(), "same-origin" | "none")
    {
        return Err(forbidden(format!(
            "request from a {:?} context refused",
            truncate(site)
        )));
    }
    let is_json = headers.content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
    });
    if !is_json {
        return Err(ApiError::with_status(
            415,
            ErrorCode::InvalidArgument,
            "the API accepts only Content-Type: application/json",
        ));
    }
    Ok(())
}

/// How much of an oversize body is still read (and thrown away) before the 413 is sent, so a
/// browser that is still uploading sees the answer rather than a reset connection. A body
/// declared larger than this is refused at once and its connection closed.
pub const DRAIN_BYTES: u64 = 256 << 20;

/// The 413 for a body of `size` (a description: "40000000 bytes", "more bytes").
pub fn too_large(size: &str) -> ApiError {
    ApiError::from(space_data_module::Error::new(
        ErrorCode::InputTooLarge,
        format!("request body of {size} is above the {REQUEST_BODY_BYTES}-byte cap"),
    ))
}

/// At most 100 characters of a header value, for an error message.
fn truncate(value: &str) -> String {
    value.chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers<'a>(
        host: &'a str,
        origin: Option<&'a str>,
        ct: Option<&'a str>,
    ) -> RequestHeaders<'a> {
        RequestHeaders {
            host: Some(host),
            origin,
            sec_fetch_site: None,
            content_type: ct,
        }
    }

    #[test]
    fn only_this_servers_names_pass_the_host_check() {
        let allowed = AllowedHosts::for_address("127.0.0.1:4318".parse().unwrap());
        for host in ["127.0.0.1:4318", "localhost:4318", "LOCALHOST:4318"] {
            assert!(
                check_host(&headers(host, None, None), &allowed).is_ok(),
                "{host}"
            );
        }
        for host in ["evil.example:4318", "127.0.0.1:80", "localhost"] {
            assert_eq!(
                check_host(&headers(host, None, None), &allowed)
                    .unwrap_err()
                    .status,
                403
            );
        }
        assert_eq!(
            check_host(&RequestHeaders::default(), &allowed)
                .unwrap_err()
                .status,
            403
        );
    }

    #[test]
    fn posts_must_be_same_origin_json() {
        let json = Some("application/json; charset=utf-8");
        assert!(check_post(&headers("localhost:1", Some("http://localhost:1"), json)).is_ok());
        assert!(check_post(&headers("localhost:1", None, json)).is_ok());
        let cross = check_post(&headers("localhost:1", Some("http://evil.example"), json));
        assert_eq!(cross.unwrap_err().status, 403);
        let form = check_post(&headers("localhost:1", None, Some("text/plain")));
        assert_eq!(form.unwrap_err().status, 415);
        assert_eq!(
            check_post(&headers("localhost:1", None, None))
                .unwrap_err()
                .status,
            415
        );
        let mut site = headers("localhost:1", None, json);
        site.sec_fetch_site = Some("cross-site");
        assert_eq!(check_post(&site).unwrap_err().status, 403);
    }
}

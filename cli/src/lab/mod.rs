//! `space-data-module lab [--port 4318] [--host 127.0.0.1]`: the browser lab. A local web page
//! (embedded in the binary) and a JSON API over the core's front-end API (`api::*`): check,
//! compile, bundle, inspect, protect, open and invoke, with keys generated for the session.
//!
//! Layout, one concern per module:
//! - [`server`]: binds the socket, prints the URL, runs the worker threads;
//! - [`guard`]: what a request must satisfy before a route sees it (Host, Origin, method,
//!   content type, body cap): the CSRF and DNS-rebinding defences;
//! - [`reply`]: JSON and error responses (core error codes mapped to HTTP statuses);
//! - [`routes`]: one handler per endpoint, each a thin call into `space_data_module::api`;
//! - [`session`]: the keys and the runtime that live as long as the server;
//! - [`assets`]: the page, its script and stylesheet, embedded with `include_str!`.
//!
//! Nothing a request carries ever becomes a path: uploads stay in memory, and the only files
//! written are the compiler's own temporary ones (docs/lab.md, "Security model").

mod assets;
mod guard;
mod reply;
mod routes;
mod server;
mod session;

use space_data_module::Error;

use crate::output::Outcome;

/// The port the lab listens on unless told otherwise (the reference's lab uses the same).
pub const DEFAULT_PORT: u16 = 4318;

#[derive(clap::Args)]
pub struct Args {
    /// TCP port; 0 picks a free one (the bound URL is printed on the first line of stdout).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Address to bind. The lab has no authentication: only change this on a trusted network.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Worker threads serving requests (1-16).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub workers: u8,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    server::serve(&args)?;
    Ok(Outcome::Ok)
}

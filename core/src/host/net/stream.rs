//! Reading a byte stream to its end under the deadline and the read cap.

use std::io::Read;
use std::net::TcpStream;

use super::params::{Deadline, io_error, read_limit_exceeded};
use crate::host::HostError;

/// Reads `reader` to EOF. Before each read the socket's timeout is set to the time left, so a
/// peer that stops sending ends in the deadline's error; more than `limit` bytes is
/// `host-limit-exceeded` (at most `limit + 1` bytes are ever held).
///
/// `lenient_eof` treats an `UnexpectedEof` error as the end of the stream: rustls reports a peer
/// that closes without `close_notify` that way, and Node's TLS socket accepts such a close too.
pub(crate) fn read_to_end_capped(
    reader: &mut impl Read,
    socket: &TcpStream,
    limit: usize,
    deadline: &Deadline,
    what: &str,
    lenient_eof: bool,
) -> Result<Vec<u8>, HostError> {
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        socket
            .set_read_timeout(Some(deadline.remaining()?))
            .map_err(|err| io_error(&err, deadline, what))?;
        let count = match reader.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(count) => count,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) if lenient_eof && err.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Ok(body);
            }
            Err(err) => return Err(io_error(&err, deadline, what)),
        };
        if body.len() + count > limit {
            return Err(read_limit_exceeded(what, limit));
        }
        body.extend_from_slice(chunk.get(..count).unwrap_or_default());
    }
}

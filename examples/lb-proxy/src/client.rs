//! A minimal HTTP/1.1 client over a plain TCP socket, enough for tests and the demo:
//! one request per connection (`Connection: close`), response read to the end, and a
//! body cut short of its Content-Length reported as an error.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `raw` as the request and parses what comes back.
pub fn send_raw(address: SocketAddr, raw: &[u8]) -> std::io::Result<Response> {
    send_raw_within(address, raw, Duration::from_secs(10))
}

/// Like [`send_raw`], but gives up (with an error) when no byte of the answer has come
/// for `limit`.
pub fn send_raw_within(
    address: SocketAddr,
    raw: &[u8],
    limit: Duration,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(limit))?;
    stream.write_all(raw)?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let head_end = bytes
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let body = bytes.get(head_end + 4..).unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {head:?}")))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let response = Response {
        status,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    // A proxy that loses its upstream in the middle of a body can only close the
    // connection early: a body shorter than its Content-Length is how the client
    // knows. (No request here is a HEAD, whose answer has a length but no body.)
    let expected = response
        .header("content-length")
        .and_then(|length| length.parse::<usize>().ok());
    if let Some(expected) = expected
        && body.len() < expected
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!(
                "HTTP {}: the body ended after {} of {expected} bytes",
                response.status,
                body.len()
            ),
        ));
    }
    Ok(response)
}

pub fn get(address: SocketAddr, path: &str) -> std::io::Result<Response> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    send_raw(address, request.as_bytes())
}

/// Waits until something accepts connections on `address`.
pub fn wait_until_listening(address: SocketAddr, limit: Duration) -> std::io::Result<()> {
    let started = Instant::now();
    loop {
        match TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(_) => return Ok(()),
            Err(error) if started.elapsed() > limit => return Err(error),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// A free port on 127.0.0.1 (free now; taken by whoever binds it next).
pub fn free_address() -> std::io::Result<SocketAddr> {
    std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()
}

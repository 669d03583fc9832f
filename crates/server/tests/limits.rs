//! Oversized requests are refused with the API's JSON errors and no echo of
//! what was sent: a URI over 8 KiB gets 414, a body over 16 KiB 413, and a
//! 404 quotes no more than 100 characters of an unknown path.

mod support;

use std::{net::SocketAddr, time::Duration};

use axum::{
    body::{Body, Bytes},
    http::{Request, StatusCode, header},
};
use market::ErrorResponse;
use server::{Config, app};
use support::{Answer, get, send};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const KIB: usize = 1024;

/// A batch URI of exactly `length` bytes (AAPL, and a padding the API ignores).
fn batch_uri(length: usize) -> String {
    // A parameter the API does not read pads the URI: a batch holds at most
    // 100 symbols.
    let mut uri = String::from("/api/v1/quotes?symbols=AAPL&pad=AAPL");
    uri.extend(std::iter::repeat_n('A', length.saturating_sub(uri.len())));
    uri
}

/// `PUT /api/v1/_faults/{endpoint}/503` with `body`, and a `Content-Length`
/// of `declared`, if given.
fn put_with_body(endpoint: &str, body: Body, declared: Option<usize>) -> Request<Body> {
    let mut request =
        Request::put(format!("/api/v1/_faults/{endpoint}/503")).header(header::AUTHORIZATION, "Bearer demo");
    if let Some(length) = declared {
        request = request.header(header::CONTENT_LENGTH, length);
    }
    request.body(body).unwrap()
}

fn assert_json_error(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(answer.error_code(), code);
}

#[tokio::test(start_paused = true)]
async fn a_uri_over_8_kib_gets_414_as_json_without_an_echo() {
    let router = app(Config::default());
    assert_eq!(send(&router, get(&batch_uri(8 * KIB))).await.status, StatusCode::OK, "8 KiB is allowed");
    let answer = send(&router, get(&batch_uri(8 * KIB + 1))).await;
    assert_json_error(&answer, StatusCode::URI_TOO_LONG, "uri_too_long");
    assert!(!String::from_utf8_lossy(answer.bytes()).contains("AAPL"), "the URI is not echoed");

    let unauthenticated = Request::get(batch_uri(20 * KIB)).body(Body::empty()).unwrap();
    assert_json_error(&send(&router, unauthenticated).await, StatusCode::URI_TOO_LONG, "uri_too_long");
}

#[tokio::test(start_paused = true)]
async fn a_body_over_16_kib_gets_413_as_json_declared_or_streamed() {
    let router = app(Config::default());
    let fits = vec![b'a'; 16 * KIB];
    let answer = send(&router, put_with_body("symbols", Body::from(fits.clone()), Some(fits.len()))).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "16 KiB is allowed");
    let answer = send(&router, put_with_body("symbols", Body::from(fits), None)).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "16 KiB is allowed without a length, too");

    let declared = send(&router, put_with_body("portfolio", Body::empty(), Some(100 * KIB))).await;
    assert_json_error(&declared, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let chunks = (0..20).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; KIB])));
    let streamed =
        send(&router, put_with_body("portfolio", Body::from_stream(futures::stream::iter(chunks)), None)).await;
    assert_json_error(&streamed, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    let portfolio = send(&router, get("/api/v1/portfolio")).await;
    assert_eq!(portfolio.status, StatusCode::OK, "the refused PUTs switched nothing on");
}

#[tokio::test(start_paused = true)]
async fn a_404_quotes_at_most_100_characters_of_the_path() {
    let path = format!("/api/v1/{}", "x".repeat(5000));
    let answer = send(&app(Config::default()), get(&path)).await;
    assert_json_error(&answer, StatusCode::NOT_FOUND, "not_found");
    let message = answer.json::<ErrorResponse>().error.message;
    assert_eq!(message, format!("no such endpoint: {}…", &path[..100]));
    let short = send(&app(Config::default()), get("/api/v1/nope")).await;
    assert_eq!(short.json::<ErrorResponse>().error.message, "no such endpoint: /api/v1/nope");
}

/// Sends `head` and `body` over a fresh connection (writing while it reads,
/// as the server may answer before the body is in) and returns the status,
/// the lower-cased head and the body of the answer.
async fn exchange(addr: SocketAddr, head: String, body: Vec<u8>) -> (u16, String, Vec<u8>) {
    let (mut reader, mut writer) = TcpStream::connect(addr).await.unwrap().into_split();
    let writing = tokio::spawn(async move {
        // The server may close once it has answered; a failed write is fine.
        let _ = writer.write_all(head.as_bytes()).await;
        let _ = writer.write_all(&body).await;
        writer
    });
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), reader.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the server answered within 30 s");
    drop(writing.await);
    let end = received.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).expect("a status line");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a content-length");
    let body = received[end + 4..].to_vec();
    assert_eq!(body.len(), length, "the whole body arrived");
    (status, head, body)
}

#[tokio::test]
async fn over_a_real_socket_a_20_kb_uri_gets_414_and_a_100_kb_body_413() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(Config::default())).await.unwrap() });

    let uri = batch_uri(20_000);
    let head = format!("GET {uri} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo\r\nConnection: close\r\n\r\n");
    let (status, head, body) = exchange(addr, head, Vec::new()).await;
    assert_eq!(status, 414, "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(serde_json::from_slice::<ErrorResponse>(&body).unwrap().error.code, "uri_too_long");

    let head = format!(
        "PUT /api/v1/_faults/portfolio/503 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
    );
    let (status, head, body) = exchange(addr, head, vec![b'a'; 100_000]).await;
    assert_eq!(status, 413, "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(serde_json::from_slice::<ErrorResponse>(&body).unwrap().error.code, "payload_too_large");

    // Positive control: the same server answers an ordinary request.
    let head = format!(
        "GET /api/v1/quotes/AAPL HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo\r\nConnection: close\r\n\r\n"
    );
    let (status, _, _) = exchange(addr, head, Vec::new()).await;
    assert_eq!(status, 200);
}

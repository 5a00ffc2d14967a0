//! The HTTP side of the preview: pages from memory, the preview's own
//! script, and the stream of rebuild events open tabs listen to.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use tokio::sync::watch;

use super::Snapshot;
use super::address::{Resolved, content_type, resolve};
use super::overlay::{self, PREFIX};
use crate::errors::{BuildError, Trouble};
use crate::preview::Changed;

#[derive(Clone)]
struct Server {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    stopping: watch::Receiver<bool>,
    bind: IpAddr,
}

/// A browser sends its headers at once; a client that trickles them would
/// hold a connection open for ever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves until Ctrl-C, then lets open requests finish and returns.
pub(super) async fn serve(
    listener: std::net::TcpListener,
    bind: IpAddr,
    snapshots: watch::Receiver<Arc<Snapshot>>,
) -> Result<(), BuildError> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|error| {
        BuildError::environment(Trouble::Server, format!("cannot listen: {error}"))
    })?;
    let (stop, stopping) = watch::channel(false);
    let app = Router::new().fallback(respond).with_state(Server {
        snapshots,
        stopping,
        bind,
    });
    let connections = GracefulShutdown::new();
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // A failed accept (too many open files, a reset) ends only
                // that connection, never the preview.
                let Ok((stream, _)) = accepted else { continue };
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
                let connection = connections.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = &mut ctrl_c => break,
        }
    }
    // Event streams never end by themselves; this ends them.
    let _ = stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(5), connections.shutdown()).await;
    Ok(())
}

/// Whether a request is addressed to this preview by a name that cannot
/// have been pointed here by someone else's DNS ("DNS rebinding": a web
/// page whose name suddenly resolves to 127.0.0.1 would otherwise read the
/// preview, drafts included). Names other than `localhost` are refused; an
/// address must be a loopback one, the one listened on, or, when listening
/// on every address, any address.
fn addressed_here(headers: &HeaderMap, bind: IpAddr) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    match literal.parse::<IpAddr>() {
        Ok(address) => address.is_loopback() || address == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

async fn respond(
    State(server): State<Server>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if !addressed_here(&headers, server.bind) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "the preview answers only requests addressed to this machine (localhost or 127.0.0.1)\n",
        )
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "the preview only answers GET and HEAD\n",
        )
            .into_response();
    }
    let path = uri.path();
    if let Some(own) = path.strip_prefix(PREFIX) {
        return match own {
            "events" => events(server).await.into_response(),
            "live.js" => file(
                "live.js",
                overlay::SCRIPT.as_bytes().to_vec(),
                StatusCode::OK,
            ),
            "live.css" => file(
                "live.css",
                overlay::STYLE.as_bytes().to_vec(),
                StatusCode::OK,
            ),
            "status.json" => {
                let snapshot = server.snapshots.borrow().clone();
                let status = serde_json::json!({
                    "generation": snapshot.rebuild.generation,
                    "refused": snapshot.rebuild.refused,
                    "problems": snapshot.rebuild.problems,
                });
                file(
                    "status.json",
                    status.to_string().into_bytes(),
                    StatusCode::OK,
                )
            }
            _ => not_found(&server.snapshots.borrow().clone()),
        };
    }
    let snapshot = server.snapshots.borrow().clone();
    let output = &snapshot.served;
    let exists = |path: &str| output.files.contains_key(path) || output.copies.contains_key(path);
    match resolve(path, exists) {
        Resolved::File(path) => page(&snapshot, &path, StatusCode::OK).await,
        Resolved::Redirect(to) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(location) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Resolved::NotFound => not_found(&snapshot),
    }
}

async fn page(snapshot: &Snapshot, path: &str, status: StatusCode) -> Response {
    let output = &snapshot.served;
    let bytes = match output.files.get(path) {
        Some(bytes) => bytes.to_vec(),
        None => match output.copies.get(path) {
            // Never through a link: a file swapped for one since the build
            // could otherwise show anything on this machine.
            Some(disk) => match read_no_follow(disk.clone()).await {
                Some(bytes) => bytes,
                None => return not_found(snapshot),
            },
            None => return not_found(snapshot),
        },
    };
    let bytes = if path.ends_with(".html") {
        overlay::inject(&bytes, &snapshot.additions)
    } else {
        bytes
    };
    file(path, bytes, status)
}

async fn read_no_follow(path: std::path::PathBuf) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut crate::nofollow::open(&path).ok()?, &mut bytes).ok()?;
        Some(bytes)
    })
    .await
    .ok()
    .flatten()
}

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.served.files.get("404.html") {
        Some(page) => file(
            "404.html",
            overlay::inject(page, &snapshot.additions),
            StatusCode::NOT_FOUND,
        ),
        // Nothing has passed its checks yet: every address shows why.
        None if snapshot.rebuild.refused => file(
            "index.html",
            overlay::nothing_to_show(&snapshot.additions),
            StatusCode::SERVICE_UNAVAILABLE,
        ),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn file(path: &str, bytes: Vec<u8>, status: StatusCode) -> Response {
    let mut response = (status, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type(path)) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must never show a stale copy of an edited page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[derive(Serialize)]
struct RebuildEvent {
    generation: u64,
    refused: bool,
    /// `"all"`, or the output paths that changed.
    changed: serde_json::Value,
    problems: usize,
}

/// One `rebuild` event now, with the current state, then one per rebuild.
async fn events(server: Server) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let state = (server.snapshots, server.stopping, true);
    let stream = stream::unfold(state, |(mut snapshots, mut stopping, first)| async move {
        if *stopping.borrow() {
            return None;
        }
        if !first {
            tokio::select! {
                changed = snapshots.changed() => changed.ok()?,
                _ = stopping.changed() => return None,
            }
        }
        let snapshot = snapshots.borrow_and_update().clone();
        let rebuild = &snapshot.rebuild;
        let event = RebuildEvent {
            generation: rebuild.generation,
            refused: rebuild.refused,
            changed: match &rebuild.changed {
                Changed::All => serde_json::Value::from("all"),
                Changed::Paths(paths) => serde_json::Value::from(paths.clone()),
            },
            problems: rebuild.problems.iter().filter(|p| p.is_error()).count(),
        };
        let data = serde_json::to_string(&event).unwrap_or_default();
        Some((
            Ok(Event::default().event("rebuild").data(data)),
            (snapshots, stopping, false),
        ))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_this_machines_names_reach_the_preview() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for good in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:80",
            "127.0.0.2",
        ] {
            assert!(addressed_here(&host(good), loopback), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:1111",
            "",
        ] {
            assert!(!addressed_here(&host(bad), loopback), "{bad}");
        }
        assert!(!addressed_here(&HeaderMap::new(), loopback));
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(addressed_here(&host("192.168.1.5:1111"), lan));
        assert!(addressed_here(
            &host("10.0.0.9"),
            "0.0.0.0".parse().unwrap()
        ));
        assert!(!addressed_here(
            &host("pc.local"),
            "0.0.0.0".parse().unwrap()
        ));
    }
}

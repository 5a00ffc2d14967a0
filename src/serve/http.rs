//! The HTTP side of the preview: pages from memory, the preview's own
//! script, and the stream of rebuild events open tabs listen to.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::watch;

use super::Snapshot;
use super::address::{Resolved, content_type, resolve};
use super::overlay::{self, PREFIX};
use crate::BuildError;
use crate::preview::Changed;

#[derive(Clone)]
struct Server {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    stopping: watch::Receiver<bool>,
}

/// Serves until Ctrl-C, then lets open requests finish and returns.
pub async fn serve(
    listener: std::net::TcpListener,
    snapshots: watch::Receiver<Arc<Snapshot>>,
) -> Result<(), BuildError> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|error| BuildError::Environment(format!("cannot listen: {error}")))?;
    let (stop, stopping) = watch::channel(false);
    let app = Router::new().fallback(respond).with_state(Server {
        snapshots,
        stopping,
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            // Event streams never end by themselves; this ends them.
            let _ = stop.send(true);
        })
        .await
        .map_err(|error| BuildError::Environment(format!("the server stopped: {error}")))
}

async fn respond(State(server): State<Server>, method: Method, uri: Uri) -> Response {
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
    let output = &snapshot.output;
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
    let output = &snapshot.output;
    let bytes = match output.files.get(path) {
        Some(bytes) => bytes.to_vec(),
        None => match output.copies.get(path) {
            Some(disk) => match tokio::fs::read(disk).await {
                Ok(bytes) => bytes,
                Err(_) => return not_found(snapshot),
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

fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.output.files.get("404.html") {
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

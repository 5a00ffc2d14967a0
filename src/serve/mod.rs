//! `pamphlet serve`: the live preview over HTTP. The site is built in
//! memory by [`crate::preview`] (never into public/), served on loopback,
//! rebuilt after each save, and open tabs reload themselves through
//! server-sent events.

mod address;
mod http;
mod overlay;
mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::mpsc;

use tokio::sync::watch as latest;

use crate::BuildOptions;
use crate::errors::{BuildError, Trouble};
use crate::preview::{Change, Preview, Rebuild};

/// How `pamphlet serve` runs.
pub struct ServeOptions {
    /// The site to preview, and as of when.
    pub build: BuildOptions,
    /// The address to listen on; the loopback one unless asked otherwise.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the server tells whoever started it, to print.
pub enum Event<'a> {
    /// Serving at this address.
    Listening(&'a str),
    /// A build finished; for rebuilds, with the changes that caused it.
    Built(&'a Rebuild, &'a BTreeSet<Change>),
    /// The site could not be read at all; the last good one is still served.
    Trouble(&'a str),
    /// The server is shutting down.
    Stopping,
}

/// What the HTTP side serves; replaced whole after each rebuild.
pub(crate) struct Snapshot {
    pub rebuild: Rebuild,
    pub served: crate::preview::Served,
    /// What goes before `</body>` of every page for this rebuild.
    pub additions: String,
}

impl Snapshot {
    fn of(preview: &Preview, rebuild: Rebuild) -> Self {
        Self {
            additions: overlay::additions(rebuild.generation, rebuild.refused, &rebuild.problems),
            served: preview.output().served(),
            rebuild,
        }
    }
}

/// Builds the site, serves it and rebuilds on every save until Ctrl-C.
pub fn run(
    options: ServeOptions,
    mut report: impl FnMut(Event<'_>) + Send + 'static,
) -> Result<(), BuildError> {
    let listener = std::net::TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .map_err(|error| {
            BuildError::environment(
                Trouble::Server,
                format!(
                    "cannot listen on {}:{}: {error}; pass another --port",
                    options.bind, options.port
                ),
            )
        })?;
    let address = listener.local_addr().map_err(|error| {
        BuildError::environment(Trouble::Server, format!("cannot listen: {error}"))
    })?;

    let (preview, first) = Preview::open(options.build.clone())?;
    report(Event::Built(&first, &BTreeSet::new()));
    let (publish, snapshots) = latest::channel(Arc::new(Snapshot::of(&preview, first)));

    let (changes_sender, changes) = mpsc::channel();
    let watching = watch::start(&options.build.root, changes_sender)?;
    let url = format!("http://{address}/");
    report(Event::Listening(&url));

    let report = Arc::new(std::sync::Mutex::new(report));
    let rebuild_report = Arc::clone(&report);
    std::thread::Builder::new()
        .name("pamphlet rebuild".into())
        .spawn(move || rebuild_on_change(preview, watching, changes, publish, rebuild_report))
        .map_err(|error| {
            BuildError::environment(
                Trouble::Server,
                format!("cannot start the rebuild thread: {error}"),
            )
        })?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| {
            BuildError::environment(Trouble::Server, format!("cannot start the server: {error}"))
        })?;
    runtime.block_on(http::serve(listener, options.bind, snapshots))?;
    if let Ok(mut report) = report.lock() {
        report(Event::Stopping);
    }
    Ok(())
}

/// How long no save must arrive before the preview's search index is cut
/// anew.
const SEARCH_AFTER_QUIET: std::time::Duration = std::time::Duration::from_millis(700);

/// Runs on its own thread: the preview holds the parsed site, which borrows
/// its text, so it stays in one place and the HTTP side only ever sees
/// finished snapshots.
fn rebuild_on_change(
    mut preview: Preview,
    mut watching: watch::Watching,
    changes: mpsc::Receiver<BTreeSet<Change>>,
    publish: latest::Sender<Arc<Snapshot>>,
    report: Arc<std::sync::Mutex<impl FnMut(Event<'_>)>>,
) {
    let mut waiting: Option<BTreeSet<Change>> = None;
    loop {
        let mut batch = match waiting.take() {
            Some(batch) => batch,
            None => match changes.recv() {
                Ok(batch) => batch,
                Err(_) => return,
            },
        };
        // Saves that arrived while the last rebuild ran are handled together.
        while let Ok(more) = changes.try_recv() {
            batch.extend(more);
        }
        if let Err(BuildError::Environment(message)) = watching.watch_new_folders()
            && let Ok(mut report) = report.lock()
        {
            report(Event::Trouble(message.message()));
        }
        let rebuild = match preview.apply(&batch) {
            Ok(rebuild) => rebuild,
            Err(error) => {
                // The site folder or site.yaml vanished: keep serving the
                // last good site and say why.
                let message = match error {
                    BuildError::Environment(error) => error.to_string(),
                    _ => "the site could not be loaded".to_owned(),
                };
                if let Ok(mut report) = report.lock() {
                    report(Event::Trouble(&message));
                }
                continue;
            }
        };
        let snapshot = Arc::new(Snapshot::of(&preview, rebuild));
        let _ = publish.send(Arc::clone(&snapshot));
        if let Ok(mut report) = report.lock() {
            report(Event::Built(&snapshot.rebuild, &batch));
        }
        // The search index follows once the editor pauses, the edited page
        // being served already: cutting it takes a third of a second on
        // 10,000 articles, which a run of saves should not wait for. The
        // snapshot repeats the rebuild it completes, so a tab that sees
        // only this one still reloads.
        if preview.search_is_stale() {
            match changes.recv_timeout(SEARCH_AFTER_QUIET) {
                Ok(next) => waiting = Some(next),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if preview.refresh_search() {
                        let snapshot = Snapshot::of(&preview, snapshot.rebuild.clone());
                        let _ = publish.send(Arc::new(snapshot));
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

//! How long an edit takes to reach the browser in `pamphlet serve`: from
//! writing one article to the rebuild event that tells open tabs to reload,
//! debounce included. Run on a generated site:
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 10000 --out /tmp/c10k
//! cp -r themes /tmp/c10k/
//! cargo bench --bench serve_edit -- /tmp/c10k [EDITS]
//! ```
//!
//! It edits a copy of nothing: the articles in the given site are changed
//! and put back, so give it a generated site, not the clinic's own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let Some(site) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench serve_edit -- SITE_FOLDER [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(30);
    let articles = articles(&site, edits);

    let started = Instant::now();
    let mut server = Server::start(&site);
    let events = server.events();
    let mut generation = next_event(&events)["generation"].as_u64().unwrap();
    eprintln!(
        "first build and serve: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut times = Vec::with_capacity(edits);
    for (index, article) in articles.iter().enumerate() {
        let original = std::fs::read_to_string(article).unwrap();
        let marker = format!("Edited for the benchmark, {index}.");
        let edited = original.replacen("\n## ", &format!("\n{marker}\n\n## "), 1);
        let output = output_path(&site, article);
        // Let the watcher settle so each edit is timed alone.
        std::thread::sleep(Duration::from_millis(150));
        let written = Instant::now();
        std::fs::write(article, &edited).unwrap();
        loop {
            let event = next_event(&events);
            let newer = event["generation"].as_u64().unwrap() > generation;
            generation = generation.max(event["generation"].as_u64().unwrap());
            let changed = event["changed"]
                .as_array()
                .is_some_and(|paths| paths.iter().any(|p| p == output.as_str()));
            assert_eq!(event["refused"], false, "the edit was refused: {event}");
            if newer && (changed || event["changed"] == "all") {
                break;
            }
        }
        times.push(written.elapsed());
        let page = server.get(&format!("/{}", output.trim_end_matches("index.html")));
        assert!(page.contains(&marker), "the served page lacks the edit");
        std::fs::write(article, &original).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    server.stop();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let p90 = ms(times[(times.len() * 9 / 10).min(times.len() - 1)]);
    println!(
        "serve edit -> reload event, {} edits on {}: median {median:.1} ms, p90 {p90:.1} ms, min {:.1} ms, max {:.1} ms",
        times.len(),
        site.display(),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// Articles spread across the site, not all from one corner.
fn articles(site: &Path, count: usize) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "md") && !path.ends_with("_index.md"))
        .collect();
    all.sort();
    let step = (all.len() / count.max(1)).max(1);
    all.into_iter().step_by(step).take(count).collect()
}

fn output_path(site: &Path, article: &Path) -> String {
    let relative = article.strip_prefix(site.join("content")).unwrap();
    let stem = relative.with_extension("");
    format!("{}/index.html", stem.to_string_lossy())
}

fn next_event(events: &Receiver<serde_json::Value>) -> serde_json::Value {
    events
        .recv_timeout(Duration::from_secs(60))
        .expect("a rebuild event within a minute")
}

struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(site: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pamphlet serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("http://"))
            .expect("the address on the first line")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Self { child, address }
    }

    fn events(&self) -> Receiver<serde_json::Value> {
        let mut stream = TcpStream::connect(self.address).unwrap();
        write!(
            stream,
            "GET /__pamphlet/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ")
                    && let Ok(event) = serde_json::from_str(data)
                    && send.send(event).is_err()
                {
                    return;
                }
            }
        });
        receive
    }

    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        stream.read_to_string(&mut body).unwrap();
        body
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

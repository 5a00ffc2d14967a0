//! `pamphlet serve`, run as the real binary in a temporary site and spoken to
//! over HTTP: edits show after the reload event, refusals show as an overlay
//! with the file and line, and nothing outside the site can be fetched.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{TODAY, TestSite, snapshot};

/// Long enough for a slow CI machine; a passing run waits far less.
const PATIENCE: Duration = Duration::from_secs(20);

const EFFECTS: &str = "content/articles/effects.md";
const EFFECTS_PAGE: &str = "/articles/effects/";
const EFFECTS_OUTPUT: &str = "articles/effects/index.html";

struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(site: &TestSite) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(["serve", "--port", "0", "--as-of", TODAY, "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("pamphlet serve starts");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in `{line}`"));
        let address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Self { child, address }
    }

    /// Sends `path` exactly as written: no client-side clean-up of `..`.
    fn get(&self, path: &str) -> Response {
        let mut stream = TcpStream::connect(self.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        Response {
            status: head.split_whitespace().nth(1).unwrap().parse().unwrap(),
            head: head.to_ascii_lowercase(),
            body: body.to_owned(),
        }
    }

    /// Sends a request with the `Host` header a page elsewhere would send
    /// after pointing its own name at this machine (DNS rebinding).
    fn get_as(&self, host: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, text)
    }

    /// Listens to the rebuild events as a browser tab does; each arrives as
    /// its JSON data.
    fn events(&self) -> Receiver<serde_json::Value> {
        let mut stream = TcpStream::connect(self.address).unwrap();
        write!(
            stream,
            "GET /__pamphlet/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
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

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < PATIENCE, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

/// The first event that `wanted` accepts.
fn wait_for(
    events: &Receiver<serde_json::Value>,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = events
            .recv_timeout(left)
            .expect("the expected rebuild event arrived");
        if wanted(&event) {
            return event;
        }
    }
}

fn generation(event: &serde_json::Value) -> u64 {
    event["generation"].as_u64().unwrap()
}

fn changed(event: &serde_json::Value, path: &str) -> bool {
    event["changed"] == "all"
        || event["changed"]
            .as_array()
            .is_some_and(|paths| paths.iter().any(|p| p == path))
}

#[test]
fn an_edit_is_served_after_its_reload_event_and_public_is_untouched() {
    let site = TestSite::fixture("basic");
    site.write("public/keep.txt", "a published build");
    let before = snapshot(&site.public());
    let server = Server::start(&site);
    let events = server.events();
    let first = wait_for(&events, |_| true);
    assert!(
        !server
            .get(EFFECTS_PAGE)
            .body
            .contains("Most people feel drowsy")
    );

    site.edit(
        EFFECTS,
        "Most people feel sleepy",
        "Most people feel drowsy",
    );
    let event = wait_for(&events, |e| generation(e) > generation(&first));
    assert_eq!(event["refused"], false, "{event}");
    assert!(changed(&event, EFFECTS_OUTPUT), "{event}");
    let page = server.get(EFFECTS_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.head.contains("content-type: text/html; charset=utf-8"));
    assert!(page.body.contains("Most people feel drowsy"));
    assert!(page.body.contains("/__pamphlet/live.js"));
    assert!(
        server
            .get("/__pamphlet/live.js")
            .body
            .contains("EventSource")
    );

    assert_eq!(snapshot(&site.public()), before, "serve wrote into public/");
}

#[test]
fn a_save_through_a_renamed_temporary_file_is_seen() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let events = server.events();
    let first = wait_for(&events, |_| true);

    let edited = site
        .read(EFFECTS)
        .replace("Most people feel sleepy", "Most people feel calm");
    site.write("content/articles/.effects.md.tmp", &edited);
    std::fs::rename(
        site.root().join("content/articles/.effects.md.tmp"),
        site.root().join(EFFECTS),
    )
    .unwrap();
    wait_for(&events, |e| {
        generation(e) > generation(&first) && changed(e, EFFECTS_OUTPUT)
    });
    assert!(
        server
            .get(EFFECTS_PAGE)
            .body
            .contains("Most people feel calm")
    );
}

#[test]
fn a_refused_edit_shows_its_file_and_line_over_the_last_good_page_until_fixed() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let events = server.events();
    wait_for(&events, |_| true);
    let good = site.read(EFFECTS);

    site.write(
        EFFECTS,
        &format!("{good}\nMore in [the missing page](missing.md).\n"),
    );
    let refused = wait_for(&events, |e| e["refused"] == true);
    let line = good.lines().count() + 2;
    let page = server.get(EFFECTS_PAGE);
    assert!(
        page.body.contains("pamphlet-overlay"),
        "no overlay:\n{}",
        page.body
    );
    let place = format!("content/articles/effects.md:{line}:9");
    assert!(
        page.body.contains(&place),
        "the overlay names {place}:\n{}",
        page.body
    );
    assert!(page.body.contains("missing.md"));
    // The overlay quotes the faulty line; the page before it must not.
    let under = page.body.split("pamphlet-overlay").next().unwrap();
    assert!(
        !under.contains("the missing page"),
        "the page under the overlay is the last good one"
    );
    assert!(server.get("/").body.contains(&place), "every page shows it");

    site.write(EFFECTS, &good);
    wait_for(&events, |e| {
        generation(e) > generation(&refused) && e["refused"] == false
    });
    assert!(!server.get(EFFECTS_PAGE).body.contains("pamphlet-overlay"));
}

#[test]
fn a_deleted_article_leaves_the_listings_and_its_links_are_checked_again() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let events = server.events();
    let first = wait_for(&events, |_| true);
    assert!(server.get("/articles/").body.contains("effects/index.html"));

    // citations.md links to effects.md, so deleting it is refused there.
    let text = site.read(EFFECTS);
    site.remove(EFFECTS);
    let refused = wait_for(&events, |e| {
        generation(e) > generation(&first) && e["refused"] == true
    });
    let status: serde_json::Value =
        serde_json::from_str(&server.get("/__pamphlet/status.json").body).unwrap();
    assert!(
        status["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "P008" && p["file"] == "content/articles/citations.md"),
        "{status}"
    );

    // Without the links, the article is gone from every listing.
    site.edit(
        "content/articles/citations.md",
        "Read about [common effects](effects.md#common) and [the effects page](effects.md).",
        "Read about the common effects.",
    );
    wait_for(&events, |e| {
        generation(e) > generation(&refused) && e["refused"] == false
    });
    assert_eq!(server.get(EFFECTS_PAGE).status, 404);
    assert!(!server.get("/articles/").body.contains("effects/index.html"));
    // The search index is cut anew just after the pages are served.
    let deadline = Instant::now() + PATIENCE;
    while server
        .get("/search/d-0.js")
        .body
        .contains("articles/effects/")
    {
        assert!(Instant::now() < deadline, "the search index still lists it");
        std::thread::sleep(Duration::from_millis(20));
    }
    for listing in ["/search/", "/sitemap.xml"] {
        assert!(
            !server.get(listing).body.contains("articles/effects/"),
            "{listing} still lists it"
        );
    }

    site.write(EFFECTS, &text);
    wait_for(&events, |e| changed(e, EFFECTS_OUTPUT));
    assert_eq!(server.get(EFFECTS_PAGE).status, 200);
    assert!(
        server
            .get("/topics/safety/")
            .body
            .contains("articles/effects/")
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = TestSite::fixture("basic");
    let secret = "do-not-serve-this-line";
    site.write("secret.txt", secret);
    let server = Server::start(&site);
    for path in [
        "/../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/secret.txt",
        "/site.yaml",
        "/content/articles/effects.md",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.body.contains(secret), "{path}");
        assert!(!response.body.contains("root:x:"), "{path}");
        assert!(!response.body.contains("base_url"), "{path}");
    }
    // Misses get the site's own 404 page, and a folder asked for without
    // its slash is sent to the address its relative links need.
    assert!(server.get("/nowhere/").body.contains("<html"));
    let redirect = server.get("/articles/effects");
    assert_eq!(redirect.status, 301);
    assert!(redirect.head.contains("location: /articles/effects/"));
}

#[test]
fn it_listens_on_loopback_only_and_stops_cleanly_on_ctrl_c() {
    let site = TestSite::fixture("basic");
    let mut server = Server::start(&site);
    assert!(server.address.ip().is_loopback(), "{}", server.address);
    // The kernel's list of listening sockets: the port is bound to
    // 127.0.0.1 alone, not to every interface.
    let port = format!("{:04X}", server.address.port());
    let tables = std::fs::read_to_string("/proc/net/tcp").unwrap()
        + &std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    let listening: Vec<&str> = tables
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local = *fields.get(1)?;
            (local.ends_with(&format!(":{port}")) && fields.get(3) == Some(&"0A")).then_some(local)
        })
        .collect();
    assert_eq!(listening, [format!("0100007F:{port}")]);

    let events = server.events();
    wait_for(&events, |_| true);
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn only_requests_addressed_to_this_machine_are_answered() {
    let site = TestSite::fixture("basic");
    site.edit(
        "content/articles/unfinished.md",
        "Work in progress",
        "Draft-only words",
    );
    let server = Server::start(&site);
    let port = server.address.port();
    for host in [
        format!("attacker.example:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
        "localhost.attacker.example".to_owned(),
    ] {
        for path in [
            "/",
            "/articles/unfinished/",
            "/__pamphlet/status.json",
            "/__pamphlet/events",
        ] {
            let (status, text) = server.get_as(&host, path);
            assert_eq!(status, 421, "{host}{path}");
            assert!(
                !text.contains("<html") && !text.contains("Draft-only"),
                "{host}{path}"
            );
        }
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(server.get_as(&host, "/").0, 200, "{host}");
    }
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ",
        server.address
    )
    .unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    // Closed by the server (end of stream or a reset), not by our timeout.
    let ended = match stream.read_to_end(&mut raw) {
        Ok(_) => true,
        Err(error) => {
            error.kind() != std::io::ErrorKind::WouldBlock
                && error.kind() != std::io::ErrorKind::TimedOut
        }
    };
    assert!(
        ended,
        "the connection stayed open for {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < PATIENCE);
    assert!(!String::from_utf8_lossy(&raw).contains("<html"));
}

#[test]
fn a_file_swapped_for_a_link_after_the_build_is_never_served_through_it() {
    let site = TestSite::fixture("basic");
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("secret.txt");
    std::fs::write(&secret, "do-not-serve-this-line").unwrap();
    site.write("content/articles/leaflet.pdf", "a leaflet");
    let server = Server::start(&site);
    assert_eq!(server.get("/articles/leaflet.pdf").body, "a leaflet");
    let leaflet = site.root().join("content/articles/leaflet.pdf");
    std::fs::remove_file(&leaflet).unwrap();
    std::os::unix::fs::symlink(&secret, &leaflet).unwrap();
    // Before and after the preview notices: never the linked file.
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        let response = server.get("/articles/leaflet.pdf");
        assert!(!response.body.contains("do-not-serve-this-line"));
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A site's own `static/` folder made while the preview runs is watched
/// from then on: the folder's creation rebuilds, and so does each later
/// save in it.
#[test]
fn a_static_folder_made_after_the_preview_started_is_watched() {
    let site = TestSite::fixture("basic");
    assert!(!site.root().join("static").exists());
    let server = Server::start(&site);
    let events = server.events();
    let first = wait_for(&events, |_| true);

    std::fs::create_dir(site.root().join("static")).unwrap();
    let made = wait_for(&events, |e| generation(e) > generation(&first));
    site.write("static/notice.txt", "first");
    let written = wait_for(&events, |e| generation(e) > generation(&made));
    assert_eq!(server.get("/notice.txt").body, "first", "{written}");
    site.write("static/notice.txt", "second");
    wait_for(&events, |e| generation(e) > generation(&written));
    assert_eq!(server.get("/notice.txt").body, "second");
}

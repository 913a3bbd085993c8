//! Sending publish requests: one blocking `ureq` agent, no redirects followed, a timeout on
//! every attempt, bounded retries with exponential backoff, and at most `concurrency`
//! requests in flight to one hub (hubs are sent to side by side, each on a thread of its own).

use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Options, Request, Sent};

/// The wait before the first retry; each later one waits twice as long as the one before.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// How much of a refusing hub's answer is quoted.
const QUOTED: usize = 200;

/// Why a publish request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The hub answered with a status that is not 2xx (with the start of its answer).
    Status(u16, String),
    /// The hub answered with a redirect, which is not followed: a publish request is a POST,
    /// and a hub that moved should be configured at its new URL.
    Redirect(u16, Option<String>),
    /// No answer: the connection failed or the attempt timed out.
    Transport(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(status, text) if text.is_empty() => write!(f, "answered {status}"),
            Failure::Status(status, text) => write!(f, "answered {status}: {text}"),
            Failure::Redirect(status, Some(to)) => {
                write!(
                    f,
                    "answered {status}, a redirect to {to} (not followed: configure the hub's URL as that)"
                )
            }
            Failure::Redirect(status, None) => {
                write!(f, "answered {status}, a redirect (not followed)")
            }
            Failure::Transport(message) => f.write_str(message),
        }
    }
}

impl Failure {
    /// Whether trying again may help: no answer, or the hub is busy or failing.
    fn passing(&self) -> bool {
        match self {
            Failure::Transport(_) => true,
            Failure::Status(status, _) => matches!(status, 408 | 429 | 500..=599),
            Failure::Redirect(..) => false,
        }
    }
}

/// Sends every request, hubs side by side, and returns them in the order given.
pub(super) fn send_all(requests: Vec<Request>, options: &Options) -> Vec<Sent> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("newswire/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    // Each hub's requests, in order (requests come grouped by hub).
    let mut by_hub: Vec<Vec<(usize, Request)>> = Vec::new();
    for (i, request) in requests.into_iter().enumerate() {
        match by_hub.last_mut() {
            Some(group) if group.first().is_some_and(|(_, r)| r.hub == request.hub) => {
                group.push((i, request));
            }
            _ => by_hub.push(vec![(i, request)]),
        }
    }
    let total = by_hub.iter().map(Vec::len).sum();
    let results: Mutex<Vec<Option<Sent>>> = Mutex::new(vec![None; total]);
    std::thread::scope(|scope| {
        for group in &by_hub {
            let next = AtomicUsize::new(0);
            let workers = options.concurrency.clamp(1, group.len().max(1));
            let (agent, results) = (&agent, &results);
            scope.spawn(move || {
                std::thread::scope(|inner| {
                    for _ in 0..workers {
                        inner.spawn(|| {
                            while let Some((i, request)) =
                                group.get(next.fetch_add(1, Ordering::Relaxed))
                            {
                                let sent = send_one(agent, request, options);
                                let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
                                if let Some(slot) = results.get_mut(*i) {
                                    *slot = Some(sent);
                                }
                            }
                        });
                    }
                });
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Sends one request, trying again after failures that may pass.
fn send_one(agent: &ureq::Agent, request: &Request, options: &Options) -> Sent {
    let mut attempts = 0;
    let mut wait = FIRST_BACKOFF;
    let result = loop {
        attempts += 1;
        match attempt(agent, request) {
            Ok(status) => break Ok(status),
            Err(failure) if failure.passing() && attempts <= options.retries => {
                std::thread::sleep(wait);
                wait = (wait * 2).min(MAX_BACKOFF);
            }
            Err(failure) => break Err(failure),
        }
    };
    Sent {
        request: request.clone(),
        attempts,
        result: Some(result),
    }
}

/// One POST of the request's form to its hub.
fn attempt(agent: &ureq::Agent, request: &Request) -> Result<u16, Failure> {
    let mut response = agent
        .post(request.hub.as_str())
        .send_form(request.form())
        .map_err(|e| Failure::Transport(e.to_string()))?;
    let status = response.status().as_u16();
    // Read (a little of) the answer, so the connection can be used again, and to quote it.
    let mut text = String::new();
    let _ = response
        .body_mut()
        .as_reader()
        .take(4096)
        .read_to_string(&mut text);
    match status {
        200..=299 => Ok(status),
        300..=399 => Err(Failure::Redirect(
            status,
            (response.headers().get("location"))
                .and_then(|l| l.to_str().ok())
                .map(str::to_string),
        )),
        _ => {
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let quoted: String = text.chars().take(QUOTED).collect();
            Err(Failure::Status(status, quoted))
        }
    }
}

//! Client-side rate limiting, shared by every call of a client: at most N requests start in
//! any window of the given length. Clerk limits each instance (100 requests per 10 s on
//! development instances, 1000 on production ones); a burst of agents that respects the
//! limit waits a little instead of collecting 429s and their `Retry-After` waits.
//!
//! A sliding window of start times rather than a token bucket: it is exact for the window
//! Clerk documents, and at these rates the queue of times stays small. Written here rather
//! than taken from a crate: it is forty lines, and the crates that do this bring a clock and
//! a lock-free map with them.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// At most `requests` requests start in any window of length `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per window (at least 1).
    pub requests: u32,
    /// The window.
    pub per: Duration,
}

impl RateLimit {
    /// Clerk's documented limit for development instances: 100 requests per 10 seconds.
    pub const DEVELOPMENT: RateLimit = RateLimit { requests: 100, per: Duration::from_secs(10) };
    /// Clerk's documented limit for production instances: 1000 requests per 10 seconds.
    pub const PRODUCTION: RateLimit = RateLimit { requests: 1000, per: Duration::from_secs(10) };
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.requests, self.per.as_secs_f64())
    }
}

impl FromStr for RateLimit {
    type Err = String;

    /// `100/10s`, `5/1s`, `1000/10` (seconds), or `dev` / `prod` for Clerk's limits.
    fn from_str(text: &str) -> Result<Self, String> {
        let usage = || format!("`{text}` is not a rate limit: write REQUESTS/SECONDS, e.g. 100/10s, or dev or prod");
        match text.trim() {
            "dev" | "development" => return Ok(RateLimit::DEVELOPMENT),
            "prod" | "production" => return Ok(RateLimit::PRODUCTION),
            _ => {}
        }
        let (requests, seconds) = text.trim().split_once('/').ok_or_else(usage)?;
        let requests: u32 = requests.trim().parse().ok().filter(|n| *n > 0).ok_or_else(usage)?;
        let seconds: f64 = seconds
            .trim()
            .trim_end_matches('s')
            .parse()
            .ok()
            .filter(|s: &f64| *s > 0.0 && s.is_finite())
            .ok_or_else(usage)?;
        Ok(RateLimit { requests, per: Duration::from_secs_f64(seconds) })
    }
}

/// The shared state of one limit.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RateLimit,
    starts: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit: RateLimit { requests: limit.requests.max(1), ..limit },
            starts: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more request may start within the limit, and counts it. Waiters are
    /// served in order: the lock is held while waiting, so no later caller overtakes.
    pub(crate) async fn acquire(&self) {
        let mut starts = self.starts.lock().await;
        loop {
            let now = Instant::now();
            while starts.front().is_some_and(|start| now.duration_since(*start) >= self.limit.per) {
                starts.pop_front();
            }
            if starts.len() < self.limit.requests as usize {
                starts.push_back(now);
                return;
            }
            if let Some(oldest) = starts.front().copied() {
                tokio::time::sleep_until(oldest + self.limit.per).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_limits_in_words() {
        assert_eq!("100/10s".parse::<RateLimit>(), Ok(RateLimit::DEVELOPMENT));
        assert_eq!("1000/10".parse::<RateLimit>(), Ok(RateLimit::PRODUCTION));
        assert_eq!("prod".parse::<RateLimit>(), Ok(RateLimit::PRODUCTION));
        assert_eq!("5/0.5s".parse::<RateLimit>(), Ok(RateLimit { requests: 5, per: Duration::from_millis(500) }));
        for bad in ["", "10", "0/1s", "x/1s", "10/0s", "10/-1s"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_waits_for_the_window() {
        let limiter = RateLimiter::new(RateLimit { requests: 3, per: Duration::from_secs(10) });
        let started = Instant::now();
        for _ in 0..3 {
            limiter.acquire().await;
        }
        assert_eq!(started.elapsed(), Duration::ZERO, "three fit at once");
        limiter.acquire().await;
        assert_eq!(started.elapsed(), Duration::from_secs(10), "the fourth waits for the first to leave the window");
        for _ in 0..2 {
            limiter.acquire().await;
        }
        assert_eq!(started.elapsed(), Duration::from_secs(10));
        limiter.acquire().await;
        assert_eq!(started.elapsed(), Duration::from_secs(20));
    }
}

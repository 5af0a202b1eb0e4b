//! When a failed request may be sent again, and how long to wait first.
//!
//! A retry must never duplicate an effect: GET and DELETE are retried on 429, 5xx, timeouts
//! and broken connections; POST and PATCH only when the request provably never reached Clerk
//! (the connection could not be made) or Clerk refused it with 429 before doing anything.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often and how patiently to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 3). 1 disables retries.
    pub max_attempts: u32,
    /// Backoff before the first retry, doubled for each further one (default 250 ms).
    pub initial_backoff: Duration,
    /// Longest backoff between attempts (default 10 s). A `Retry-After` from Clerk is waited in
    /// full when it fits `total_deadline`.
    pub max_backoff: Duration,
    /// No retry starts later than this after the first attempt began (default 60 s).
    pub total_deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            total_deadline: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A single attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }
}

/// What a failed attempt tells about retrying it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection could not be made: the request never left.
    NotSent,
    /// The request was sent, then the connection broke or timed out: it may have taken effect.
    Interrupted,
    /// Clerk answered with this status.
    Status(u16),
    /// Retrying cannot help (invalid input, undecodable success body).
    Final,
}

impl Failure {
    /// The status Clerk answered with, if it answered.
    pub(crate) fn status(self) -> Option<u16> {
        match self {
            Failure::Status(status) => Some(status),
            _ => None,
        }
    }
}

/// Whether a request with `method` that failed this way may be sent again.
pub(crate) fn may_retry(method: &str, failure: Failure) -> bool {
    let idempotent = matches!(method, "GET" | "DELETE" | "HEAD" | "OPTIONS" | "PUT");
    match failure {
        Failure::NotSent => true,
        Failure::Status(429) => true,
        Failure::Status(status) if status >= 500 => idempotent,
        Failure::Interrupted => idempotent,
        Failure::Status(_) | Failure::Final => false,
    }
}

/// The wait before attempt `next_attempt` (2 for the first retry): `Retry-After` as Clerk
/// gave it (retrying earlier would only collect another 429), else exponential backoff with
/// jitter (half fixed, half random, so that many clients failing together do not retry
/// together).
pub(crate) fn delay_before(policy: &RetryPolicy, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait;
    }
    let exponent = next_attempt.saturating_sub(2).min(20);
    let backoff = policy.initial_backoff.saturating_mul(1 << exponent).min(policy.max_backoff);
    let half = backoff / 2;
    half + half.mul_f64(random_unit())
}

/// A random number in [0, 1). std's hasher keys are random per process and per call, which
/// is all the randomness jitter needs.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`) relative to `now`. A date in the past means no wait.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_imf_fixdate(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn parse_imf_fixdate(value: &str) -> Option<SystemTime> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = value.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u32 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == month_name)? as u32
        + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = u64::try_from(days).ok()? * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_only_what_cannot_duplicate_an_effect() {
        for method in ["GET", "DELETE"] {
            for failure in [
                Failure::NotSent,
                Failure::Interrupted,
                Failure::Status(429),
                Failure::Status(500),
                Failure::Status(503),
            ] {
                assert!(may_retry(method, failure), "{method} {failure:?}");
            }
        }
        for method in ["POST", "PATCH"] {
            assert!(may_retry(method, Failure::NotSent));
            assert!(may_retry(method, Failure::Status(429)));
            for failure in [Failure::Interrupted, Failure::Status(500), Failure::Status(503)] {
                assert!(!may_retry(method, failure), "{method} {failure:?} could duplicate an effect");
            }
        }
        for status in [400, 401, 404, 422] {
            assert!(!may_retry("GET", Failure::Status(status)));
        }
        assert!(!may_retry("GET", Failure::Final));
    }

    #[test]
    fn parses_retry_after_in_both_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", UNIX_EPOCH), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Tue, 29 Feb 2028 12:00:00 GMT", UNIX_EPOCH),
            Some(Duration::from_secs(1_835_438_400))
        );
        for bad in ["soon", "", "-1", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_within_bounds() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..Default::default()
        };
        for _ in 0..100 {
            let first = delay_before(&policy, 2, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = delay_before(&policy, 3, None);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = delay_before(&policy, 9, None);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350), "{capped:?}");
        }
        assert_eq!(delay_before(&policy, 2, Some(Duration::from_secs(123))), Duration::from_secs(123));
        assert_eq!(delay_before(&policy, 2, Some(Duration::from_millis(20))), Duration::from_millis(20));
    }
}

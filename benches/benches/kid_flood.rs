//! How often the JWKS cache asks the instance for its keys under a flood of tokens with made-up
//! `kid`s, with the default refresh policy: prints the fetches per minute and the forged tokens
//! refused per second. The flood lasts FLOOD_SECONDS (60 by default), from four tasks on two
//! worker threads, against a local stand-in that counts the requests it receives.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_auth::{Jwks, Verifier};
use clerk_standin::StandIn;
use serde_json::json;

fn main() {
    let seconds: u64 = std::env::var("FLOOD_SECONDS").ok().and_then(|text| text.parse().ok()).unwrap_or(60);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let standin = StandIn::start("sk_test_flood").await.unwrap();
        let client = clerk_api::Client::from_secret_key_with_base_url("sk_test_flood", &standin.base_url()).unwrap();
        let jwks = Jwks::new(client);
        let verifier = Verifier::from_jwks(jwks.clone());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let claims = json!({"sub": "user_1", "sid": "sess_1", "iat": now, "exp": now + 3600});
        // Signed by the instance's own key, so that only the kid is wrong.
        let mut header = standin.session_token_header();
        let forged: Arc<Vec<String>> = Arc::new(
            (0..10_000)
                .map(|i| {
                    header["kid"] = json!(format!("ins_forged_{i}"));
                    standin.sign_token(&header, &claims)
                })
                .collect(),
        );
        let started = Instant::now();
        let flood = Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..4)
            .map(|worker| {
                let verifier = verifier.clone();
                let forged = Arc::clone(&forged);
                tokio::spawn(async move {
                    let mut refused = 0u64;
                    let mut i = worker;
                    while started.elapsed() < flood {
                        if verifier.verify(&forged[i % forged.len()]).await.is_err() {
                            refused += 1;
                        }
                        i += 4;
                    }
                    refused
                })
            })
            .collect();
        let mut refused = 0;
        for task in tasks {
            refused += task.await.unwrap();
        }
        let elapsed = started.elapsed().as_secs_f64();
        let fetches = standin.request_count("GET", "/v1/jwks");
        println!(
            "kid flood: {refused} forged tokens refused in {elapsed:.1} s ({:.0}/s); {fetches} JWKS fetches ({:.2} per minute)",
            refused as f64 / elapsed,
            fetches as f64 * 60.0 / elapsed
        );
        assert_eq!(jwks.fetches() as usize, fetches);
    });
}

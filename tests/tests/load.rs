//! 1,000 concurrent tool calls from one shared client against the local stand-in: none
//! fails, and the server received each create exactly once.

use std::time::Instant;

use clerk_standin::StandIn;
use clerk_tools::{ClerkTools, CreateUserInput, ListUsersInput};

const KEY: &str = "sk_test_load_3c9d";
const CREATES: usize = 500;
const LISTS: usize = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_from_one_client() {
    let standin = StandIn::start(KEY).await.expect("stand-in starts");
    let tools = ClerkTools::builder().secret_key(KEY).base_url(standin.base_url()).build().expect("client builds");
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CREATES + LISTS);
    for i in 0..CREATES + LISTS {
        let tools = tools.clone();
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let input = CreateUserInput {
                    email_address: vec![format!("user{i}@example.com")],
                    username: Some(format!("user{i}")),
                    ..Default::default()
                };
                tools.create_user(input).await.map(|_| ())
            } else {
                tools.list_users(ListUsersInput { limit: Some(5), ..Default::default() }).await.map(|_| ())
            }
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => failures.push(err.to_string()),
            Err(join) => failures.push(join.to_string()),
        }
    }
    let elapsed = started.elapsed();
    assert!(failures.is_empty(), "{} calls failed, first: {:?}", failures.len(), failures.first());

    assert_eq!(standin.request_count("POST", "/v1/users"), CREATES, "each create reached the server exactly once");
    let everyone = tools.list_users(ListUsersInput { ..Default::default() }).await.expect("count");
    assert_eq!(everyone.total_count, CREATES as i64, "no create lost or duplicated");
    eprintln!(
        "load: {} calls ({CREATES} creates, {LISTS} list+count) in {:.2?}, {:.0} calls/s",
        CREATES + LISTS,
        elapsed,
        (CREATES + LISTS) as f64 / elapsed.as_secs_f64()
    );
    standin.shutdown().await;
}

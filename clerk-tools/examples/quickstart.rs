use clerk_tools::{ClerkTools, GetUserInput, ListUsersInput};

#[tokio::main]
async fn main() -> Result<(), clerk_tools::Error> {
    // The key from CLERK_SECRET_KEY; CLERK_API_URL points at a stand-in or proxy if set.
    let tools = ClerkTools::from_env()?;

    let page = tools
        .list_users(ListUsersInput { limit: Some(5), order_by: Some("+username".into()), ..Default::default() })
        .await?;
    println!("{} of {} users", page.users.len(), page.total_count);
    for user in &page.users {
        println!("- {} {}", user.id.as_deref().unwrap_or("?"), user.username.as_deref().unwrap_or("(no username)"));
    }

    if let Some(id) = page.users.first().and_then(|user| user.id.clone()) {
        let user = tools.get_user(GetUserInput { user_id: id }).await?;
        let verified = user.email_addresses.iter().filter(|email| email.verified).count();
        println!("{} has {verified} verified email address(es)", user.first_name.as_deref().unwrap_or("?"));
    }

    // The JSON interface agent runtimes use: the same implementation behind it.
    let output = tools.call("clerk_list_users", serde_json::json!({"limit": "1", "query": "ada"})).await;
    println!("JSON: success={} totalCount={}", output["success"], output["totalCount"]);
    Ok(())
}

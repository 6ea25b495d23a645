//! The HTTP client of the benchmarks that drive a real `hanse serve`: a
//! cookie jar per company, no redirects followed, bounded waits.

use std::time::Duration;

/// Long enough for a group commit under load; a hung server fails the run.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client with its own cookie jar, as one company's browser.
pub fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()?)
}

/// POSTs JSON and answers the JSON of a 2xx answer; anything else is an error.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let response = client.post(url).json(&body).send().await?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "POST {url}: {status} {text}");
    Ok(serde_json::from_str(&text)?)
}

//! A real headless Chromium per test, driven over WebDriver: each test starts
//! its own chromedriver on a free port, and dropping the [`Browser`] ends the
//! browser session and that chromedriver, even when the test panicked.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::app::{ADMIN_NAME, ADMIN_PASSWORD, free_port};

/// How long any one step (an element appearing, a navigation) may take.
pub const STEP: Duration = Duration::from_secs(10);

fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map_or_else(|| "/usr/bin/chromedriver".into(), PathBuf::from)
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}

/// One chromedriver process, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start(log: &Path) -> Self {
        let exe = chromedriver_path();
        assert!(
            exe.exists(),
            "{} not found: the browser tests need Debian's chromium and chromium-driver; \
             run ./scripts/test.sh, which installs them",
            exe.display()
        );
        assert!(
            chromium_path().exists(),
            "{} not found: run ./scripts/test.sh, which installs chromium",
            chromium_path().display()
        );
        // The free port may be taken between our probe and chromedriver's
        // bind; then chromedriver exits at once and we try another.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(&exe)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("starting {}: {e}", exe.display()));
            let mut driver = Self { child, port };
            if driver.wait_ready().await {
                return driver;
            }
        }
        panic!(
            "chromedriver did not come up; its log: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// True once `/status` says ready; false if the process exited first.
    async fn wait_ready(&mut self) -> bool {
        let status = format!("http://127.0.0.1:{}/status", self.port);
        let http = reqwest::Client::new();
        let deadline = Instant::now() + STEP;
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if let Ok(response) = http.get(&status).send().await
                && let Ok(body) = response.json::<serde_json::Value>().await
                && body["value"]["ready"] == true
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium looking at the app at `base`.
pub struct Browser {
    pub client: Client,
    base: String,
    session: String,
    profile: PathBuf,
    // Declared last: dropped after the session is ended in `drop`.
    driver: Driver,
}

impl Browser {
    /// A fresh browser for the app at `base`, signed in as the test admin
    /// through the login page.
    pub async fn start(base: &str) -> Self {
        let browser = Self::start_anonymous(base).await;
        browser.sign_in(ADMIN_NAME, ADMIN_PASSWORD).await;
        browser
    }

    /// Signs in through the login page and waits for the page it leads to.
    pub async fn sign_in(&self, name: &str, password: &str) {
        self.open("/login").await;
        self.fill("name", name).await;
        self.fill("password", password).await;
        // By its form, not its words: the page is in the browser's language.
        let before = self.mark_page().await;
        self.find("form[action='/login'] button[type='submit']")
            .await
            .click()
            .await
            .unwrap();
        self.wait_until_left(&before).await;
        assert_ne!(
            self.path().await,
            "/login",
            "signing in as {name} failed; the page:\n{}",
            self.body_text().await
        );
    }

    /// A fresh browser (own profile, so no cookies) for the app at `base`.
    pub async fn start_anonymous(base: &str) -> Self {
        let profile = std::env::temp_dir().join(format!(
            "kvartplata-chromium-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&profile).unwrap();
        let driver = Driver::start(&profile.join("chromedriver.log")).await;
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_path(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.join("chrome").display()),
                ],
            },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "starting Chromium through chromedriver: {e}; chromedriver's log: {}",
                    std::fs::read_to_string(profile.join("chromedriver.log")).unwrap_or_default()
                )
            });
        let session = client
            .session_id()
            .await
            .unwrap()
            .expect("chromedriver gave a session id");
        Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            session,
            profile,
            driver,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Loads `path` of the app and waits for it.
    pub async fn open(&self, path: &str) {
        self.client.goto(&self.url(path)).await.unwrap();
    }

    /// The current path (without query).
    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Waits for the element `css` to appear.
    pub async fn find(&self, css: &str) -> Element {
        self.wait_for(Locator::Css(css), css).await
    }

    /// Waits for the element at `xpath` to appear.
    pub async fn find_xpath(&self, xpath: &str) -> Element {
        self.wait_for(Locator::XPath(xpath), xpath).await
    }

    async fn wait_for(&self, locator: Locator<'_>, what: &str) -> Element {
        match self.client.wait().at_most(STEP).for_element(locator).await {
            Ok(element) => element,
            Err(CmdError::WaitTimeout) => panic!(
                "no {what} on {} after {STEP:?}; the page:\n{}",
                self.client.current_url().await.unwrap(),
                self.body_text().await
            ),
            Err(e) => panic!("looking for {what}: {e}"),
        }
    }

    /// Whether `css` matches anything now (no waiting: for absence checks
    /// on a page already loaded).
    pub async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no body: {e})"),
        }
    }

    /// Types `value` into the empty form field named `name`.
    pub async fn fill(&self, name: &str, value: &str) {
        let field = self.find(&format!("[name='{name}']")).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Picks the option with `value` in the select named `name`.
    pub async fn select(&self, name: &str, value: &str) {
        self.find(&format!("select[name='{name}']"))
            .await
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// The current value of the form field named `name`.
    pub async fn value_of(&self, name: &str) -> String {
        self.find(&format!("[name='{name}']"))
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Follows the link whose text is `text`.
    pub async fn click_link(&self, text: &str) {
        let before = self.mark_page().await;
        self.find_xpath(&format!("//a[normalize-space()='{text}']"))
            .await
            .click()
            .await
            .unwrap();
        self.wait_until_left(&before).await;
    }

    /// Clicks the submit button with `text` and waits for the page the
    /// server answers with (a redirect target, the re-rendered form, or the
    /// same page again).
    pub async fn submit(&self, text: &str) {
        let before = self.mark_page().await;
        self.find_xpath(&format!(
            "//button[@type='submit' and normalize-space()='{text}']"
        ))
        .await
        .click()
        .await
        .unwrap();
        self.wait_until_left(&before).await;
    }

    /// Clicks the submit button with `text` of a form that asks first
    /// (static/js/confirm.js), says yes, and waits for the answer; returns
    /// the question asked.
    pub async fn submit_confirming(&self, text: &str) -> String {
        let before = self.mark_page().await;
        self.find_xpath(&format!(
            "//button[@type='submit' and normalize-space()='{text}']"
        ))
        .await
        .click()
        .await
        .unwrap();
        let deadline = Instant::now() + STEP;
        let question = loop {
            match self.client.get_alert_text().await {
                Ok(question) => break question,
                Err(e) => assert!(
                    Instant::now() < deadline,
                    "no confirmation asked after clicking {text:?}: {e}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        self.client.accept_alert().await.unwrap();
        self.wait_until_left(&before).await;
        question
    }

    /// The current URL, with the current document marked, so that
    /// [`Self::wait_until_left`] also sees a new document at the same URL
    /// (a form redirected back to its own page).
    async fn mark_page(&self) -> url::Url {
        self.client
            .execute("window.kvartplataOldPage = true;", vec![])
            .await
            .unwrap();
        self.client.current_url().await.unwrap()
    }

    /// Waits for another document than the one [`Self::mark_page`] marked.
    async fn wait_until_left(&self, before: &url::Url) {
        let deadline = Instant::now() + STEP;
        loop {
            let now = self.client.current_url().await.unwrap();
            let replaced = self
                .client
                .execute("return window.kvartplataOldPage !== true;", vec![])
                .await
                .ok()
                == Some(serde_json::Value::Bool(true));
            if now != *before || replaced {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "still on {before} {STEP:?} after clicking; the page:\n{}",
                self.body_text().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The new URL is committed; wait for its document to be complete.
        let deadline = Instant::now() + STEP;
        while self
            .client
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(|s| s == "complete"))
            != Some(true)
        {
            assert!(Instant::now() < deadline, "the page did not finish loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG of the window to `file`, creating its folder.
    pub async fn screenshot(&self, file: &Path) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, png).unwrap();
    }
}

impl Drop for Browser {
    /// Ends the session with a blocking request (no runtime to await on
    /// here), so chromedriver closes Chromium before it is killed itself.
    fn drop(&mut self) {
        let request = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n",
            self.session, self.driver.port
        );
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.driver.port)) {
            let _ = stream.set_read_timeout(Some(STEP));
            // chromedriver answers once Chromium has quit; the first bytes
            // of the answer are enough (it may keep the connection open).
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read(&mut [0; 256]);
            }
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

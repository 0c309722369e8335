use std::io::Write;
use std::process::{Command, Stdio};

use kvartplata::domain::Role;
use kvartplata::services::logins;

use crate::helpers::app::kvartplata;
use crate::helpers::db::TestDb;

#[test]
fn an_unreachable_database_is_one_clear_line_without_the_password() {
    // Port 1 on loopback: nothing listens there.
    let out = kvartplata(
        &["migrate"],
        "postgres://billing:s3cret-pw@127.0.0.1:1/kvartplata_prod",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(stderr.contains("\"kvartplata_prod\""), "{stderr}");
    assert!(
        stderr.contains("DATABASE_URL"),
        "says what to try: {stderr}"
    );
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}

#[test]
fn serve_also_refuses_to_start_without_a_database() {
    let out = kvartplata(&["serve"], "postgres://u:pw@127.0.0.1:1/somewhere");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect to PostgreSQL"));
}

#[test]
fn migrate_applies_the_schema_and_exits() {
    let db = TestDb::empty();
    let out = kvartplata(&["migrate"], &db.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kvartplata(&["migrate"], &db.url);
    assert!(out.status.success(), "a second run has nothing to do");
}

/// Runs `kvartplata user …` with `stdin` on standard input.
fn user_command(args: &[&str], stdin: &str, database_url: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kvartplata"))
        .arg("user")
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_set_password_and_block_change_the_login() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    logins::create_user(&mut conn, "olga", "first password", Role::Manager).unwrap();
    logins::create_user(&mut conn, "root", "first password", Role::Admin).unwrap();
    let token = logins::create_token(&mut conn, "olga", "ci").unwrap();

    let out = user_command(&["set-password", "olga"], "second password\n", &db.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        logins::authenticate(&mut conn, "olga", "first password")
            .unwrap()
            .is_none()
    );
    assert!(
        logins::authenticate(&mut conn, "olga", "second password")
            .unwrap()
            .is_some()
    );
    let short = user_command(&["set-password", "olga"], "short\n", &db.url);
    assert!(!short.status.success());

    let out = user_command(&["block", "olga"], "", &db.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(logins::user_for_token(&mut conn, &token).unwrap().is_none());
    let out = user_command(&["unblock", "olga"], "", &db.url);
    assert!(out.status.success());
    assert!(logins::user_for_token(&mut conn, &token).unwrap().is_some());

    let last_admin = user_command(&["block", "root"], "", &db.url);
    assert!(!last_admin.status.success());
    assert!(String::from_utf8_lossy(&last_admin.stderr).contains("only admin"));
    let nobody = user_command(&["block", "nobody"], "", &db.url);
    assert!(!nobody.status.success());
}

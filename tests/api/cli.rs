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

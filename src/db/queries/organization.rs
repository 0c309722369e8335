//! The organisation's one row.

use diesel::prelude::*;

use crate::db::models::{NewOrganization, Organization};
use crate::db::schema::organization;

/// The organisation, or None until an admin sets it.
pub fn find(conn: &mut PgConnection) -> QueryResult<Option<Organization>> {
    organization::table
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

/// Creates the row or replaces every field of it, in one statement (two
/// admins saving at once leave one of their versions, whole).
pub fn upsert(conn: &mut PgConnection, row: &NewOrganization) -> QueryResult<Organization> {
    diesel::insert_into(organization::table)
        .values(row)
        .on_conflict(organization::id)
        .do_update()
        .set((row, organization::updated_at.eq(diesel::dsl::now)))
        .returning(Organization::as_returning())
        .get_result(conn)
}

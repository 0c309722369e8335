# The names of the values of closed sets: <family>-<stored name>.

meter-kind-cold_water = Cold water
meter-kind-hot_water = Hot water
service-cold_water = Cold water
service-hot_water = Hot water
service-maintenance = Maintenance
unit-m3 = m³
unit-m2 = m²
reading-source-form = Form
reading-source-csv = CSV upload
reading-source-api = API
run-status-queued = Queued
run-status-running = Running
run-status-completed = Completed
run-status-failed = Failed
tariff-status-in-effect = in effect
tariff-status-upcoming = upcoming
tariff-status-superseded = superseded
audit-action-create = Created
audit-action-update = Changed
audit-action-delete = Deleted
audit-action-start = Started
audit-action-sign_in = Signed in
audit-action-sign_in_failed = Failed sign-in
audit-action-role_change = Role changed
audit-action-password_change = Password changed
audit-action-password_reset = Password reset
audit-action-block = Blocked
audit-action-unblock = Unblocked
audit-action-sign_out_everywhere = Signed out everywhere
audit-action-token_create = Token created
audit-action-token_revoke = Token revoked

# Months.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# The names of the values of closed sets: <family>-<stored name>.

meter-kind-cold_water = Cold water
meter-kind-hot_water = Hot water
service-cold_water = Cold water
service-hot_water = Hot water
service-sewerage = Sewerage
service-maintenance = Maintenance
unit-m3 = m³
unit-m2 = m²
reading-source-form = Form
reading-source-csv = CSV upload
reading-source-api = API
payment-source-manual = By hand
payment-source-bank = Bank register
reading-source-final = Final (meter removed)
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

# Houses' time zones: the offset from Moscow and a large city.
time-zone-kaliningrad = UTC+2, Kaliningrad
time-zone-moscow = UTC+3, Moscow
time-zone-samara = UTC+4, Samara
time-zone-yekaterinburg = UTC+5, Yekaterinburg
time-zone-omsk = UTC+6, Omsk
time-zone-krasnoyarsk = UTC+7, Krasnoyarsk, Novosibirsk
time-zone-irkutsk = UTC+8, Irkutsk
time-zone-yakutsk = UTC+9, Yakutsk
time-zone-vladivostok = UTC+10, Vladivostok
time-zone-magadan = UTC+11, Magadan
time-zone-kamchatka = UTC+12, Petropavlovsk-Kamchatsky

# Why a billing run failed.
run-failure-missing_tariff = a service with no tariff or normative kept with the run turned up during it (added to the house after it started). Start the run again.
run-failure-database = the database refused the run's lines. The error is in the server's log; start the run again.
run-failure-internal = an internal error stopped the run; it has been logged.
line-method-actual = By readings
line-method-average = By average
line-method-normative = By normative
line-method-mixed = Mixed
line-method-sum = Cold + hot water
line-method-area = By area

# Problems with what a person entered or asked for (domain::Problem), and
# errors (AppError). English is also the JSON API's language: keep these
# sentences word for word.


problem-empty = Enter the { $what }.
problem-control-character = The { $what } contains a control character.
problem-too-long = The { $what } is longer than { $max } characters.
problem-no-number = Enter a number.
problem-not-a-number = { $value } is not a number.
problem-too-many-decimals = The { $what } has more than { $places } decimal places.
problem-too-large = The { $what } is too large.
problem-area-not-positive = The area must be greater than 0 m².
problem-area-too-large = The area must be at most { $max } m².
problem-negative-reading = A meter reading cannot be negative.
problem-price-not-positive = The price must be greater than 0.
problem-account-number-chars = An account number has only letters and digits, no spaces or signs.
problem-receipt-not-billed = { $period } is not billed for this house yet: receipts come after billing.
problem-inn-digits = An INN has 10 digits (an organisation) or 12 (an entrepreneur).
problem-inn-check-digits = The INN's check digits do not match: look for a typo.
problem-kpp-format = A KPP has 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits.
problem-bic-digits = A BIC has 9 digits.
problem-account-digits = An account number has 20 digits.
problem-account-not-of-bank = The settlement account's key digit does not match the BIC: check the account and the BIC.
problem-corr-account-not-of-bank = The correspondent account's key digit does not match the BIC: check the account and the BIC.
problem-amount-not-positive = amount must be greater than 0.
problem-rate-out-of-range = rate is 0 to 100 %.
problem-paid-in-future = The payment date has not come yet.
problem-paid-before-opening = The account is kept from { $month }: an earlier payment belongs in its opening balance.
problem-no-such-account = There is no account { $number }.
problem-account-number-taken = Another account has the number { $number }.
problem-payment-settled = The payment is already deleted or assigned.
problem-key-rate-taken = A key rate from this day exists already.
problem-normative-not-positive = The normative must be greater than 0.
problem-coefficient-below-one = The coefficient must be at least 1.
problem-not-a-people-count = { $value } is not a number of people: give a whole number from 0 to { $max }.
problem-choose-services = Choose at least one service the house bills.
problem-choose-water-service = Choose cold_water or hot_water.
problem-decommissioned-before-commissioned = The meter cannot be taken out before it was commissioned.
problem-already-decommissioned = The meter was already taken out on { $date }.
problem-normative-taken = A normative for this service, house and month already exists; edit that one.
problem-coefficient-taken = A coefficient for this service and month already exists; edit that one.
problem-choose-meter-kind = Choose cold_water or hot_water.
problem-choose-service = Choose cold_water, hot_water, sewerage or maintenance.
problem-choose-role = Choose admin, manager or viewer.
problem-choose-house = Choose a house from the list.
problem-choose-time-zone = Choose a time zone from the list.
problem-not-a-month = { $value } is not a month: write it as YYYY-MM, e.g. 2026-09
problem-not-a-month-cell = { $value } is not a month: write it as YYYY-MM, MM.YYYY or 01.MM.YYYY, e.g. 10.2026.
problem-year-out-of-range = { $value } is out of range: the year must be from { $from } to { $to }.
problem-not-a-date = { $value } is not a date: write it as YYYY-MM-DD.
problem-no-such-day = { $value } is not a date: write it as YYYY-MM-DD.
problem-user-name-needs-letter = A user name needs at least one letter or digit.
problem-password-too-short = The password must be at least { $min } characters long.
problem-password-too-long = The password is longer than { $max } characters.
problem-password-nul = The password contains a NUL character.
problem-passwords-differ = The two passwords differ.
problem-wrong-current-password = That is not your current password.
problem-user-taken = A user named { $name } already exists.
problem-no-such-user = There is no user named { $value }.
problem-only-admin = { $name } is the only admin; make someone else admin first.
problem-already-set-up = kvartplata is already set up. Sign in instead.
problem-meter-taken-out = The meter was taken out on { $date }: it has no readings after that month.
problem-readings-after = The meter has a reading for { $period }: it can be taken out in that month or later.
problem-doubtful-consumption = { $serial }, { $period }: the consumption of { $consumption } m³ is more than three times the meter's average of { $average } m³; check the reading (it was saved).
problem-period-closed = { $period } is closed for this house
problem-close-in-order = Months are closed in order: close { $next } first.
problem-close-unbilled = { $period } has no completed billing run: bill it before closing.
problem-close-stale = { $period }'s bill is out of date: bill it again before closing.
problem-close-while-running = Run #{ $run } of this house is still queued or running: close the month when it has finished.
problem-reopen-last-only = Only the last closed month, { $last }, can be reopened.
problem-nothing-closed = No month of this house is closed.
problem-period-too-far-ahead = { $period } is too far ahead: readings can be entered up to { $latest }.
problem-period-repeated = { $period } appears twice for this meter.
problem-below-initial-reading = { $value } is lower than the meter's initial reading { $initial }.
problem-below-earlier-reading = { $value } is lower than { $period }'s reading { $reading }.
problem-above-later-reading = { $value } is higher than { $period }'s reading { $reading }.
problem-no-such-meter = There is no meter { $id }.
problem-no-such-serial = There is no meter with serial { $serial }.
problem-meter-of-another-house = Meter { $serial } belongs to another house.
problem-address-taken = A house with this address already exists.
problem-number-taken = This house already has an apartment with this number.
problem-number-listed-twice = Apartment { $number } is listed twice (also at { $first }).
problem-serial-taken = Another meter already has this serial number.
problem-serial-listed-twice = Serial { $serial } is listed twice (also at { $first }).
problem-serial-used = Serial { $serial } is already used by another meter.
problem-history-readings = { $count ->
    [one] { $count } reading
   *[other] { $count } readings
}
problem-history-charges = { $count ->
    [one] { $count } charge
   *[other] { $count } charges
}
problem-history-both = { $readings } and { $charges }
problem-house-has-history = { $name } has { $history }; billing history is never deleted.
problem-apartment-has-history = Apartment { $name } has { $history }; billing history is never deleted.
problem-meter-has-history = Meter { $name } has { $history }; billing history is never deleted.
problem-tariff-taken = A tariff for this service, house and month already exists; edit that one.
problem-no-such-house = There is no house { $id }.
problem-tariff-in-run = Billing run { $run } bills at this tariff; delete it once the run has finished.
problem-tariff-billed-change = This tariff was used for { $count } charge(s) and cannot be changed; add a new tariff from a later month instead.
problem-tariff-billed-delete = This tariff was used for { $count } charge(s) and cannot be deleted; add a new tariff from a later month instead.
problem-no-tariff = No { $service } tariff is in effect for { $period }.
problem-no-normative = No { $service } normative is in effect for { $period }.
problem-input-invalid = The input is invalid.
problem-record-conflict = This conflicts with an existing record.
problem-still-referenced = This is still referenced by other records (readings or charges).

error-not-found = Not found.
error-method-not-allowed = This address does not accept that method.
error-invalid-rows = { $count } of the readings are invalid; nothing was saved.
error-payload-too-large = The request body is too large.
error-unavailable = The database is not answering. Please try again in a minute.
error-busy = The server is busy with other uploads. Please send it again in a minute.
error-internal = Something went wrong on our side; it has been logged.
error-title-bad-request = Bad request
error-title-forbidden = Not allowed
error-title-not-found = Page not found
error-title-method-not-allowed = Method not allowed
error-title-conflict = Conflict
error-title-invalid = Invalid input
error-title-payload-too-large = Too large
error-title-unavailable = Database unavailable
error-title-busy = Busy
error-title-internal = Internal error
error-not-found-hint = The link may be mistyped, or what it named has been deleted.
error-to-houses = Go to the houses
error-to-dashboard = Dashboard

csv-cells-beyond-header = The line has more cells than the header has columns: if a number has a decimal comma, separate the columns with ; or put the number in quotes.
csv-not-text = the line cannot be read as CSV text.
csv-line-too-long = the line is longer than 4096 bytes, which no line of data is; it is not shown.
csv-file-empty = The file is empty.
csv-missing-columns = The header line (line { $line }) has no { $missing } column. The file needs the columns Счётчик (or serial), Период (or period) and Показание (or value); it has: { $found }.
csv-no-readings = The file has no readings: every line below the header has an empty Показание (value).
csv-line-unreadable = Line { $line } cannot be read: { $problem }
premises-meter-kind-missing = the meter's kind (cold or hot water) is missing.
premises-disagrees = “{ $column }” differs from line { $first } of the same apartment.
premises-serial-twice = this meter is on line { $first } already.
premises-account-twice = this account belongs to another apartment (line { $first }).
premises-too-long = The file has more than { $limit } lines: it is no register of one house.
premises-empty = The file names no apartment.
problem-on-line = Line { $line }: { $problem }
premises-meter-elsewhere = meter { $serial } is in apartment { $apartment } already.
premises-meter-differs = meter { $serial } has another kind or initial reading in the register: change them on the meter's page.
csv-too-many-readings = The file has more than { $limit } readings; upload at most { $limit } at a time (split the file by month).

# A bank's payment register (csv::bank_register). A line's faults are said
# in turn after "Line N:", each from a lower-case letter, with no full stop.
register-line = Line { $line }: { $faults }.
register-file-too-large = The file is larger than { $max } MB, which no register is; check that it is the right file.
register-too-many-payments = The register has more than { $limit } payments; split it into parts of at most { $limit } payments each.
register-no-payments = The register has no payments.
register-no-totals = The register has no totals line: its last line must be =count;amount;transferred;commission.
register-more-bad-lines = And { $count ->
    [one] { $count } more line
   *[other] { $count } more lines
} with problems, from line { $line } on.
register-line-too-long = the line is longer than { $max } bytes, which no register line is; it is not shown
register-not-utf8 = the line is not UTF-8 text although the file starts with a UTF-8 byte-order mark
register-too-few-cells = { $found ->
    [one] { $found } cell
   *[other] { $found } cells
} instead of { $expected }; missing: { $missing }
register-too-many-cells = { $found ->
    [one] { $found } cell
   *[other] { $found } cells
} instead of { $expected }; extra: { $value }
register-empty = the { $column } cell is empty
register-control-character = the { $column } cell contains a control character
register-too-long = the { $column } cell is longer than { $max } characters
register-not-a-date = the date { $value } is not a date in the form dd-MM-yyyy
register-not-a-time = the time { $value } is not a time in the form HH-mm-ss
register-not-a-number = the { $column } { $value } is not a number
register-too-many-decimals = the { $column } { $value } has more than 2 decimal places
register-too-large = the { $column } { $value } is larger than { $max } ₽
register-amount-not-positive = the amount { $value } is not greater than 0
register-negative = the { $column } { $value } is negative
register-not-an-account = the account { $value } is not 1 to 20 letters and digits
register-not-a-period = the period { $value } is not a month in the form MMYYYY (e.g. 102026)
register-not-a-count = the payment count { $value } is not a whole number
register-count-mismatch = the totals line counts { $found ->
    [one] { $found } payment
   *[other] { $found } payments
}, the register has { $expected }
register-sum-mismatch = the { $column } is { $found } ₽, the register's payments sum to { $expected } ₽
register-second-totals = a second totals line (the first is line { $first })
register-after-totals = a payment after the totals line (line { $totals }), which must be the last
# A register's cells, as a message names them.
register-column-date = date
register-column-time = time
register-column-branch = branch
register-column-cashier = cashier
register-column-operation = operation
register-column-account = account
register-column-payer = payer
register-column-address = address
register-column-period = period
register-column-amount = amount
register-column-transferred = transferred amount
register-column-commission = commission
register-column-total-count = payment count
register-column-total-amount = total amount
register-column-total-transferred = total transferred
register-column-total-commission = total commission

# What a field holds, as a message names it: the subject of a sentence
# (problem-what-*) and what to enter (problem-enter-*).
problem-what-address = address
problem-what-apartment-number = apartment number
problem-what-serial = serial number
problem-what-user-name = user name
problem-what-full-name = full name
problem-what-token-name = token name
problem-what-area = area
problem-what-reading = reading
problem-what-price = price
problem-what-normative = normative
problem-what-coefficient = coefficient
problem-what-account-number = account number
problem-what-holder = holder's name
problem-what-amount = amount
problem-what-balance = balance
problem-what-reason = reason
problem-what-rate = rate
problem-enter-address = address
problem-enter-apartment-number = apartment number
problem-enter-serial = serial number
problem-enter-user-name = user name
problem-enter-full-name = full name
problem-enter-token-name = token name
problem-enter-area = area
problem-enter-reading = reading
problem-enter-price = price
problem-enter-normative = normative
problem-enter-coefficient = coefficient
problem-enter-account-number = account number
problem-enter-holder = holder's name
problem-enter-amount = amount
problem-enter-balance = balance
problem-enter-reason = reason
problem-enter-rate = rate
# A month in "in <month>" (В феврале 2026 …).
problem-month-in-1 = January
problem-month-in-2 = February
problem-month-in-3 = March
problem-month-in-4 = April
problem-month-in-5 = May
problem-month-in-6 = June
problem-month-in-7 = July
problem-month-in-8 = August
problem-month-in-9 = September
problem-month-in-10 = October
problem-month-in-11 = November
problem-month-in-12 = December
problem-meter-not-in-house = This meter is not in this house.
problem-sign-in-first = Sign in to do this.
problem-only-admin-manages-users = Only an admin can manage users.
problem-viewer-changes-nothing = Your account can only look: viewers change nothing.
problem-only-admin-changes-tariffs = Only an admin can change tariffs, normatives and coefficients.
problem-only-admin-reopens = Only an admin can reopen a closed month.
problem-send-json = Send the body as JSON with Content-Type: application/json.
problem-malformed-json = Malformed JSON: { $detail }
problem-body-unreadable = The request body could not be read.
problem-query-unreadable = Bad query string: { $detail }
problem-nul-in-query = The query parameter { $value } contains a NUL character, which no value may contain.
problem-form-unreadable = The form could not be read.
problem-upload-unreadable = The upload could not be read: send the form as multipart/form-data.
problem-unknown-language = Unknown language { $value }.
problem-run-not-a-number = The run in the address is no number.
problem-export-needs-month = Name the month to export: ?period=YYYY-MM.
problem-form-expired = This form has expired or did not come from kvartplata. Go back, reload the page and try again.

# Personal accounts and money: the apartment's account section, the
# account page, the search, the house balances, debtors, payments
# (register, unmatched) and key rates.

nav-payments = Payments
nav-debtors = Debtors

# The apartment page's section and form.
acc-section = Personal account
acc-none = The apartment has no personal account yet: open one with the form below.
acc-open = Open a personal account
acc-change = Change the personal account
acc-number = Account
acc-number-hint = 1 to 20 letters and digits, e.g. 1001001001.
acc-holder = Holder
acc-holder-hint = Full name; may be left empty.
acc-holder-unknown = unknown
acc-opening = Opening balance, ₽
acc-opening-hint = A debt at the month's start as a plus, an advance as a minus, e.g. -300.00.
acc-opening-period = Opening month
acc-opening-period-hint = The account's ledger starts with this month, e.g. 2026-01.
acc-opening-as-of = as of { $date }
acc-save = Save the account
acc-saved = Account { $number } saved.

# The account page.
acc-title = Account { $number }
acc-house = House
acc-apartment = Apartment
acc-balance-debt = Debt { $amount } ₽
acc-balance-advance = Advance { $amount } ₽
acc-balance-settled = Nothing owed
acc-balance-as-of = closing balance of { $month }
acc-statement = Statement by month
acc-statement-empty = The account's ledger starts later: no months yet.
acc-col-month = Month
acc-col-opening = Opening balance
acc-col-charged = Charged
acc-col-penalty = Penalty
acc-col-paid = Paid
acc-col-closing = Closing balance
acc-penalty-of = Penalty of { $month }
acc-penalty-debt = for { $month } (due { $due }): { $spans }
acc-penalty-span = { $outstanding } ₽ × { $days } days × { $fraction } × { $rate } %
acc-paid-later = Paid after the current billing period ({ $month }): { $amount } ₽, counted in the months to come.
acc-payments = Payments
acc-payments-none = No payments yet.
acc-col-paid-on = Paid on
acc-col-amount = Amount, ₽
acc-col-named-month = For month
acc-col-source = Source
acc-col-operation = Bank operation
acc-col-delete = Deletion
acc-delete-reason = Why it is deleted
acc-delete-reason-placeholder = Reason
acc-payment-delete-confirm = Delete the payment of { $amount } ₽ made on { $date }?
acc-payment-deleted = Payment of { $amount } ₽ deleted.
acc-payment-add = Enter a payment by hand
acc-paid-on-label = Paid on
acc-paid-on-hint = Not after today, e.g. 2026-11-03.
acc-paid-on-placeholder = 2026-11-03
acc-amount-label = Amount, ₽
acc-amount-hint = Above zero, e.g. 2367.95.
acc-named-month-label = For month
acc-named-month-hint = Optional: the month the payer named. A payment still pays the oldest debt first.
acc-payment-save = Enter the payment
acc-payment-added = Payment of { $amount } ₽ entered.

# The search by number.
acc-search-title = Find a personal account
acc-search-label = Account number
acc-search-placeholder = e.g. 1001001001
acc-menu-placeholder = Account no.
acc-search-none = There is no account { $number }.
acc-search-starting = Accounts whose numbers start with { $number }:
acc-search-nothing-starts = No account number starts with it either.
acc-search-more = The first { $limit } are listed: type more of the number.

# House balances.
osv-title = House balances
osv-heading = House balances for { $month }
osv-crumb = Balances for { $month }
osv-download = Download CSV for Excel
osv-none = The house has no account whose ledger covers this month.
osv-total = House total
osv-months-up-to = Balances go up to the current billing period ({ $month }).
osv-csv-account = Account
osv-csv-apartment = Apartment
osv-csv-opening = Opening balance
osv-csv-charged = Charged
osv-csv-penalty = Penalty
osv-csv-paid = Paid
osv-csv-closing = Closing balance
osv-csv-total = Total

# Debtors.
debtors-title = Debtors
debtors-intro = Accounts in debt at the end of their house's current billing period; months in debt are the consecutive months up to it that closed in debt.
debtors-house = House
debtors-all-houses = All houses
debtors-above = Debt above, ₽
debtors-above-hint = 0 unless given.
debtors-months = At least months in debt
debtors-months-hint = 1 unless given.
debtors-sort = Order
debtors-sort-debt = by debt
debtors-sort-months = by months in debt
debtors-sort-number = by account number
debtors-sort-address = by address
debtors-show = Show
debtors-none = No debtors match.
debtors-col-address = Address
debtors-col-debt = Debt
debtors-col-months = Months in debt
debtors-summary = { $count ->
    [one] { $count } debtor
   *[other] { $count } debtors
} owing { $amount } ₽
debtors-months-count = { $count ->
    [one] { $count } month
   *[other] { $count } months
}

# Payments: the register, the unmatched ones.
pay-nav = Payment pages
pay-import-title = Bank register
pay-import-file = The bank's payment register
pay-import-hint = A Sberbank register (Windows-1251, or UTF-8 with a BOM): a payment a line, the totals line last. A register is imported whole or not at all; importing it again adds nothing twice.
pay-import-submit = Import the register
pay-import-done = Register imported: { $imported } matched, { $unmatched } unmatched, { $duplicates } duplicates, { $amount } ₽ in all.
pay-import-nothing-new = Every payment of the register was imported before ({ $duplicates }): nothing added.
pay-import-refused = The register was not imported, no payment saved: { $count ->
    [one] { $count } error
   *[other] { $count } errors
}. Correct the file and import it again.
pay-imports = Imported registers
pay-imports-none = No register imported yet.
pay-col-imported-at = Imported
pay-col-imported-by = By
pay-col-file = File
pay-col-imported = Matched
pay-col-unmatched = Unmatched
pay-col-duplicates = Duplicates
pay-col-amount = Amount, ₽
pay-unmatched-title = Unmatched payments
pay-unmatched-intro = Register payments whose account number names no account. Give the account and the payment is credited to it.
pay-unmatched-count = { $count ->
    [one] { $count } unmatched payment
   *[other] { $count } unmatched payments
}
pay-unmatched-waiting = Waiting to be assigned: { $count }.
pay-unmatched-assign = assign them
pay-col-account-named = Account in the register
pay-col-payer = Payer
pay-col-address = Address
pay-col-assign = Assign to an account
pay-assign-label = Account number
pay-assign-placeholder = Account no.
pay-assign = Assign
pay-assigned = Payment of { $amount } ₽ assigned to account { $number }.

# Key rates.
kr-title = Key rates
kr-intro = The Bank of Russia's key rate penalties are computed by (Housing Code art. 155 p. 14). Without a rate no penalty accrues. A change marks the runs from its month stale.
kr-none = No key rate yet: no penalty accrues.
kr-col-from = From
kr-col-rate = Rate
kr-add = Add a key rate
kr-from-hint = The first day, e.g. 2026-10-27.
kr-rate-label = Rate, %
kr-rate-hint = 0 to 100, e.g. 16.5.
kr-add-button = Add
kr-added = Key rate added.
kr-delete = Delete
kr-delete-confirm = Delete the rate from { $day }?
kr-deleted = Key rate deleted.
kr-caps = Penalty rate caps
kr-caps-intro = On these days penalties are computed at the lower of the key rate and the cap.
kr-caps-none = No caps.
kr-col-to = To
kr-col-cap = At most
kr-due-days = Due days
kr-due-days-intro = The day of the next month by which a month's charges are due.
kr-col-charges-of = Charges
kr-col-due = Due by
kr-due-from-start = from the beginning
kr-due-from = { $month } on
kr-due-day = day { $day } of the next month
acc-receipt = receipt
acc-receipt-pdf = PDF

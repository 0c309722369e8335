# The dashboard at /.

dash-title = Dashboard
dash-new-house = New house
dash-tariffs = Tariffs
dash-stat-houses = houses
dash-stat-apartments = apartments
dash-stat-meters = meters
dash-stat-missing = meters without their current period's reading
dash-bill-title = Bill a month
dash-all-runs = All billing runs
dash-month = Month
dash-house = House
dash-month-placeholder = YYYY-MM
dash-bill-current = Bill every house for its current period
dash-start-billing = Start billing
dash-current-total = Billed for the current periods: { $amount } ₽ — { $billed } of { $count ->
    [one] { $count } house
   *[other] { $count } houses
} billed
dash-bill-hint = Each house is billed in the background; billing a month again replaces its charges.
dash-all-houses = All houses
dash-houses = Houses
dash-no-houses = No houses yet.
dash-add-first-house = Add the first house
dash-or-demo = , or load the demo data set with
dash-attention = Needs attention
dash-all-read = Every house is ready to bill: its meters have their current period's readings and are verified, and its tariffs and normatives are set.
dash-missing-intro = Each house in its current period: meters with no reading (billed by their average or the normative until one is saved), meters past their verification, readings above three times their average, and services without a tariff or normative.
dash-col-period = Current period
dash-col-doubtful = Doubtful readings
dash-doubtful = { $count ->
    [one] { $count } reading
   *[other] { $count } readings
}
dash-col-faulty = Verification overdue
dash-col-prices = No price
dash-col-bill = Bill
dash-no-tariff = { $service }: no tariff
dash-no-normative = { $service }: no normative
dash-bill-none = not billed
dash-bill-stale = changed after billing
dash-bill-done = { $amount } ₽
dash-bill-failed = billing failed
dash-bill-running = billing
dash-col-house = House
dash-col-missing = Missing
dash-col-meters = Meters
dash-of-meters = of { $count }
dash-more = and { $count } more on the house page
dash-latest-runs = Latest billing runs
dash-all-runs-link = all runs
dash-no-runs = No billing runs yet. Once a month's readings are in, bill a house for that month and its progress shows here.

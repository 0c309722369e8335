# Billing: starting runs, the runs list, a run's progress, the results.

billing-runs-title = Billing runs
billing-bill-a-month = Bill a month
billing-run-count = { $count ->
    [one] { $count } run, newest first.
   *[other] { $count } runs, newest first.
}
billing-no-page = There is no page { $page }; the list has { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}.
billing-first-page = Go to the first page
billing-runs-empty-before = No billing runs yet. Bill a month from a
billing-runs-empty-house = house page
billing-runs-empty-or = or from the
billing-runs-empty-dashboard = dashboard
billing-col-run = Run
billing-col-house = House
billing-col-month = Month
billing-col-status = Status
billing-col-apartments = Apartments
billing-col-amount = Amount
billing-col-started = Started
billing-col-started-by = Started by
billing-col-duration = Duration
billing-col-links = Links
billing-col-service = Service
billing-col-quantity = Quantity
billing-col-tariff = Tariff
billing-col-explanation = Explanation
billing-col-why = Why
billing-system = system
billing-breadcrumbs = Breadcrumb

# A run's progress.
billing-run-title = Run #{ $run } · { $month }
billing-run-number = Run #{ $run }
billing-progress-heading = Billing { $month }
billing-house-page = House page
billing-run-queued = run #{ $run } · queued { $at }
billing-progress-label = Apartments billed
billing-progress-counts = { $processed } of { $total } { $count ->
    [one] apartment
   *[other] apartments
}
billing-amount = Amount
billing-amount-so-far = Amount so far
billing-started = Started
billing-finished = Finished
billing-duration = Duration
billing-progress-replaced-before = Replaced by
billing-progress-replaced-link = run #{ $run }
billing-progress-replaced-after = : billing { $month } again overwrote this run's lines.
billing-stale-strong = Changed after billing — bill again.
billing-progress-stale-text = A reading, apartment, meter or price of { $month } changed after this run billed it.
billing-progress-running-stale = Its inputs changed while it runs: bill { $month } again once it completes.
billing-see-results = See the results for { $month }
billing-run-failed = The run failed: { $error }
billing-run-failed-prefix = The run failed:
billing-no-reason = no reason was recorded.
billing-refresh = Refresh
billing-bill-again = Bill { $month } again
billing-bill = Bill { $month }

# The results of a house and month.
billing-results-title = Results { $month } · { $address }
billing-results-crumb = Results { $month }
billing-results-heading = Results for { $month }
billing-last-run = last run
billing-active-notice = Billing { $month } is in progress ({ $processed } of { $total } apartments):
billing-active-follow = follow its progress
billing-active-after = . The figures below change until it completes.
billing-replaced-before = Run
billing-replaced-after = was replaced by a newer run of { $month }: billing the month again overwrote its lines.
billing-replaced-see-newer = See the newer run's results
billing-stale-text = A reading, apartment, meter or price of { $month } changed after run #{ $run } billed it; the lines below are as it billed them.
billing-house-total-for = house total for { $month }
billing-apartments-billed = { $count ->
    [one] apartment billed
   *[other] apartments billed
}
billing-lines-missing = { $count ->
    [one] line with a missing reading
   *[other] lines with a missing reading
}
billing-download-csv = Download CSV
billing-download-csv-by-apartment = CSV by apartment
billing-page-of = Page { $page } of { $pages }, { $count ->
    [one] { $count } apartment
   *[other] { $count } apartments
} on this page.
billing-apartment = Apartment
billing-missing-title = A meter has no usable reading for { $month }: billed by its average or the normative, recalculated when a reading comes
billing-coefficient = K
billing-excess-title = The increasing coefficient raised this line by the amount shown (ПП 354 п. 42)
billing-recalculation = recalculation
billing-missing-reading = missing reading
billing-tariff-from = from { $from }
billing-penalty = Penalty
billing-penalty-title = The penalty for paying earlier months late (Housing Code art. 155 p. 14): from the 31st day overdue, at the key rate
billing-penalty-account = account { $number }
billing-apartment-total = Total for apartment { $number }
billing-house-total = House total, { $count ->
    [one] { $count } apartment
   *[other] { $count } apartments
}
billing-no-charges = No charges for { $month }
billing-not-billed = : this month has not been billed for this house.
billing-not-billed-running = : this month has not been billed for this house yet; its run is in progress.
billing-last-failed-before = The last run (
billing-last-failed-after = ) failed
billing-month-not-billed = { $month } (not billed)
billing-months-up-to = Months can be billed up to { $month }

# "Bill all houses".
billing-all-heading = Billing { $month }: all houses
billing-all-crumb = All houses, { $month }
billing-all-heading-current = Billing every house's current period
billing-all-crumb-current = All houses, current periods
billing-back-dashboard = Back to the dashboard
billing-all-summary = Started { $started ->
    [one] { $started } run
   *[other] { $started } runs
}; { $refused ->
    [one] { $refused } house
   *[other] { $refused } houses
} could not be billed.
billing-not-billed-heading = Not billed
billing-started-heading = Started
billing-none-started = No run started.

# Flashes and refusals.
billing-started-flash = Billing { $month } started: { $apartments }.
billing-started-all = { $count ->
    [one] Started { $count } run.
   *[other] Started { $count } runs.
}
billing-just-started = A run of this house and month has just been started.
billing-enter-month = Enter the month to bill as YYYY-MM.
billing-refused-house = There is no such house.
billing-refused-future = { $month } is in the future: bill at most the month after this one.
billing-refused-missing = No { $services } tariff is in effect for { $month }: add one before billing.
billing-refused-add = add the tariff
billing-refused-active = Run { $run } of this house and month is still in progress.
billing-services-join = { " or " }
billing-services-join-last = { " or " }
billing-tariff-of-cold_water = cold_water
billing-tariff-of-hot_water = hot_water
billing-tariff-of-sewerage = sewerage
billing-tariff-of-maintenance = maintenance
billing-refused-no-normative = No { $services } normative is in effect for { $month }: add one before billing.
billing-refused-add-normative = add the normative
billing-no-results-page = There is no page { $page }; the results have { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}.
billing-receipts = Receipts

# The month's readings form of a house (templates/readings/month.html).

readings-heading = Readings for { $month }
readings-breadcrumbs = Breadcrumb
readings-houses = Houses
readings-counts = { $count ->
    [one] { $meters } meter
   *[other] { $meters } meters
}, { $entered } with a reading for { $month }.
readings-hint = Enter what each dial shows (decimal point or comma); empty fields are left as they are. Tab or Enter moves down the column.
readings-too-far-ahead = Readings can be entered up to { $latest }; { $month } is too far ahead.
readings-this-month = { $month } (this month)
readings-billing-month = { $month } (billing period)
readings-next-month = { $month } (next month)
readings-limit-note = Readings can be entered up to { $month }
readings-filter-label = Which meters to show
readings-filter-all = All ({ $count })
readings-filter-missing = Only without a reading ({ $count })
readings-shown = Meters { $first }–{ $last } of { $total }
readings-upload = Upload from Excel
readings-download-template = Download template
readings-no-meters = This house has no meters yet. Add them on the
readings-no-meters-link = house page
readings-none-missing = Every meter already has a reading for this month.
readings-col-apartment = Apartment
readings-col-meter = Meter
readings-col-previous = Previous
readings-col-current = Reading for { $month }
readings-col-consumption = Consumption
readings-initial = initial
readings-input-label = Reading of meter { $serial }, apartment { $apartment }
readings-save = Save readings
readings-read-only = Your account can look at readings but not save them.
readings-cancel = Cancel
readings-nothing-entered = No readings were entered; nothing was saved.
readings-refused-rows = { $count ->
    [one] { $count } reading could not be saved
   *[other] { $count } readings could not be saved
}: nothing was saved. The messages are on their rows.
readings-refused-foreign = The form names meters this house no longer has (ids { $ids }); reload the page: nothing was saved. The messages are on their rows.
readings-refused-rows-and-foreign = { $count ->
    [one] { $count } reading could not be saved
   *[other] { $count } readings could not be saved
}, and the form names meters this house no longer has (ids { $ids }); reload the page: nothing was saved. The messages are on their rows.

# After saving (the form and the upload): what changed, and apart what was already so.
readings-saved = { $count ->
    [one] Saved { $shown } reading
   *[other] Saved { $shown } readings
} ({ $created } new, { $updated } corrected).
readings-saved-and-unchanged = { $count ->
    [one] Saved { $shown } reading
   *[other] Saved { $shown } readings
} ({ $created } new, { $updated } corrected); { $unchanged } unchanged.
readings-saved-nothing-changed = { $count ->
    [one] Nothing to save: { $shown } reading unchanged.
   *[other] Nothing to save: { $shown } readings unchanged.
}
readings-saved-doubtful = { $count ->
    [one] Check one reading:
   *[other] Check { $count } readings, for example:
} { $first }

# The readings upload page (templates/readings/upload.html).
upload-heading = Upload readings
upload-report-caption = Lines to correct
upload-col-line = Line
upload-col-serial = Serial
upload-col-period = Period
upload-col-value = Value
upload-col-problem = Problem
upload-unlisted = { $count ->
    [one] … and { $shown } more line like these.
   *[other] … and { $shown } more lines like these.
}
upload-file-label = CSV file
upload-hint = One reading per line with the meter’s serial, the month and the value; other columns are ignored.
    Headers in English (<code>serial</code>, <code>period</code>, <code>value</code>) or Russian
    (<code>Счётчик</code> or <code>Серийный номер</code>, <code>Период</code> or <code>Месяц</code>, <code>Показание</code>).
    Saved from Excel as “CSV UTF-8” or plain “CSV” (Windows-1251), separated by <code>;</code> or <code>,</code>.
    Values with a decimal comma or point (<code>1 204,5</code>); months as <code>2026-10</code>, <code>10.2026</code> or <code>01.10.2026</code>.
    Lines without a value are skipped. Nothing is saved unless every line can be.
upload-submit = Upload readings
upload-template-heading = Template
upload-template-text = Every meter of the house with its previous reading: fill in the Показание column and upload the file back as it is.
upload-template-for = Download the template for { $month }
upload-another-month = Another month
upload-download-template = Download template
upload-choose-file = Choose a CSV file to upload.
upload-refused-lines = { $count ->
    [one] { $shown } line of the file cannot be saved, so nothing was saved. Correct it and upload the file again.
   *[other] { $shown } lines of the file cannot be saved, so nothing was saved. Correct them and upload the file again.
}

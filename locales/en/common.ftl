# Words shared by many pages, and the shared partials: pager, month
# navigation, the billing runs table.

common-save = Save
common-cancel = Cancel
common-edit = Edit
common-editing = Edit
common-delete = Delete
common-search = Search
common-show-all = Show all
common-breadcrumbs = Breadcrumb
common-form-errors = Please correct the fields marked below.
common-col-address = Address
common-col-apartments = Apartments
common-col-meters = Meters
common-apt = apt { $number }
common-more = More

pager-label = Pages
pager-previous = ‹ Previous
pager-next = Next ›

month-nav-label = Month
month-nav-month = Month
month-nav-show = Show

runs-replaced-by = Replaced by
runs-replacing-run = run #{ $id }
runs-stale = Changed after billing — bill again
runs-running-stale = Inputs changed while it runs — bill again once it completes
runs-progress = Progress
runs-results = Results
runs-col-house = House
runs-col-month = Month
runs-col-status = Status
runs-col-apartments = Apartments
runs-col-done = Done
runs-col-amount = Amount
runs-col-links = Links
runs-seconds = { $seconds } s
runs-minutes = { $minutes } min { $seconds } s
runs-hours = { $hours } h { $minutes } min

# The house list, the house page and the house form.

house-list-title = Houses
house-new = New house
house-none = No houses yet.
house-add-first = Add the first one
house-edit-title = Edit { $address }
house-edit = Edit house
house-address = Address
house-address-hint = Street, building; unique among the houses.
house-time-zone = Time zone
house-time-zone-hint = The house's pages show billing times in it.
house-services = Services
house-services-hint = What the house's residents are billed for. Changing them makes the open months' bills stale.
house-create = Create house
house-add-apartment = Add apartment
house-enter-readings = Enter readings
house-readings = Readings
house-upload = Upload from Excel
house-template = Download template
house-delete = Delete house
house-delete-confirm = Delete house “{ $address }” with all its apartments and meters?
house-billing = Billing
house-results-by-month = Results by month
house-bill-month = Bill a month
house-month-placeholder = YYYY-MM
house-start-billing = Start billing
house-bill-hint = YYYY-MM; billing a month again replaces its charges.
house-find = Find
house-search-placeholder = Apartment number or meter serial
house-apartment-count = { $count ->
    [one] { $count } apartment
   *[other] { $count } apartments
}
house-apartments-match = { $count ->
    [one] { $count } apartment
   *[other] { $count } apartments
} match “{ $search }”
house-showing = {" "}· showing { $first }–{ $last }
house-no-page = There is no page { $page }; the list has { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}.
house-first-page = Go to the first page
house-no-match = No apartment number starts with “{ $search }” and no meter serial contains it.
house-no-apartments = No apartments yet.
house-add-first-apartment = Add the first one
house-col-apartment = Apartment
house-col-area = Area
house-col-meters = Meters
house-col-meters-note = (serial · kind · last reading)
house-col-last-bill = Last bill
house-no-meters = no meters
house-created = House { $address } created.
house-saved = House { $address } saved.
house-deleted = House { $address } deleted.

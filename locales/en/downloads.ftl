# The columns of the downloads (Excel-made CSV).

charges-csv-apartment = apartment
charges-csv-service = service
charges-csv-quantity = quantity
charges-csv-unit = unit
charges-csv-price = price
charges-csv-tariff-from = tariff from
charges-csv-amount = amount
charges-csv-method = method
charges-csv-coefficient = coefficient
charges-csv-excess = of it raised by the coefficient
charges-csv-missing-reading = missing reading
charges-csv-explanation = explanation
charges-csv-yes = yes
charges-csv-total = Total
charges-csv-area = area, m²
charges-csv-service-amount = { $service }, ₽
charges-csv-apartment-total = total, ₽
readings-csv-apartment = Apartment
readings-csv-meter = Meter
readings-csv-kind = Kind
readings-csv-previous = Previous
readings-csv-period = Period
readings-csv-value = Reading

# The columns of the downloads (Excel-made CSV).

charges-csv-apartment = Квартира
charges-csv-service = Услуга
charges-csv-quantity = Объём
charges-csv-unit = Ед. изм.
charges-csv-price = Тариф, ₽
charges-csv-tariff-from = Тариф с
charges-csv-amount = Начислено, ₽
charges-csv-method = Способ расчёта
charges-csv-coefficient = Повышающий коэффициент
charges-csv-excess = В т. ч. повышение, ₽
charges-csv-missing-reading = Нет показания
charges-csv-explanation = Пояснение
charges-csv-yes = да
charges-csv-total = Итого
charges-csv-area = Площадь, м²
charges-csv-service-amount = { $service }, ₽
charges-csv-apartment-total = Итого, ₽
readings-csv-apartment = Квартира
readings-csv-meter = Счётчик
readings-csv-kind = Вид
readings-csv-previous = Предыдущее
readings-csv-period = Период
readings-csv-value = Показание

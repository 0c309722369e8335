# The house list, the house page and the house form.

house-list-title = Дома
house-new = Новый дом
house-none = Домов пока нет.
house-add-first = Добавьте первый
house-edit-title = Изменение: { $address }
house-edit = Изменить дом
house-address = Адрес
house-address-hint = Улица, дом; у каждого дома свой адрес.
house-time-zone = Часовой пояс
house-time-zone-hint = В нём страницы дома показывают время расчётов.
house-services = Услуги
house-services-hint = Что начисляется жильцам дома. После изменения начисления открытых периодов нужно пересчитать.
house-create = Создать дом
house-add-apartment = Добавить квартиру
house-enter-readings = Внести показания
house-readings = Показания
house-upload = Загрузить из Excel
house-template = Скачать шаблон
house-delete = Удалить дом
house-delete-confirm = Удалить дом «{ $address }» со всеми квартирами и счётчиками?
house-billing = Начисления
house-results-by-month = Результаты по месяцам
house-bill-month = Рассчитать месяц
house-month-placeholder = 11.2026
house-start-billing = Рассчитать
house-bill-hint = ГГГГ-ММ; повторный расчёт месяца заменяет его начисления.
house-find = Поиск
house-search-placeholder = Номер квартиры или заводской номер счётчика
house-apartment-count = { $count ->
    [one] { $count } квартира
    [few] { $count } квартиры
   *[many] { $count } квартир
}
house-apartments-match = По запросу «{ $search }» { $count ->
    [one] найдена { $count } квартира
    [few] найдено { $count } квартиры
   *[many] найдено { $count } квартир
}
house-showing = {" "}· показаны { $first }–{ $last }
house-no-page = Страницы { $page } нет: в списке { $pages ->
    [one] { $pages } страница
    [few] { $pages } страницы
   *[many] { $pages } страниц
}.
house-first-page = Перейти на первую страницу
house-no-match = Ни один номер квартиры не начинается с «{ $search }», и ни один заводской номер счётчика его не содержит.
house-no-apartments = Квартир пока нет.
house-add-first-apartment = Добавьте первую
house-col-apartment = Квартира
house-col-area = Площадь
house-col-meters = Счётчики
house-col-meters-note = (заводской номер · вид · последнее показание)
house-col-last-bill = Последнее начисление
house-no-meters = нет счётчиков
house-created = Дом { $address } создан.
house-saved = Дом { $address } сохранён.
house-deleted = Дом { $address } удалён.

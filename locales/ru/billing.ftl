# Billing: starting runs, the runs list, a run's progress, the results.

billing-runs-title = Расчёты
billing-bill-a-month = Рассчитать месяц
billing-run-count = { $count ->
    [one] { $count } расчёт, сначала новые.
    [few] { $count } расчёта, сначала новые.
   *[many] { $count } расчётов, сначала новые.
}
billing-no-page = Страницы { $page } нет: всего страниц — { $pages }.
billing-first-page = Перейти на первую страницу
billing-runs-empty-before = Расчётов пока нет. Рассчитайте месяц на
billing-runs-empty-house = странице дома
billing-runs-empty-or = или на
billing-runs-empty-dashboard = главной
billing-col-run = Расчёт
billing-col-house = Дом
billing-col-month = Месяц
billing-col-status = Статус
billing-col-apartments = Квартир
billing-col-amount = Начислено
billing-col-started = Начат
billing-col-started-by = Кто запустил
billing-col-duration = Длительность
billing-col-links = Ссылки
billing-col-service = Услуга
billing-col-quantity = Объём
billing-col-tariff = Тариф
billing-col-explanation = Как рассчитано
billing-col-why = Причина
billing-system = система
billing-breadcrumbs = Навигация

# A run's progress.
billing-run-title = Расчёт №{ $run } · { $month }
billing-run-number = Расчёт №{ $run }
billing-progress-heading = Расчёт за { $month }
billing-house-page = Страница дома
billing-run-queued = расчёт №{ $run } · поставлен в очередь { $at }
billing-progress-label = Рассчитано квартир
billing-progress-counts = Рассчитано { $processed } из { $total }
billing-amount = Начислено
billing-amount-so-far = Начислено на сейчас
billing-started = Начат
billing-finished = Завершён
billing-duration = Длительность
billing-progress-replaced-before = Заменён
billing-progress-replaced-link = расчётом №{ $run }
billing-progress-replaced-after = : повторный расчёт за { $month } перезаписал строки этого расчёта.
billing-stale-strong = Данные изменились после расчёта — рассчитайте заново.
billing-progress-stale-text = Показание, помещение, счётчик или тариф за { $month } изменились после этого расчёта.
billing-progress-running-stale = Данные изменились во время расчёта: рассчитайте { $month } заново, когда он завершится.
billing-see-results = Начисления за { $month }
billing-run-failed = Расчёт завершился ошибкой: { $error }
billing-run-failed-prefix = Расчёт завершился ошибкой:
billing-no-reason = причина не записана.
billing-refresh = Обновить
billing-bill-again = Рассчитать { $month } заново
billing-bill = Рассчитать { $month }

# The results of a house and month.
billing-results-title = Начисления за { $month } · { $address }
billing-results-crumb = Начисления за { $month }
billing-results-heading = Начислено за { $month }
billing-last-run = последний расчёт
billing-active-notice = Идёт расчёт за { $month } (рассчитано { $processed } из { $total }):
billing-active-follow = следить за ходом расчёта
billing-active-after = . Суммы ниже изменятся, пока он не завершится.
billing-replaced-before = Расчёт
billing-replaced-after = заменён более новым расчётом за { $month }: повторный расчёт месяца перезаписал его строки.
billing-replaced-see-newer = Начисления нового расчёта
billing-stale-text = Показание, помещение, счётчик или тариф за { $month } изменились после расчёта №{ $run }; строки ниже — такие, какими он их рассчитал.
billing-house-total-for = итого по дому за { $month }
billing-apartments-billed = { $count ->
    [one] квартира рассчитана
    [few] квартиры рассчитаны
   *[many] квартир рассчитано
}
billing-lines-missing = { $count ->
    [one] строка без показания
    [few] строки без показаний
   *[many] строк без показаний
}
billing-download-csv = Скачать CSV
billing-download-csv-by-apartment = CSV по квартирам
billing-page-of = Страница { $page } из { $pages }, на ней { $count ->
    [one] { $count } квартира
    [few] { $count } квартиры
   *[many] { $count } квартир
}.
billing-apartment = кв.
billing-missing-title = У счётчика нет показания за { $month }, пригодного для расчёта: начислено по среднему или по нормативу, с перерасчётом, когда показание поступит
billing-coefficient = К
billing-excess-title = Повышающий коэффициент увеличил начисление на указанную сумму (ПП 354 п. 42)
billing-recalculation = перерасчёт
billing-missing-reading = нет показания
billing-tariff-from = с { $from }
billing-penalty = Пени
billing-penalty-title = Пени за несвоевременную оплату прошлых месяцев (ЖК РФ ст. 155 ч. 14): с 31-го дня просрочки, по ключевой ставке
billing-penalty-account = л/с { $number }
billing-apartment-total = Итого по кв. { $number }
billing-house-total = Итого по дому, { $count ->
    [one] { $count } квартира
    [few] { $count } квартиры
   *[many] { $count } квартир
}
billing-no-charges = Нет начислений за { $month }
billing-not-billed = : этот месяц по дому ещё не рассчитан.
billing-not-billed-running = : этот месяц по дому ещё не рассчитан — расчёт идёт.
billing-last-failed-before = Последний расчёт (
billing-last-failed-after = ) завершился ошибкой
billing-month-not-billed = { $month } (не рассчитан)
billing-months-up-to = Рассчитать можно месяцы до { $month } включительно

# "Bill all houses".
billing-all-heading = Расчёт за { $month }: все дома
billing-all-crumb = Все дома, { $month }
billing-all-heading-current = Расчёт текущих периодов всех домов
billing-all-crumb-current = Все дома, текущие периоды
billing-back-dashboard = На главную
billing-all-summary = Запущено расчётов: { $started }; не удалось рассчитать { $refused ->
    [one] { $refused } дом
    [few] { $refused } дома
   *[many] { $refused } домов
}.
billing-not-billed-heading = Не рассчитаны
billing-started-heading = Запущены
billing-none-started = Ни один расчёт не запущен.

# Flashes and refusals.
billing-started-flash = Расчёт за { $month } запущен: { $apartments }.
billing-started-all = { $count ->
    [one] Запущен { $count } расчёт.
    [few] Запущено { $count } расчёта.
   *[many] Запущено { $count } расчётов.
}
billing-just-started = Расчёт этого дома за этот месяц только что запущен.
billing-enter-month = Введите месяц расчёта в виде ГГГГ-ММ.
billing-refused-house = Такого дома нет.
billing-refused-future = Месяц { $month } ещё не наступил: рассчитать можно не дальше следующего месяца.
billing-refused-missing = { $count ->
    [one] Нет тарифа { $services } на { $month }
   *[other] Нет тарифов { $services } на { $month }
}
billing-refused-add = добавить
billing-refused-active = Расчёт №{ $run } этого дома за этот месяц ещё идёт.
billing-services-join = { ", " }
billing-services-join-last = { " и " }
billing-tariff-of-cold_water = ХВС
billing-tariff-of-hot_water = ГВС
billing-tariff-of-sewerage = водоотведения
billing-tariff-of-maintenance = на содержание жилого помещения
billing-refused-no-normative = { $count ->
    [one] Нет норматива { $services } на { $month }
   *[other] Нет нормативов { $services } на { $month }
}
billing-refused-add-normative = добавить
billing-no-results-page = Страницы { $page } нет: всего страниц начислений — { $pages }.
billing-receipts = Квитанции

# The dashboard at /.

dash-title = Сводка
dash-new-house = Новый дом
dash-tariffs = Тарифы
dash-stat-houses = { $count ->
    [one] дом
    [few] дома
   *[many] домов
}
dash-stat-apartments = { $count ->
    [one] квартира
    [few] квартиры
   *[many] квартир
}
dash-stat-meters = { $count ->
    [one] счётчик
    [few] счётчика
   *[many] счётчиков
}
dash-stat-missing = { $count ->
    [one] счётчик
    [few] счётчика
   *[many] счётчиков
} без показаний за расчётный период
dash-bill-title = Расчёт за месяц
dash-all-runs = Все расчёты
dash-month = Месяц
dash-house = Дом
dash-month-placeholder = 11.2026
dash-start-billing = Рассчитать
dash-bill-current = Рассчитать все дома за их расчётные периоды
dash-current-total = Начислено за расчётные периоды: { $amount } ₽ — рассчитано { $billed } из { $count ->
    [one] { $count } дома
   *[other] { $count } домов
}
dash-bill-hint = Каждый дом рассчитывается в фоне; повторный расчёт месяца заменяет его начисления.
dash-all-houses = Все дома
dash-houses = Дома
dash-no-houses = Домов пока нет.
dash-add-first-house = Добавьте первый дом
dash-or-demo = {" "}или загрузите демонстрационные данные командой
dash-attention = Требует внимания
dash-all-read = У каждого дома всё готово к расчёту: у счётчиков есть показания за его расчётный период, поверка не истекла, тарифы и нормативы заданы.
dash-missing-intro = Для каждого дома — его расчётный период: счётчики без показаний (пока показание не сохранено, начисление идёт по среднему или по нормативу), счётчики с истёкшей поверкой, показания с расходом больше трёх средних и услуги без тарифа или норматива.
dash-col-period = Расчётный период
dash-col-doubtful = Сомнительные показания
dash-doubtful = { $count ->
    [one] { $count } показание
    [few] { $count } показания
   *[many] { $count } показаний
}
dash-col-faulty = Поверка истекла
dash-col-prices = Нет цены
dash-col-bill = Начисление
dash-no-tariff = { $service }: нет тарифа
dash-no-normative = { $service }: нет норматива
dash-bill-none = не рассчитан
dash-bill-stale = изменилось после расчёта
dash-bill-done = { $amount } ₽
dash-bill-failed = расчёт не удался
dash-bill-running = идёт расчёт
dash-col-house = Дом
dash-col-missing = Без показаний
dash-col-meters = Счётчики
dash-of-meters = из { $count }
dash-more = и ещё { $count } на странице дома
dash-latest-runs = Последние расчёты
dash-all-runs-link = все расчёты
dash-no-runs = Расчётов пока нет. Когда показания за месяц внесены, рассчитайте дом за этот месяц — ход расчёта появится здесь.

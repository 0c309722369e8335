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
} без показаний за { $month }
dash-bill-title = Расчёт за месяц
dash-all-runs = Все расчёты
dash-month = Месяц
dash-house = Дом
dash-month-placeholder = 11.2026
dash-start-billing = Рассчитать
dash-bill-hint = Каждый дом рассчитывается в фоне; повторный расчёт месяца заменяет его начисления.
dash-all-houses = Все дома
dash-houses = Дома
dash-no-houses = Домов пока нет.
dash-add-first-house = Добавьте первый дом
dash-or-demo = {" "}или загрузите демонстрационные данные командой
dash-attention = Требует внимания
dash-all-read = У всех счётчиков есть показания за { $month }.
dash-missing-intro = Счётчики без показаний за { $month }; пока показание не сохранено, расход по ним при расчёте считается равным 0 м³.
dash-col-house = Дом
dash-col-missing = Без показаний
dash-col-meters = Счётчики
dash-of-meters = из { $count }
dash-more = и ещё { $count } на странице дома
dash-latest-runs = Последние расчёты
dash-all-runs-link = все расчёты
dash-no-runs = Расчётов пока нет. Когда показания за месяц внесены, рассчитайте дом за этот месяц — ход расчёта появится здесь.

# Personal accounts and money: the apartment's «Лицевой счёт» section, the
# account page, the search, the оборотно-сальдовая ведомость, debtors,
# payments (register, unmatched) and key rates.

nav-payments = Платежи
nav-debtors = Должники

# The apartment page's section and form.
acc-section = Лицевой счёт
acc-none = У квартиры ещё нет лицевого счёта — откройте его формой ниже.
acc-open = Открыть лицевой счёт
acc-change = Изменить лицевой счёт
acc-number = Лицевой счёт
acc-number-hint = От 1 до 20 букв и цифр, например 1001001001.
acc-holder = Собственник (плательщик)
acc-holder-hint = ФИО; можно оставить пустым.
acc-holder-unknown = не указан
acc-opening = Входящее сальдо, ₽
acc-opening-hint = Долг на начало месяца — со знаком плюс, аванс (переплата) — с минусом, например -300,00.
acc-opening-period = Месяц входящего сальдо
acc-opening-period-hint = С этого месяца ведётся лицевой счёт, например 01.2026.
acc-opening-as-of = на { $date }
acc-save = Сохранить лицевой счёт
acc-saved = Лицевой счёт { $number } сохранён.

# The account page.
acc-title = Л/с { $number }
acc-house = Дом
acc-apartment = Квартира
acc-balance-debt = Задолженность { $amount } ₽
acc-balance-advance = Аванс (переплата) { $amount } ₽
acc-balance-settled = Задолженности нет
acc-balance-as-of = исходящее сальдо за { $month }
acc-statement = Расчёты по месяцам
acc-statement-empty = Лицевой счёт ведётся с более позднего месяца — расчётов пока нет.
acc-col-month = Месяц
acc-col-opening = Входящее сальдо
acc-col-charged = Начислено
acc-col-penalty = Пени
acc-col-paid = Оплачено
acc-col-closing = Исходящее сальдо
acc-penalty-of = Пени за { $month }
acc-penalty-debt = за { $month } (срок { $due }): { $spans }
acc-penalty-span = { $outstanding } ₽ × { $days } дн. × { $fraction } × { $rate } %
acc-paid-later = Оплаты после текущего расчётного периода ({ $month }): { $amount } ₽ — войдут в расчёты следующих месяцев.
acc-payments = Оплаты
acc-payments-none = Оплат пока нет.
acc-col-paid-on = Дата оплаты
acc-col-amount = Сумма, ₽
acc-col-named-month = За месяц
acc-col-source = Источник
acc-col-operation = Операция банка
acc-col-delete = Удаление
acc-delete-reason = Причина удаления
acc-delete-reason-placeholder = Причина удаления
acc-payment-delete-confirm = Удалить оплату { $amount } ₽ от { $date }?
acc-payment-deleted = Оплата { $amount } ₽ удалена.
acc-payment-add = Внести оплату вручную
acc-paid-on-label = Дата оплаты
acc-paid-on-hint = Не позже сегодняшнего дня, например 03.11.2026.
acc-paid-on-placeholder = 03.11.2026
acc-amount-label = Сумма, ₽
acc-amount-hint = Больше нуля, например 2 367,95.
acc-named-month-label = За месяц
acc-named-month-hint = Необязательно: месяц, который назвал плательщик. Оплата всё равно гасит самый старый долг.
acc-payment-save = Внести оплату
acc-payment-added = Оплата { $amount } ₽ внесена.

# The search by number.
acc-search-title = Поиск лицевого счёта
acc-search-label = Номер лицевого счёта
acc-search-placeholder = например 1001001001
acc-menu-placeholder = Л/с №
acc-search-none = Лицевого счёта { $number } нет.
acc-search-starting = Лицевые счета, номера которых начинаются с { $number }:
acc-search-nothing-starts = И ни один номер с этого не начинается.
acc-search-more = Показаны первые { $limit } — уточните номер.

# The оборотно-сальдовая ведомость.
osv-title = Оборотно-сальдовая ведомость
osv-heading = Оборотно-сальдовая ведомость за { $month }
osv-crumb = ОСВ за { $month }
osv-download = Скачать CSV для Excel
osv-none = В доме нет лицевых счетов, которые велись бы в этом месяце.
osv-total = Итого по дому
osv-months-up-to = Ведомость — не дальше текущего расчётного периода ({ $month }).
osv-csv-account = Лицевой счёт
osv-csv-apartment = Квартира
osv-csv-opening = Входящее сальдо
osv-csv-charged = Начислено
osv-csv-penalty = Пени
osv-csv-paid = Оплачено
osv-csv-closing = Исходящее сальдо
osv-csv-total = Итого

# Debtors.
debtors-title = Должники
debtors-intro = Лицевые счета с задолженностью на конец текущего расчётного периода своего дома; месяцев долга — сколько месяцев подряд до него закрывались с долгом.
debtors-house = Дом
debtors-all-houses = Все дома
debtors-above = Задолженность больше, ₽
debtors-above-hint = По умолчанию — больше 0.
debtors-months = Месяцев долга, не меньше
debtors-months-hint = По умолчанию — 1.
debtors-sort = Порядок
debtors-sort-debt = по сумме долга
debtors-sort-months = по числу месяцев
debtors-sort-number = по номеру лицевого счёта
debtors-sort-address = по адресу
debtors-show = Показать
debtors-none = Должников с такими условиями нет.
debtors-col-address = Адрес
debtors-col-debt = Задолженность
debtors-col-months = Месяцев долга
debtors-summary = { $count ->
    [one] { $count } должник
    [few] { $count } должника
   *[many] { $count } должников
} на { $amount } ₽
debtors-months-count = { $count ->
    [one] { $count } месяц
    [few] { $count } месяца
   *[many] { $count } месяцев
}

# Payments: the register, the unmatched ones.
pay-nav = Разделы платежей
pay-import-title = Реестр платежей
pay-import-file = Реестр платежей банка
pay-import-hint = Файл реестра Сбербанка (Windows-1251 или UTF-8 с BOM): платёж в строке, последней — итоговая строка. Реестр загружается целиком или не загружается совсем; повторная загрузка ничего не дублирует.
pay-import-submit = Загрузить реестр
pay-import-done = Реестр загружен: разнесено { $imported }, неразнесённых { $unmatched }, повторов { $duplicates }, на сумму { $amount } ₽.
pay-import-nothing-new = Все платежи реестра уже были загружены ({ $duplicates }) — ничего не добавлено.
pay-import-refused = Реестр не загружен, ни один платёж не сохранён: { $count ->
    [one] { $count } ошибка
    [few] { $count } ошибки
   *[many] { $count } ошибок
}. Исправьте файл и загрузите его снова.
pay-imports = Загруженные реестры
pay-imports-none = Реестров ещё не загружали.
pay-col-imported-at = Загружен
pay-col-imported-by = Кем
pay-col-file = Файл
pay-col-imported = Разнесено
pay-col-unmatched = Неразнесённых
pay-col-duplicates = Повторов
pay-col-amount = Сумма, ₽
pay-unmatched-title = Неразнесённые платежи
pay-unmatched-intro = Платежи из реестров, в которых номер лицевого счёта не найден. Укажите лицевой счёт — платёж будет зачислен на него.
pay-unmatched-count = { $count ->
    [one] { $count } неразнесённый платёж
    [few] { $count } неразнесённых платежа
   *[many] { $count } неразнесённых платежей
}
pay-unmatched-waiting = Ждут разнесения: { $count }.
pay-unmatched-assign = разнести
pay-col-account-named = Л/с в реестре
pay-col-payer = Плательщик
pay-col-address = Адрес
pay-col-assign = Разнести на лицевой счёт
pay-assign-label = Номер лицевого счёта
pay-assign-placeholder = Л/с №
pay-assign = Разнести
pay-assigned = Платёж { $amount } ₽ разнесён на лицевой счёт { $number }.

# Key rates.
kr-title = Ключевая ставка
kr-intro = Ключевая ставка Банка России, по которой начисляются пени (ЖК РФ ст. 155 ч. 14). Без ставки пени не начисляются. Изменение ставки делает устаревшими расчёты с её месяца.
kr-none = Ставок ещё нет — пени не начисляются.
kr-col-from = Действует с
kr-col-rate = Ставка
kr-add = Добавить ставку
kr-from-hint = Первый день, например 27.10.2026.
kr-rate-label = Ставка, %
kr-rate-hint = От 0 до 100, например 16,5.
kr-add-button = Добавить
kr-added = Ставка добавлена.
kr-delete = Удалить
kr-delete-confirm = Удалить ставку с { $day }?
kr-deleted = Ставка удалена.
kr-caps = Ограничение ставки для пени
kr-caps-intro = В эти дни пени считаются по меньшей из двух: ключевой ставке или ограничению.
kr-caps-none = Ограничений нет.
kr-col-to = По
kr-col-cap = Не выше
kr-due-days = Срок оплаты
kr-due-days-intro = До какого числа следующего месяца оплачиваются начисления месяца.
kr-col-charges-of = Начисления
kr-col-due = Оплатить до
kr-due-from-start = с начала
kr-due-from = за { $month } и позже
kr-due-day = { $day }-го числа следующего месяца
acc-receipt = квитанция
acc-receipt-pdf = PDF

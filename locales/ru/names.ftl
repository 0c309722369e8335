# The names of the values of closed sets: <family>-<stored name>.

meter-kind-cold_water = ХВС
meter-kind-hot_water = ГВС
service-cold_water = Холодное водоснабжение
service-hot_water = Горячее водоснабжение
service-sewerage = Водоотведение
service-maintenance = Содержание жилого помещения
unit-m3 = м³
unit-m2 = м²
reading-source-form = Форма
reading-source-csv = Загрузка CSV
reading-source-api = API
payment-source-manual = Вручную
payment-source-bank = Реестр банка
reading-source-final = Конечное (снятие счётчика)
run-status-queued = В очереди
run-status-running = Идёт расчёт
run-status-completed = Завершён
run-status-failed = Ошибка
tariff-status-in-effect = действует
tariff-status-upcoming = будущий
tariff-status-superseded = заменён
audit-action-create = Создано
audit-action-update = Изменено
audit-action-delete = Удалено
audit-action-start = Запущено
audit-action-sign_in = Вход
audit-action-sign_in_failed = Неудачный вход
audit-action-role_change = Роль изменена
audit-action-password_change = Пароль изменён
audit-action-password_reset = Пароль сброшен
audit-action-block = Заблокирован
audit-action-unblock = Разблокирован
audit-action-sign_out_everywhere = Выход на всех устройствах
audit-action-token_create = Ключ создан
audit-action-token_revoke = Ключ отозван

# Months, as a heading names them («ноябрь 2026»).
month-1 = январь
month-2 = февраль
month-3 = март
month-4 = апрель
month-5 = май
month-6 = июнь
month-7 = июль
month-8 = август
month-9 = сентябрь
month-10 = октябрь
month-11 = ноябрь
month-12 = декабрь

# Часовые пояса домов: смещение от Москвы и крупный город.
time-zone-kaliningrad = МСК−1, Калининград
time-zone-moscow = МСК, Москва
time-zone-samara = МСК+1, Самара
time-zone-yekaterinburg = МСК+2, Екатеринбург
time-zone-omsk = МСК+3, Омск
time-zone-krasnoyarsk = МСК+4, Красноярск, Новосибирск
time-zone-irkutsk = МСК+5, Иркутск
time-zone-yakutsk = МСК+6, Якутск
time-zone-vladivostok = МСК+7, Владивосток
time-zone-magadan = МСК+8, Магадан
time-zone-kamchatka = МСК+9, Петропавловск-Камчатский

# Почему расчёт завершился ошибкой.
run-failure-missing_tariff = во время расчёта появилась услуга без тарифа или норматива (добавлена дому после запуска). Запустите расчёт снова.
run-failure-database = база данных отказалась сохранить строки расчёта. Ошибка записана в журнал сервера; запустите расчёт снова.
run-failure-internal = внутренняя ошибка остановила расчёт; она записана в журнал сервера.
line-method-actual = По показаниям
line-method-average = По среднему
line-method-normative = По нормативу
line-method-mixed = По показаниям и расчёту
line-method-sum = Сумма ХВС и ГВС
line-method-area = По площади

# Проблемы с тем, что человек ввёл или запросил (domain::Problem), и ошибки
# (AppError).

problem-empty = Введите { $what }.
problem-control-character = { $what }: недопустимый управляющий символ.
problem-too-long = { $what } длиннее { $max } { $max ->
    [one] символа
   *[other] символов
}.
problem-no-number = Введите число.
problem-not-a-number = { $value } — не число: напишите, например, 54,3.
problem-too-many-decimals = { $what }: не больше { $places } { $places ->
    [one] знака
   *[other] знаков
} после запятой.
problem-too-large = { $what }: не больше { $max }.
problem-area-not-positive = Площадь должна быть больше 0 м².
problem-area-too-large = Площадь: не больше { $max } м².
problem-negative-reading = Показание не может быть отрицательным.
problem-price-not-positive = Цена должна быть больше 0.
problem-account-number-chars = Номер лицевого счёта — только буквы и цифры, без пробелов и знаков.
problem-receipt-not-billed = За { $period } дом ещё не рассчитан: квитанции будут после расчёта.
problem-inn-digits = ИНН — 10 цифр у организации или 12 у индивидуального предпринимателя.
problem-inn-check-digits = Контрольные цифры ИНН не сходятся: проверьте, нет ли опечатки.
problem-kpp-format = КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры.
problem-bic-digits = БИК — 9 цифр.
problem-account-digits = Номер счёта — 20 цифр.
problem-account-not-of-bank = Расчётный счёт не сходится с БИК по контрольному ключу: проверьте счёт и БИК.
problem-corr-account-not-of-bank = Корреспондентский счёт не сходится с БИК по контрольному ключу: проверьте счёт и БИК.
problem-amount-not-positive = Сумма должна быть больше 0.
problem-rate-out-of-range = Ставка — от 0 до 100 %.
problem-paid-in-future = Дата оплаты ещё не наступила.
problem-paid-before-opening = Лицевой счёт ведётся с { $month }: более ранний платёж входит во входящее сальдо.
problem-no-such-account = Лицевого счёта { $number } нет.
problem-account-number-taken = Номер { $number } уже у другого лицевого счёта.
problem-payment-settled = Платёж уже удалён или разнесён.
problem-key-rate-taken = Ставка с этого дня уже есть.
problem-normative-not-positive = Норматив должен быть больше 0.
problem-coefficient-below-one = Коэффициент не может быть меньше 1.
problem-not-a-people-count = { $value } — не число людей: введите целое число от 0 до { $max }.
problem-choose-services = Отметьте хотя бы одну услугу, которую начисляет дом.
problem-choose-water-service = Выберите услугу: ХВС или ГВС.
problem-decommissioned-before-commissioned = Счётчик нельзя снять раньше, чем он введён в эксплуатацию.
problem-already-decommissioned = Счётчик уже снят { $date }.
problem-normative-taken = Норматив на эту услугу, дом и месяц уже есть: измените его.
problem-coefficient-taken = Коэффициент на эту услугу и месяц уже есть: измените его.
problem-choose-meter-kind = Выберите ХВС или ГВС.
problem-choose-service = Выберите услугу: ХВС, ГВС, водоотведение или содержание жилого помещения.
problem-choose-role = Выберите роль: администратор, менеджер или наблюдатель.
problem-choose-house = Выберите дом из списка.
problem-choose-time-zone = Выберите часовой пояс из списка.
problem-not-a-month = { $value } — не месяц: напишите, например, 11.2026 или ноябрь 2026.
problem-not-a-month-cell = { $value } — не месяц: напишите, например, 11.2026, 2026-11 или ноябрь 2026.
problem-year-out-of-range = { $value }: год должен быть от { $from } до { $to }.
problem-not-a-date = { $value } — не дата: напишите, например, 01.09.2026.
problem-no-such-day = В { $month } { $year } нет { $day }-го числа.
problem-user-name-needs-letter = В имени пользователя нужна хотя бы одна буква или цифра.
problem-password-too-short = Пароль должен быть не короче { $min } { $min ->
    [one] символа
   *[other] символов
}.
problem-password-too-long = Пароль длиннее { $max } { $max ->
    [one] символа
   *[other] символов
}.
problem-password-nul = Пароль содержит недопустимый символ NUL.
problem-passwords-differ = Пароли не совпадают.
problem-wrong-current-password = Текущий пароль введён неверно.
problem-user-taken = Пользователь { $name } уже есть.
problem-no-such-user = Нет пользователя { $value }.
problem-only-admin = { $name } — единственный администратор: сначала назначьте администратором кого-то ещё.
problem-already-set-up = kvartplata уже настроена. Войдите.
problem-meter-taken-out = Счётчик снят { $date }: показаний после этого месяца у него нет.
problem-readings-after = У счётчика есть показание за { $period }: снять его можно в этом месяце или позже.
problem-doubtful-consumption = { $serial }, { $period }: расход { $consumption } м³ более чем втрое выше среднего { $average } м³ — проверьте показание (оно сохранено).
problem-period-closed = Период за { $period } закрыт: показания, расчёты и начисления за него не меняются.
problem-close-in-order = Периоды закрываются по порядку: сначала закройте { $next }.
problem-close-unbilled = За { $period } нет завершённого расчёта: рассчитайте месяц, прежде чем закрыть.
problem-close-stale = Начисления за { $period } устарели: рассчитайте месяц заново, прежде чем закрыть.
problem-close-while-running = Расчёт № { $run } этого дома ещё выполняется: закройте период, когда он завершится.
problem-reopen-last-only = Открыть заново можно только последний закрытый период — { $last }.
problem-nothing-closed = У этого дома нет закрытых периодов.
problem-period-too-far-ahead = { $period } — слишком далеко вперёд: показания можно вносить не позже чем за { $latest }.
problem-period-repeated = { $period } встречается для этого счётчика дважды.
problem-below-initial-reading = { $value } меньше начального показания счётчика { $initial }.
problem-below-earlier-reading = { $value } меньше показания за { $period }: { $reading }.
problem-above-later-reading = { $value } больше показания за { $period }: { $reading }.
problem-no-such-meter = Нет счётчика { $id }.
problem-no-such-serial = Нет счётчика с заводским номером { $serial }.
problem-meter-of-another-house = Счётчик { $serial } относится к другому дому.
problem-address-taken = Дом с таким адресом уже есть.
problem-number-taken = В этом доме уже есть квартира с таким номером.
problem-number-listed-twice = Квартира { $number } указана дважды (также в { $first }).
problem-serial-taken = Счётчик с таким заводским номером уже есть.
problem-serial-listed-twice = Заводской номер { $serial } указан дважды (также в { $first }).
problem-serial-used = Заводской номер { $serial } уже занят другим счётчиком.
problem-history-readings = { $count } { $count ->
    [one] показание
    [few] показания
   *[many] показаний
}
problem-history-charges = { $count } { $count ->
    [one] начисление
    [few] начисления
   *[many] начислений
}
problem-history-both = { $readings } и { $charges }
problem-house-has-history = У дома { $name } есть { $history }; историю начислений не удаляют.
problem-apartment-has-history = У квартиры { $name } есть { $history }; историю начислений не удаляют.
problem-meter-has-history = У счётчика { $name } есть { $history }; историю начислений не удаляют.
problem-tariff-taken = Тариф на эту услугу, дом и месяц уже есть: измените его.
problem-no-such-house = Нет дома { $id }.
problem-tariff-in-run = По этому тарифу идёт расчёт { $run }; удалите тариф, когда расчёт завершится.
problem-tariff-billed-change = По этому тарифу { $count ->
    [one] сделано { $count } начисление
    [few] сделано { $count } начисления
   *[many] сделано { $count } начислений
}, его нельзя изменить: добавьте новый тариф с более позднего месяца.
problem-tariff-billed-delete = По этому тарифу { $count ->
    [one] сделано { $count } начисление
    [few] сделано { $count } начисления
   *[many] сделано { $count } начислений
}, его нельзя удалить: добавьте новый тариф с более позднего месяца.
problem-no-tariff = Нет тарифа «{ $service }» на { $period }.
problem-no-normative = Нет норматива «{ $service }» на { $period }.
problem-input-invalid = Введённые данные неверны.
problem-record-conflict = Это противоречит уже сохранённой записи.
problem-still-referenced = На это ещё ссылаются другие записи (показания или начисления).

error-not-found = Не найдено.
error-method-not-allowed = Этот адрес не принимает такой запрос.
error-invalid-rows = { $count ->
    [one] { $count } показание содержит ошибку
    [few] { $count } показания содержат ошибки
   *[many] { $count } показаний содержат ошибки
}; ничего не сохранено.
error-payload-too-large = Запрос слишком большой.
error-unavailable = База данных не отвечает. Попробуйте ещё раз через минуту.
error-busy = Сервер занят другими загрузками. Отправьте файл ещё раз через минуту.
error-internal = Что-то пошло не так на нашей стороне; ошибка записана в журнал.
error-title-bad-request = Неверный запрос
error-title-forbidden = Нет доступа
error-title-not-found = Страница не найдена
error-title-method-not-allowed = Запрос не поддерживается
error-title-conflict = Конфликт
error-title-invalid = Ошибка ввода
error-title-payload-too-large = Слишком большой запрос
error-title-unavailable = База данных недоступна
error-title-busy = Сервер занят
error-title-internal = Внутренняя ошибка
error-not-found-hint = Возможно, в ссылке опечатка, или то, на что она вела, удалено.
error-to-houses = К списку домов
error-to-dashboard = На главную

csv-cells-beyond-header = В строке больше ячеек, чем столбцов в заголовке: если в числе десятичная запятая, разделяйте столбцы точкой с запятой (;) или заключите число в кавычки.
csv-not-text = строку не удаётся прочитать как текст CSV.
csv-line-too-long = строка длиннее 4096 байт — строк данных такой длины не бывает; она не показана.
csv-file-empty = Файл пустой.
csv-missing-columns = В строке заголовка (строка { $line }) нет столбца { $missing }. Нужны столбцы Счётчик, Период и Показание; в файле есть: { $found }.
csv-no-readings = В файле нет показаний: во всех строках под заголовком пустой столбец «Показание».
csv-line-unreadable = Строку { $line } не удаётся прочитать: { $problem }
premises-meter-kind-missing = у счётчика не указан вид (ХВС или ГВС).
premises-disagrees = «{ $column }» не совпадает со строкой { $first } этой же квартиры.
premises-serial-twice = этот счётчик уже есть в строке { $first }.
premises-account-twice = этот лицевой счёт уже у другой квартиры (строка { $first }).
premises-too-long = В файле больше { $limit } строк — это не реестр одного дома.
premises-empty = В файле нет ни одной квартиры.
problem-on-line = Строка { $line }: { $problem }
premises-meter-elsewhere = счётчик { $serial } уже стоит в кв. { $apartment }.
premises-meter-differs = у счётчика { $serial } в реестре другой вид или начальное показание: их меняют на странице счётчика.
csv-too-many-readings = В файле больше { $limit } показаний; загружайте не больше { $limit } за раз (разделите файл по месяцам).

# A bank's payment register (csv::bank_register). A line's faults are said
# in turn after «Строка N:», each from a lower-case letter, with no full stop.
register-line = Строка { $line }: { $faults }.
register-file-too-large = Файл больше { $max } МБ — реестров такого размера не бывает; проверьте, тот ли это файл.
register-too-many-payments = В реестре больше { $limit } платежей; разделите его на части не больше { $limit } платежей в каждой.
register-no-payments = В реестре нет ни одного платежа.
register-no-totals = В реестре нет итоговой строки: последней строкой реестра должна идти «=количество;сумма;сумма перевода;комиссия».
register-more-bad-lines = И ещё { $count } { $count ->
    [one] строка с ошибкой
    [few] строки с ошибками
   *[many] строк с ошибками
}, начиная со строки { $line }.
register-line-too-long = строка длиннее { $max } байт — строк реестра такой длины не бывает; она не показана
register-not-utf8 = строка — не текст UTF-8, хотя файл начинается с метки UTF-8 (BOM)
register-too-few-cells = { $found } { $found ->
    [one] ячейка
    [few] ячейки
   *[many] ячеек
} вместо { $expected } — не хватает: { $missing }
register-too-many-cells = { $found } { $found ->
    [one] ячейка
    [few] ячейки
   *[many] ячеек
} вместо { $expected } — лишнее: { $value }
register-empty = пустая ячейка «{ $column }»
register-control-character = в ячейке «{ $column }» недопустимый управляющий символ
register-too-long = в ячейке «{ $column }» больше { $max } { $max ->
    [one] символа
   *[other] символов
}
register-not-a-date = дата { $value } — не дата вида ДД-ММ-ГГГГ
register-not-a-time = время { $value } — не время вида ЧЧ-ММ-СС
register-not-a-number = { $column } { $value } — не число
register-too-many-decimals = { $column } { $value } — больше двух знаков после запятой
register-too-large = { $column } { $value } — больше { $max } ₽
register-amount-not-positive = сумма { $value } — платёж должен быть больше нуля
register-negative = { $column } { $value } — отрицательное число
register-not-an-account = лицевой счёт { $value } — нужно от 1 до 20 букв и цифр
register-not-a-period = период { $value } — не месяц вида ММГГГГ (например, 102026)
register-not-a-count = количество платежей { $value } — не целое число
register-count-mismatch = в итоговой строке { $found } { $found ->
    [one] платёж
    [few] платежа
   *[many] платежей
}, а в реестре — { $expected }
register-sum-mismatch = { $column } { $found } ₽, а по платежам реестра — { $expected } ₽
register-second-totals = вторая итоговая строка (первая — строка { $first })
register-after-totals = платёж после итоговой строки (строка { $totals }), а итоговая строка должна быть последней
# A register's cells, as a message names them.
register-column-date = дата
register-column-time = время
register-column-branch = отделение
register-column-cashier = кассир
register-column-operation = операция
register-column-account = лицевой счёт
register-column-payer = плательщик
register-column-address = адрес
register-column-period = период
register-column-amount = сумма
register-column-transferred = сумма перевода
register-column-commission = комиссия
register-column-total-count = количество платежей
register-column-total-amount = итоговая сумма
register-column-total-transferred = итоговая сумма перевода
register-column-total-commission = итоговая комиссия

# What a field holds, as a message names it: the subject of a sentence
# (problem-what-*) and what to enter (problem-enter-*).
problem-what-address = Адрес
problem-what-apartment-number = Номер квартиры
problem-what-serial = Заводской номер
problem-what-user-name = Имя пользователя
problem-what-full-name = ФИО
problem-what-token-name = Название ключа
problem-what-area = Площадь
problem-what-reading = Показание
problem-what-price = Цена
problem-what-normative = Норматив
problem-what-coefficient = Коэффициент
problem-what-account-number = Номер лицевого счёта
problem-what-holder = ФИО владельца
problem-what-amount = Сумма
problem-what-balance = Сальдо
problem-what-reason = Причина
problem-what-rate = Ставка
problem-enter-address = адрес
problem-enter-apartment-number = номер квартиры
problem-enter-serial = заводской номер
problem-enter-user-name = имя пользователя
problem-enter-full-name = ФИО
problem-enter-token-name = название ключа
problem-enter-area = площадь
problem-enter-reading = показание
problem-enter-price = цену
problem-enter-normative = норматив
problem-enter-coefficient = коэффициент
problem-enter-account-number = номер лицевого счёта
problem-enter-holder = ФИО владельца
problem-enter-amount = сумму
problem-enter-balance = сальдо
problem-enter-reason = причину
problem-enter-rate = ставку
# A month in "in <month>" (В феврале 2026 …).
problem-month-in-1 = январе
problem-month-in-2 = феврале
problem-month-in-3 = марте
problem-month-in-4 = апреле
problem-month-in-5 = мае
problem-month-in-6 = июне
problem-month-in-7 = июле
problem-month-in-8 = августе
problem-month-in-9 = сентябре
problem-month-in-10 = октябре
problem-month-in-11 = ноябре
problem-month-in-12 = декабре
problem-meter-not-in-house = Этот счётчик не из этого дома.
problem-sign-in-first = Войдите, чтобы сделать это.
problem-only-admin-manages-users = Пользователями управляет только администратор.
problem-viewer-changes-nothing = Ваша учётная запись только для просмотра: наблюдатель ничего не меняет.
problem-only-admin-changes-tariffs = Тарифы, нормативы и коэффициенты меняет только администратор.
problem-only-admin-reopens = Открыть закрытый период заново может только администратор.
problem-send-json = Отправьте тело запроса в JSON с заголовком Content-Type: application/json.
problem-malformed-json = Тело запроса — не JSON: { $detail }
problem-body-unreadable = Не удалось прочитать тело запроса.
problem-query-unreadable = Не удалось прочитать параметры в адресе страницы. Откройте её заново из меню.
problem-nul-in-query = Параметр адреса { $value } содержит символ NUL, недопустимый в любом значении.
problem-form-unreadable = Не удалось прочитать форму. Обновите страницу и отправьте её ещё раз.
problem-upload-unreadable = Не удалось прочитать загрузку: отправьте форму как multipart/form-data.
problem-unknown-language = Неизвестный язык { $value }.
problem-run-not-a-number = Номер расчёта в адресе — не число.
problem-export-needs-month = Укажите месяц выгрузки: ?period=ГГГГ-ММ.
problem-form-expired = Эта форма устарела или отправлена не из kvartplata. Вернитесь, обновите страницу и попробуйте ещё раз.

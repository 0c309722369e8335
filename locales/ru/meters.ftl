# The meter page (its readings and consumption chart) and the meter form.

meter-title = Счётчик { $serial }
meter-short = счётчик { $serial }
meter-new = Новый счётчик
meter-new-for = Новый счётчик, квартира { $number }
meter-edit-title = Изменить счётчик { $serial }
meter-serial-label = Заводской номер
meter-serial-hint = Как напечатан на счётчике; во всех домах номера не повторяются.
meter-kind = Вид
meter-initial-label = Начальное показание, м³
meter-initial-hint = Что показывал счётчик при установке, с точностью до 0,001.
meter-installed-label = Дата установки
meter-installed-hint = Необязательно, например 31.01.2026.
meter-installed-placeholder = 31.01.2026
meter-commissioned-label = Дата ввода в эксплуатацию
meter-commissioned-hint = Необязательно. Показания счётчика учитываются со следующего месяца; пусто — с любого.
meter-verified-label = Поверен до
meter-verified-hint = Необязательно. После этой даты счётчик считается неисправным: расход — по среднему, затем по нормативу с коэффициентом.
meter-add = Добавить счётчик
meter-delete = Удалить счётчик
meter-delete-confirm = Удалить счётчик { $serial }?
meter-serial = Заводской номер
meter-initial = Начальное показание
meter-installed = Дата установки
meter-commissioned = Введён в эксплуатацию
meter-verified = Поверен до
meter-decommissioned = Снят
meter-not-recorded = не указана
meter-apartment = Квартира
meter-readings = Показания
meter-no-readings = Показаний пока нет.
meter-enter-before = Внесите их на
meter-enter-link = странице показаний
meter-enter-after = {" "}дома.
meter-col-month = Месяц
meter-col-reading = Показание
meter-col-consumption = Расход
meter-col-source = Источник
meter-consumption-note = Расход считается от предыдущего показания, а за первый месяц — от начального.
meter-added = Счётчик { $serial } добавлен.
meter-saved = Счётчик { $serial } сохранён.
meter-deleted = Счётчик { $serial } удалён.

chart-title = Расход по месяцам, счётчик { $serial }, м³
chart-bar = { $month }: { $value } м³
chart-caption = Расход за месяц, м³; наведите указатель на столбец, чтобы увидеть значение.
chart-description-one = Расход воды за { $month }, м³. Наибольший — { $value } м³ за { $peak }.
chart-description-many = Расход воды по месяцам за { $count ->
    [one] { $count } месяц
    [few] { $count } месяца
   *[many] { $count } месяцев
}: { $first } — { $last }, м³. Наибольший — { $value } м³ за { $peak }.
meter-verification-past = Срок поверки истёк
meter-replace = Замена счётчика
meter-replace-title = Замена счётчика { $serial }
meter-replace-intro = Конечное показание старого счётчика сохраняется как его показание за месяц снятия; новый счётчик того же вида учитывается со следующего месяца после ввода в эксплуатацию. Всё сохраняется вместе или не сохраняется ничего.
meter-replace-old = Снимаемый счётчик { $serial }
meter-replace-on-label = Дата снятия
meter-replace-on-hint = Например 14.10.2026.
meter-replace-final-label = Конечное показание, м³
meter-replace-final-hint = Не меньше его прежних показаний.
meter-replace-new = Новый счётчик
meter-replace-submit = Заменить счётчик
meter-replaced = Счётчик { $serial } установлен взамен снятого.

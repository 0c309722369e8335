# The month's readings form of a house (templates/readings/month.html).

readings-heading = Показания за { $month }
readings-breadcrumbs = Навигационная цепочка
readings-houses = Дома
readings-counts = { $count ->
    [one] { $meters } счётчик
    [few] { $meters } счётчика
   *[many] { $meters } счётчиков
}, с показанием за { $month } — { $entered }.
readings-hint = Введите, что показывает каждый счётчик (через запятую или точку); пустые поля остаются как были. Tab или Enter — к следующему полю вниз по столбцу.
readings-too-far-ahead = Показания за { $month } вводить ещё рано: последний месяц для ввода — { $latest }.
readings-this-month = { $month } (текущий)
readings-billing-month = { $month } (расчётный период)
readings-next-month = { $month } (следующий)
readings-limit-note = Последний месяц для ввода показаний — { $month }
readings-filter-label = Какие счётчики показать
readings-filter-all = Все ({ $count })
readings-filter-missing = Только без показаний ({ $count })
readings-shown = Счётчики { $first }–{ $last } из { $total }
readings-upload = Загрузить из Excel
readings-download-template = Скачать шаблон
readings-no-meters = В этом доме ещё нет счётчиков. Добавьте их по квартирам на
readings-no-meters-link = странице дома
readings-none-missing = У всех счётчиков уже есть показания за этот месяц.
readings-col-apartment = Квартира
readings-col-meter = Счётчик (ИПУ)
readings-col-previous = Предыдущее показание
readings-col-current = Показание за { $month }
readings-col-consumption = Расход
readings-initial = начальное
readings-input-label = Показание счётчика { $serial }, квартира { $apartment }
readings-save = Сохранить показания
readings-read-only = Ваша учётная запись может просматривать показания, но не сохранять их.
readings-cancel = Отмена
readings-nothing-entered = Показания не введены; ничего не сохранено.
readings-refused-rows = { $count ->
    [one] { $count } показание не удалось сохранить
    [few] { $count } показания не удалось сохранить
   *[many] { $count } показаний не удалось сохранить
}, поэтому ничего не сохранено. Ошибки указаны в строках.
readings-refused-foreign = В форме есть счётчики, которых в этом доме больше нет (id { $ids }); обновите страницу. Ничего не сохранено.
readings-refused-rows-and-foreign = { $count ->
    [one] { $count } показание не удалось сохранить
    [few] { $count } показания не удалось сохранить
   *[many] { $count } показаний не удалось сохранить
}, а в форме есть счётчики, которых в этом доме больше нет (id { $ids }); обновите страницу. Ничего не сохранено. Ошибки указаны в строках.

# After saving (the form and the upload): what changed, and apart what was already so.
readings-saved = { $count ->
    [one] Сохранено { $shown } показание
    [few] Сохранено { $shown } показания
   *[many] Сохранено { $shown } показаний
} (новых: { $created }, исправленных: { $updated }).
readings-saved-and-unchanged = { $count ->
    [one] Сохранено { $shown } показание
    [few] Сохранено { $shown } показания
   *[many] Сохранено { $shown } показаний
} (новых: { $created }, исправленных: { $updated }); без изменений: { $unchanged }.
readings-saved-nothing-changed = { $count ->
    [one] Сохранять нечего: { $shown } показание без изменений.
    [few] Сохранять нечего: { $shown } показания без изменений.
   *[many] Сохранять нечего: { $shown } показаний без изменений.
}
readings-saved-doubtful = { $count ->
    [one] Проверьте одно показание:
    [few] Проверьте { $count } показания, например:
   *[many] Проверьте { $count } показаний, например:
} { $first }

# The readings upload page (templates/readings/upload.html).
upload-heading = Загрузка показаний
upload-report-caption = Строки, которые нужно исправить
upload-col-line = Строка
upload-col-serial = Заводской номер
upload-col-period = Месяц
upload-col-value = Показание
upload-col-problem = Ошибка
upload-unlisted = { $count ->
    [one] … и ещё { $shown } такая строка.
    [few] … и ещё { $shown } такие строки.
   *[many] … и ещё { $shown } таких строк.
}
upload-file-label = Файл CSV
upload-hint = По одному показанию в строке: заводской номер счётчика, месяц и показание; остальные столбцы не читаются.
    Заголовки по-русски (<code>Счётчик</code> или <code>Серийный номер</code>, <code>Период</code> или <code>Месяц</code>, <code>Показание</code>)
    или по-английски (<code>serial</code>, <code>period</code>, <code>value</code>).
    Сохраните файл в Excel как «CSV UTF-8» или обычный «CSV» (Windows-1251), с разделителем <code>;</code> или <code>,</code>.
    Показания — с запятой или точкой (<code>1 204,5</code>); месяцы — <code>2026-10</code>, <code>10.2026</code> или <code>01.10.2026</code>.
    Строки без показания пропускаются. Если хотя бы одну строку сохранить нельзя, не сохраняется ничего.
upload-submit = Загрузить показания
upload-template-heading = Шаблон
upload-template-text = Все счётчики дома с предыдущими показаниями: заполните столбец «Показание» и загрузите файл обратно как есть.
upload-template-for = Скачать шаблон за { $month }
upload-another-month = Другой месяц
upload-download-template = Скачать шаблон
upload-choose-file = Выберите файл CSV для загрузки.
upload-refused-lines = { $count ->
    [one] { $shown } строку файла нельзя сохранить, поэтому ничего не сохранено. Исправьте её и загрузите файл снова.
    [few] { $shown } строки файла нельзя сохранить, поэтому ничего не сохранено. Исправьте их и загрузите файл снова.
   *[many] { $shown } строк файла нельзя сохранить, поэтому ничего не сохранено. Исправьте их и загрузите файл снова.
}

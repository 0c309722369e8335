# Words shared by many pages, and the shared partials: pager, month
# navigation, the billing runs table.

common-save = Сохранить
common-cancel = Отмена
common-edit = Изменить
common-editing = Изменение
common-delete = Удалить
common-search = Найти
common-show-all = Показать все
common-breadcrumbs = Путь к странице
common-form-errors = Исправьте отмеченные ниже поля.
common-col-address = Адрес
common-col-apartments = Квартиры
common-col-meters = Счётчики
common-apt = кв. { $number }
common-more = Ещё

pager-label = Страницы
pager-previous = ‹ Назад
pager-next = Вперёд ›

month-nav-label = Выбор месяца
month-nav-month = Месяц
month-nav-show = Показать

runs-replaced-by = Заменён
runs-replacing-run = расчётом № { $id }
runs-stale = Данные изменились после расчёта — рассчитайте снова
runs-running-stale = Данные изменились во время расчёта — рассчитайте снова, когда он завершится
runs-progress = Ход расчёта
runs-results = Результаты
runs-col-house = Дом
runs-col-month = Месяц
runs-col-status = Состояние
runs-col-apartments = Квартиры
runs-col-done = Готово
runs-col-amount = Сумма
runs-col-links = Ссылки
runs-seconds = { $seconds } с
runs-minutes = { $minutes } мин { $seconds } с
runs-hours = { $hours } ч { $minutes } мин

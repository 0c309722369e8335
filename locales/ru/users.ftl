# The users pages and a user's own password page.

user-title = Пользователи
user-intro = Администраторы управляют пользователями и тарифами; бухгалтеры-операторы делают всё остальное; наблюдатели только смотрят.
user-col-name = Имя
user-col-full-name = ФИО
user-col-role = Роль
user-col-since = Создан
user-col-last-sign-in = Последний вход
user-col-change-role = Изменить роль
user-you = (вы)
user-blocked = Заблокирован
user-role-of = Роль пользователя { $name }
user-save = Сохранить
user-add-heading = Добавить пользователя
user-name = Имя пользователя
user-name-hint = Его вводят при входе; уникальное, регистр не важен.
user-full-name = ФИО
user-full-name-optional = Необязательно.
user-password = Пароль
user-password-hint = Не короче 10 символов.
user-role = Роль
user-add = Добавить пользователя
user-never = ещё не входил
user-page-title = Пользователь { $name }
user-all = Все пользователи
user-status = Состояние
user-blocked-since = Заблокирован с { $at }
user-active = Активен
user-signed-in = Вошёл
user-sessions = { $count ->
    [one] { $count } сеанс
    [few] { $count } сеанса
   *[many] { $count } сеансов
}
user-full-name-hint = Необязательно: показывается рядом с именем пользователя.
user-reset-heading = Задать новый пароль
user-new-password = Новый пароль
user-reset-hint = Не короче 10 символов. Его сеансы завершатся; сообщите ему новый пароль.
user-set-password = Задать пароль
user-access = Доступ
user-unblock = Разблокировать
user-block = Заблокировать
user-sign-out-everywhere = Выйти на всех устройствах
user-block-note = Блокировка сразу завершает его сеансы и останавливает его ключи API; войти он не сможет, пока его не разблокируют.
user-password-title = Пароль
user-password-heading = Смена пароля
user-current-password = Текущий пароль
user-new-password-again = Новый пароль ещё раз
user-password-note = Не короче 10 символов. Другие ваши сеансы завершатся; этот останется.
user-change-password = Сменить пароль
user-correct-fields = Исправьте отмеченные ниже поля.

# Flashes.
user-created = Пользователь { $name } создан ({ $role }).
user-role-changed = { $name } теперь { $role }.
user-full-name-saved = ФИО пользователя { $name } сохранено.
user-password-reset = Пользователю { $name } задан новый пароль; его сеансы завершены.
user-blocked-flash = { $name } заблокирован: сеансы завершены, ключи API остановлены.
user-unblocked-flash = { $name } разблокирован.
user-sessions-ended = { $count ->
    [one] Завершён { $count } сеанс.
    [few] Завершено { $count } сеанса.
   *[many] Завершено { $count } сеансов.
}
user-password-changed = Пароль изменён. Другие ваши сеансы завершены.

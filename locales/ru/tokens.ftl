# The API tokens page.

token-title = Ключи API
token-intro-before = Ключ позволяет программе работать с JSON API от вашего имени: передавайте его в заголовке
token-intro-after = . Отзовите ключ, который больше не нужен: он сразу перестанет работать.
token-new-heading = Ваш новый ключ
token-copy-now = Скопируйте его сейчас: он показывается только один раз.
token-none = Ключей пока нет.
token-col-name = Название
token-col-user = Пользователь
token-col-prefix = Начинается с
token-col-created = Создан
token-col-last-used = Последнее использование
token-col-state = Состояние
token-revoked = отозван { $at }
token-active = действует
token-revoke = Отозвать
token-create-heading = Создать ключ
token-name = Название
token-name-hint = Для чего ключ, например загрузка показаний.
token-create = Создать ключ
token-viewers-cannot = Наблюдатели не могут создавать ключи.
token-never = ещё не использовался
token-revoked-flash = Ключ { $name } отозван: он больше не работает.

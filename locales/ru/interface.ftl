# The frame of every page: navigation, account, footer.

nav-main = Главное меню
nav-menu = Меню
nav-dashboard = Сводка
nav-houses = Дома
nav-tariffs = Тарифы
nav-normatives = Нормативы
nav-billing = Начисления
nav-audit = Журнал изменений
nav-tokens = Ключи API
nav-users = Пользователи
skip-to-content = Перейти к содержимому
role-viewer = наблюдатель
role-manager = бухгалтер-оператор
role-admin = администратор
account-password = Пароль
account-sign-out = Выйти
language-heading = Язык интерфейса
language-label = Язык
language-save = Сохранить язык
language-changed = Теперь интерфейс на русском.
footer-tagline = kvartplata — ежемесячные начисления за жилищно-коммунальные услуги

# Counted nouns, with Russian plural forms.
count-apartments = { $count ->
    [one] { $count } квартира
    [few] { $count } квартиры
   *[many] { $count } квартир
}

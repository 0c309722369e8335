# Signing in, signing out, the first-run setup.

sign-in-title = Вход
sign-in-name = Имя пользователя
sign-in-password = Пароль
sign-in-submit = Войти
sign-in-no-account = Нет учётной записи? Попросите администратора kvartplata её создать.
sign-in-wait = Слишком много неудачных попыток входа. Попробуйте снова через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[many] { $minutes } минут
}.
sign-in-wrong = Неверное имя пользователя или пароль.
sign-in-blocked = Эта учётная запись заблокирована. Обратитесь к администратору kvartplata.
signed-out = Вы вышли из kvartplata.
session-ended-form-kept = Сеанс завершился. Войдите снова — форма будет заполнена так, как вы её отправили.
resume-title = Сохраните форму
resume-text = Сеанс завершился, пока вы заполняли форму. Она сохранена в том виде, в каком вы её отправили: сохраните её сейчас или перейдите на другую страницу, чтобы отказаться от неё.
resume-goes-to = Форма будет отправлена на
resume-save = Сохранить
form-correct-fields = Исправьте отмеченные ниже поля.
setup-title = Настройка kvartplata
setup-text = Войти пока никто не может. Создайте первую учётную запись — администратора, который добавит остальных. После этого страница закроется.
setup-name = Имя пользователя
setup-password = Пароль
setup-password-hint = Не короче 10 символов.
setup-password-again = Пароль ещё раз
setup-submit = Создать администратора
setup-welcome = Добро пожаловать, { $name }. Вы администратор: остальных пользователей добавьте в разделе «Пользователи».

# The API documentation page (its frame; the operations stay in English, as the API).

docs-title = Документация API
docs-version = версия { $version }
docs-openapi-json = Документ OpenAPI (JSON)
docs-endpoints = Операции
docs-schemas = Схемы
docs-parameters = Параметры
docs-col-name = Имя
docs-col-in = Где
docs-col-required = Обязательный
docs-col-schema = Схема
docs-col-description = Описание
docs-col-status = Код ответа
docs-col-body = Тело
docs-yes = да
docs-no = нет
docs-in-path = путь
docs-in-query = строка запроса
docs-in-header = заголовок
docs-in-cookie = cookie
docs-request-body = Тело запроса
docs-responses = Ответы
docs-header = Заголовок
docs-no-body = нет
docs-array-of = массив из
docs-among-schemas = среди схем

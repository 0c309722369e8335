# The API documentation page (its frame; the operations stay in English, as the API).

docs-title = API documentation
docs-version = version { $version }
docs-openapi-json = OpenAPI document (JSON)
docs-endpoints = Endpoints
docs-schemas = Schemas
docs-parameters = Parameters
docs-col-name = Name
docs-col-in = In
docs-col-required = Required
docs-col-schema = Schema
docs-col-description = Description
docs-col-status = Status
docs-col-body = Body
docs-yes = yes
docs-no = no
docs-in-path = path
docs-in-query = query
docs-in-header = header
docs-in-cookie = cookie
docs-request-body = Request body
docs-responses = Responses
docs-header = Header
docs-no-body = none
docs-array-of = array of
docs-among-schemas = among the schemas

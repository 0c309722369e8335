# The API tokens page.

token-title = API tokens
token-intro-before = A token lets a program use the JSON API as you: send it as
token-intro-after = . Revoke a token you no longer use; it stops working at once.
token-new-heading = Your new token
token-copy-now = Copy it now: it is shown only this once.
token-none = No tokens yet.
token-col-name = Name
token-col-user = User
token-col-prefix = Starts with
token-col-created = Created
token-col-last-used = Last used
token-col-state = State
token-revoked = revoked { $at }
token-active = active
token-revoke = Revoke
token-create-heading = Create a token
token-name = Name
token-name-hint = What the token is for, e.g. meter-reading import.
token-create = Create token
token-viewers-cannot = Viewers cannot create tokens.
token-never = never
token-revoked-flash = Token { $name } revoked: it no longer works.

# Signing in, signing out, the first-run setup.

sign-in-title = Sign in
sign-in-name = Name
sign-in-password = Password
sign-in-submit = Sign in
sign-in-no-account = No account yet? Ask your kvartplata admin to create one.
sign-in-wait = Too many failed sign-in attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
sign-in-wrong = Wrong name or password.
sign-in-blocked = This account is blocked. Ask your kvartplata admin.
signed-out = You have signed out.
session-ended-form-kept = Your session ended; sign in and your form will be filled in again.
resume-title = Save your form
resume-text = Your session ended while you were filling in a form. It is kept as you sent it: save it now, or go elsewhere to drop it.
resume-goes-to = It goes to
resume-save = Save
form-correct-fields = Please correct the fields marked below.
setup-title = Set up kvartplata
setup-text = Nobody can sign in yet. Create the first account: it is the admin, who adds everyone else. This page closes once it exists.
setup-name = Name
setup-password = Password
setup-password-hint = At least 10 characters.
setup-password-again = Password again
setup-submit = Create admin
setup-welcome = Welcome, { $name }. You are the admin: add the others under Users.

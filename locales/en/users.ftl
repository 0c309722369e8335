# The users pages and a user's own password page.

user-title = Users
user-intro = Admins manage users and tariffs; managers do everything else; viewers only look.
user-col-name = Name
user-col-full-name = Full name
user-col-role = Role
user-col-since = Since
user-col-last-sign-in = Last sign-in
user-col-change-role = Change role
user-you = (you)
user-blocked = Blocked
user-role-of = Role of { $name }
user-save = Save
user-add-heading = Add a user
user-name = Name
user-name-hint = What they type to sign in; unique, case does not matter.
user-full-name = Full name
user-full-name-optional = Optional.
user-password = Password
user-password-hint = At least 10 characters.
user-role = Role
user-add = Add user
user-never = never
user-page-title = User { $name }
user-all = All users
user-status = Status
user-blocked-since = Blocked since { $at }
user-active = Active
user-signed-in = Signed in
user-sessions = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
user-full-name-hint = Optional: shown beside the login name.
user-reset-heading = Set a new password
user-new-password = New password
user-reset-hint = At least 10 characters. Their sessions end; tell them the new one.
user-set-password = Set password
user-access = Access
user-unblock = Unblock
user-block = Block
user-sign-out-everywhere = Sign out everywhere
user-block-note = Blocking ends their sessions and stops their API tokens at once; they cannot sign in until unblocked.
user-password-title = Password
user-password-heading = Change your password
user-current-password = Current password
user-new-password-again = New password again
user-password-note = At least 10 characters. Your other sessions end; this one stays signed in.
user-change-password = Change password
user-correct-fields = Please correct the fields marked below.

# Flashes.
user-created = User { $name } created ({ $role }).
user-role-changed = { $name } is now { $role }.
user-full-name-saved = Full name of { $name } saved.
user-password-reset = New password set for { $name }; their sessions have ended.
user-blocked-flash = { $name } is blocked: signed out, API tokens stopped.
user-unblocked-flash = { $name } is unblocked.
user-sessions-ended = { $count ->
    [one] { $count } session ended.
   *[other] { $count } sessions ended.
}
user-password-changed = Password changed. Your other sessions have ended.

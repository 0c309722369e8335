# The frame of every page: navigation, account, footer.

nav-main = Main
nav-menu = Menu
nav-dashboard = Dashboard
nav-houses = Houses
nav-tariffs = Tariffs
nav-normatives = Normatives
nav-billing = Billing
nav-audit = Audit log
nav-tokens = API tokens
nav-users = Users
skip-to-content = Skip to content
role-viewer = viewer
role-manager = manager
role-admin = admin
account-password = Password
account-sign-out = Sign out
language-heading = Interface language
language-label = Language
language-save = Save language
language-changed = The interface is in English now.
footer-tagline = kvartplata — monthly utility billing

# Counted nouns.
count-apartments = { $count ->
    [one] { $count } apartment
   *[other] { $count } apartments
}

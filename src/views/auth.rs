//! The sign-in page and the first-run setup page.

use askama::Template;

use super::forms::FormErrors;
use super::page::PageCtx;
use crate::i18n::Arg;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub name: String,
    /// Where to go after signing in (a path of this site).
    pub next: String,
    /// Why the last attempt failed; the password is never shown again.
    pub error: Option<SignInRefusal>,
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Too many failures: the next attempt is counted after this wait.
    Wait {
        minutes: u64,
    },
    /// The same words for an unknown name and a wrong password.
    WrongNameOrPassword,
    Blocked,
}

impl LoginPage {
    /// The refusal in the page's language.
    pub fn error_text(&self) -> Option<String> {
        let locale = self.ctx.locale;
        self.error.map(|refusal| match refusal {
            SignInRefusal::Wait { minutes } => {
                locale.text_with("sign-in-wait", &[("minutes", Arg::from(minutes))])
            }
            SignInRefusal::WrongNameOrPassword => locale.text("sign-in-wrong"),
            SignInRefusal::Blocked => locale.text("sign-in-blocked"),
        })
    }
}

/// A form kept when its session ended, offered again after signing in.
#[derive(Template)]
#[template(path = "auth/resume.html")]
pub struct ResumeFormPage {
    pub ctx: PageCtx,
    /// Where the form was posted (a path of this site).
    pub action: String,
    /// The fields as they were posted, sent again as hidden inputs.
    pub fields: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub name: String,
    pub errors: FormErrors,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn refused(locale: Locale, refusal: SignInRefusal) -> String {
        let page = LoginPage {
            ctx: PageCtx {
                csrf_token: String::new(),
                flash: None,
                path: "/login".into(),
                user: None,
                locale,
            },
            name: String::new(),
            next: "/".into(),
            error: Some(refusal),
        };
        page.error_text().unwrap()
    }

    #[test]
    fn refusals_are_said_in_the_pages_language_with_the_minutes_counted() {
        let wait = |minutes| SignInRefusal::Wait { minutes };
        assert_eq!(
            refused(Locale::Ru, wait(1)),
            "Слишком много неудачных попыток входа. Попробуйте снова через 1 минуту."
        );
        assert!(refused(Locale::Ru, wait(3)).ends_with("через 3 минуты."));
        assert!(refused(Locale::Ru, wait(15)).ends_with("через 15 минут."));
        assert!(refused(Locale::En, wait(1)).ends_with("Try again in 1 minute."));
        assert!(refused(Locale::En, wait(15)).ends_with("Try again in 15 minutes."));
        assert_eq!(
            refused(Locale::En, SignInRefusal::WrongNameOrPassword),
            "Wrong name or password."
        );
        assert_eq!(
            refused(Locale::Ru, SignInRefusal::Blocked),
            "Эта учётная запись заблокирована. Обратитесь к администратору kvartplata."
        );
    }
}
